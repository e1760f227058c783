import type { SyncedKind } from './synced-kinds.ts';

/** The back office's records as the domain sees them (camelCase; money as decimal strings). */
export type ProductStatus = 'active' | 'draft' | 'archived' | 'unlisted';
export const PRODUCT_STATUSES: readonly ProductStatus[] = ['active', 'draft', 'archived', 'unlisted'];

export interface OptionValue {
  name: string;
  value: string;
}

export interface Variant {
  id: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  optionValues: OptionValue[];
  position: number;
}

export interface Product {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  variants: Variant[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface Location {
  id: string;
  name: string;
  address: Record<string, string>;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface InventoryLevel {
  id: string;
  variantId: string;
  locationId: string;
  available: number;
  onHand: number;
  updatedAt: Date;
  version: number;
}

export interface Address {
  address1?: string;
  address2?: string;
  city?: string;
  province?: string;
  zip?: string;
  country?: string;
  countryCode?: string;
  company?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
}

export interface Customer {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  note: string;
  tags: string[];
  addresses: Address[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface LineItem {
  id: string;
  position: number;
  sku: string | null;
  title: string;
  quantity: number;
  unitPrice: string;
  variantId: string | null;
}

export type FinancialStatus =
  'pending' | 'authorized' | 'partially_paid' | 'paid' | 'partially_refunded' | 'refunded' | 'voided';
export const FINANCIAL_STATUSES: readonly FinancialStatus[] = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
  'voided',
];
export type FulfillmentStatus = 'unfulfilled' | 'partially_fulfilled' | 'fulfilled' | 'restocked';
export const FULFILLMENT_STATUSES: readonly FulfillmentStatus[] = [
  'unfulfilled',
  'partially_fulfilled',
  'fulfilled',
  'restocked',
];

/**
 * An order's shipping address: the lines Shopify's orderUpdate writes (MailingAddressInput), with the
 * province and country as codes (names are Shopify's to derive). Blank lines are left out.
 */
export interface ShippingAddress {
  firstName?: string;
  lastName?: string;
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  provinceCode?: string;
  countryCode?: string;
  zip?: string;
  phone?: string;
}

/** The lines of a shipping address, in the order a merchant fills them. */
export const SHIPPING_ADDRESS_FIELDS = [
  'firstName',
  'lastName',
  'company',
  'address1',
  'address2',
  'city',
  'provinceCode',
  'countryCode',
  'zip',
  'phone',
] as const satisfies readonly (keyof ShippingAddress)[];

export interface Order {
  id: string;
  name: string;
  number: number;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  currency: string;
  subtotalPrice: string;
  totalTax: string;
  totalPrice: string;
  note: string;
  tags: string[];
  shippingAddress: ShippingAddress | null;
  lineItems: LineItem[];
  processedAt: Date;
  cancelledAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Who made a write. Writes with origin 'shopify' came from the sync and are never pushed back. */
export type ChangeOrigin = 'user' | 'api' | 'shopify' | 'system';
export type ChangeEntity = SyncedKind;
export type ChangeOp = 'create' | 'update' | 'delete';
