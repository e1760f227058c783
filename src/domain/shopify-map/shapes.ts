/**
 * The Shopify Admin GraphQL objects the import reads, as they arrive in a bulk JSONL line or a query
 * page (2026-04). Only the fields we select; every field may be null where Shopify allows it.
 */
export interface ShopifyMoneyBag {
  shopMoney: { amount: string; currencyCode?: string };
}

export interface ShopifyProduct {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string | null;
  vendor: string | null;
  productType: string | null;
  status: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyVariant {
  id: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number;
  selectedOptions: { name: string; value: string }[];
  inventoryItem: { id: string } | null;
}

export interface ShopifyAddress {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  zip?: string | null;
  country?: string | null;
  countryCodeV2?: string | null;
  phone?: string | null;
}

export interface ShopifyCustomer {
  id: string;
  firstName: string | null;
  lastName: string | null;
  defaultEmailAddress: { emailAddress: string | null } | null;
  defaultPhoneNumber: { phoneNumber: string | null } | null;
  note: string | null;
  tags: string[];
  addresses: ShopifyAddress[];
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyOrder {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  customer: { id: string } | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  currencyCode: string;
  subtotalPriceSet: ShopifyMoneyBag | null;
  totalTaxSet: ShopifyMoneyBag | null;
  totalPriceSet: ShopifyMoneyBag;
  note: string | null;
  tags: string[];
  /** Absent when not selected (older stored lines); null when the order has none. */
  shippingAddress?: ShopifyAddress | null;
  processedAt: string;
  cancelledAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyLineItem {
  id: string;
  sku: string | null;
  title: string;
  quantity: number;
  originalUnitPriceSet: ShopifyMoneyBag;
  variant: { id: string } | null;
}

export interface ShopifyLocation {
  id: string;
  name: string;
  isActive: boolean;
  address: {
    address1?: string | null;
    address2?: string | null;
    city?: string | null;
    province?: string | null;
    zip?: string | null;
    country?: string | null;
    countryCode?: string | null;
    phone?: string | null;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ShopifyInventoryLevel {
  id: string;
  quantities: { name: string; quantity: number }[];
  item: { id: string } | null;
  updatedAt: string | null;
}

/** A mapping outcome: the Retailos draft, or why the record cannot be imported (it is parked, never dropped). */
export type Mapped<T> = { ok: true; value: T } | { ok: false; reason: string };

export const mapped = <T>(value: T): Mapped<T> => ({ ok: true, value });
export const refused = <T>(reason: string): Mapped<T> => ({ ok: false, reason });
