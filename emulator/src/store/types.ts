import type { ChangeKind } from './change-events.ts';

export type * from './change-events.ts';

/**
 * Record types of the emulated Shopify store.
 *
 * Records are plain objects (no classes) so a store can hold ~1M of them.
 * Numeric ids are the numeric part of the GID (`gid://shopify/Product/<id>`),
 * i.e. the REST `legacyResourceId`. Times are epoch **seconds** (Shopify shows
 * second precision); format them with `isoSeconds` from `./clock.ts`.
 * Money amounts are decimal strings in the shop currency ("12.50").
 */

/** Source of time. Tests pass a controllable clock. */
export interface Clock {
  now(): Date;
}

export type Plan = 'standard' | 'advanced' | 'plus' | 'enterprise';

export type ProductStatus = 'ACTIVE' | 'DRAFT' | 'ARCHIVED' | 'UNLISTED';

export interface ProductOption {
  id: number;
  name: string;
  position: number;
  values: string[];
}

export interface ProductRecord {
  id: number;
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  options: ProductOption[];
  /** Variant ids in position order. */
  variantIds: number[];
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

export interface SelectedOption {
  name: string;
  value: string;
}

export interface VariantRecord {
  id: number;
  productId: number;
  title: string;
  sku: string;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number;
  selectedOptions: SelectedOption[];
  inventoryPolicy: 'DENY' | 'CONTINUE';
  taxable: boolean;
  inventoryItemId: number;
  createdAt: number;
  updatedAt: number;
}

export interface InventoryItemRecord {
  id: number;
  variantId: number;
  sku: string;
  tracked: boolean;
  unitCost: string | null;
  /** Levels keyed by location id. */
  levels: Map<number, InventoryLevelRecord>;
  createdAt: number;
  updatedAt: number;
}

/** Quantity names Shopify exposes on an inventory level. `on_hand` is derived. */
export const QUANTITY_NAMES = [
  'available',
  'committed',
  'damaged',
  'incoming',
  'on_hand',
  'quality_control',
  'reserved',
  'safety_stock',
] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];
export type StoredQuantityName = Exclude<QuantityName, 'on_hand'>;

export interface InventoryLevelRecord {
  itemId: number;
  locationId: number;
  quantities: Record<StoredQuantityName, number>;
  createdAt: number;
  updatedAt: number;
}

export interface AddressRecord {
  id: number;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

export interface LocationRecord {
  id: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  address: Omit<AddressRecord, 'id' | 'firstName' | 'lastName' | 'company'>;
  createdAt: number;
  updatedAt: number;
}

export interface CustomerRecord {
  id: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  addresses: AddressRecord[];
  defaultAddressId: number | null;
  state: 'DISABLED' | 'INVITED' | 'ENABLED' | 'DECLINED';
  taxExempt: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A money amount in shop currency and in the buyer's (presentment) currency. */
export interface MoneyBag {
  shop: string;
  presentment: string;
}

export interface LineItemRecord {
  id: number;
  variantId: number | null;
  productId: number | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  quantity: number;
  unitPrice: MoneyBag;
}

export interface RefundRecord {
  id: number;
  createdAt: number;
  note: string | null;
  amount: MoneyBag;
  lines: { lineItemId: number; quantity: number; restock: boolean }[];
}

export type FinancialStatus =
  'AUTHORIZED' | 'PAID' | 'PARTIALLY_PAID' | 'PARTIALLY_REFUNDED' | 'PENDING' | 'REFUNDED' | 'VOIDED';
export type FulfillmentStatus = 'UNFULFILLED' | 'PARTIALLY_FULFILLED' | 'FULFILLED';
export type CancelReason = 'CUSTOMER' | 'DECLINED' | 'FRAUD' | 'INVENTORY' | 'OTHER' | 'STAFF';

export interface OrderRecord {
  id: number;
  /** Order number, e.g. 1001 (name is `#1001`). */
  number: number;
  email: string | null;
  phone: string | null;
  customerId: number | null;
  locationId: number | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  lineItems: LineItemRecord[];
  subtotal: MoneyBag;
  totalTax: MoneyBag;
  total: MoneyBag;
  presentmentCurrency: string;
  note: string | null;
  tags: string[];
  shippingAddress: AddressRecord | null;
  refunds: RefundRecord[];
  processedAt: number;
  cancelledAt: number | null;
  cancelReason: CancelReason | null;
  closedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface DeletionEventRecord {
  subjectType: 'PRODUCT' | 'COLLECTION';
  subjectId: number;
  occurredAt: number;
}

/** A webhook subscription created through the Admin API (shop-specific). */
export interface WebhookSubscriptionRecord {
  id: number;
  /** API key of the app that created it; deliveries are signed with that app's secret. */
  appKey: string;
  /** Enum value, e.g. `PRODUCTS_UPDATE`. */
  topic: string;
  uri: string;
  format: 'JSON' | 'XML';
  includeFields: string[];
  metafieldNamespaces: string[];
  filter: string | null;
  name: string | null;
  /** API version the subscription was created with; payloads use it. */
  apiVersion: string;
  createdAt: number;
  updatedAt: number;
}

/** An app installed on the shop. Tokens live in the OAuth part, not here. */
export interface AppInstallation {
  apiKey: string;
  scopes: string[];
  installedAt: number;
}

/** Recorded result of an `@idempotent` mutation. */
export interface IdempotencyRecord {
  key: string;
  appKey: string;
  /** Stable fingerprint of mutation field + arguments. */
  fingerprint: string;
  result: unknown;
  createdAt: number;
}

/** Owner types the emulator keeps metafields for. */
export type MetafieldOwnerType = 'PRODUCT' | 'CUSTOMER';

/** A metafield on a product or customer. `namespace` is resolved (`$app` → `app--<app id>`). */
export interface MetafieldRecord {
  id: number;
  ownerType: MetafieldOwnerType;
  ownerId: number;
  namespace: string;
  key: string;
  /** Metafield type name, e.g. `id`, `single_line_text_field`. */
  type: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

/** A metafield definition (owner type + namespace + key is unique). */
export interface MetafieldDefinitionRecord {
  id: number;
  ownerType: MetafieldOwnerType;
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  type: string;
  /** The `uniqueValues` capability: no two owners of the type hold the same value. */
  uniqueValues: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ShopData {
  /** `x.myshopify.com` */
  domain: string;
  name: string;
  plan: Plan;
  currency: string;
  email: string;
  ianaTimezone: string;
  createdAt: number;
  counters: Map<string, number>;
  idBase: number;
  nextOrderNumber: number;
  apps: Map<string, AppInstallation>;
  locations: Map<number, LocationRecord>;
  products: Map<number, ProductRecord>;
  /** handle → product id */
  handles: Map<string, number>;
  variants: Map<number, VariantRecord>;
  inventoryItems: Map<number, InventoryItemRecord>;
  customers: Map<number, CustomerRecord>;
  orders: Map<number, OrderRecord>;
  /** customer id → order ids */
  ordersByCustomer: Map<number, number[]>;
  deletionEvents: DeletionEventRecord[];
  webhookSubscriptions: Map<number, WebhookSubscriptionRecord>;
  idempotency: Map<string, IdempotencyRecord>;
  metafieldDefinitions: Map<number, MetafieldDefinitionRecord>;
  /** `ownerType:ownerId` → the owner's metafields, oldest first. */
  metafields: Map<string, MetafieldRecord[]>;
  /** Values under a unique-values definition: `ownerType\u0000namespace\u0000key\u0000value` → owner id. */
  uniqueMetafieldValues: Map<string, number>;
  /** Bumped on every change of a kind; lets readers cache sorted indexes. */
  versions: Map<ChangeKind, number>;
}
