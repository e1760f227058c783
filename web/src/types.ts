/** Wire shapes of the API (snake_case, as the server sends them). */

export interface WhoAmI {
  user: { id: string; email: string; role: 'owner' | 'staff'; tenant_id: string };
  tenant: { id: string; name: string };
  via: 'session' | 'token';
  csrf_token: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Variant {
  id: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compare_at_price: string | null;
  option_values: OptionValue[];
  position: number;
}

export interface OptionValue {
  name: string;
  value: string;
}

export interface Product {
  id: string;
  title: string;
  handle: string;
  vendor: string;
  product_type: string;
  status: string;
  tags: string[];
  variants: Variant[];
  updated_at: string;
  version: number;
}

export interface Customer {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  phone: string | null;
  note: string;
  tags: string[];
  addresses: Address[];
  updated_at: string;
  version: number;
}

/** A postal address as the API sends it: every line optional. */
export interface Address {
  address1?: string;
  address2?: string;
  city?: string;
  province?: string;
  zip?: string;
  country?: string;
  country_code?: string;
  company?: string;
  phone?: string;
  first_name?: string;
  last_name?: string;
}

/** An order's shipping address as the API sends it: the lines with a value, province and country as codes. */
export interface ShippingAddress {
  first_name?: string;
  last_name?: string;
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  province_code?: string;
  country_code?: string;
  zip?: string;
  phone?: string;
}

export interface Order {
  id: string;
  name: string;
  email: string | null;
  financial_status: string;
  fulfillment_status: string;
  currency: string;
  total_price: string;
  line_items: LineItem[];
  processed_at: string;
  cancelled_at: string | null;
  closed_at: string | null;
  /** Present on GET /api/orders/:id and in lists alike (the fields an order page shows). */
  number: number;
  customer_id: string | null;
  phone: string | null;
  subtotal_price: string;
  total_tax: string;
  note: string;
  tags: string[];
  shipping_address: ShippingAddress | null;
  updated_at: string;
  version: number;
}

export interface LineItem {
  id: string;
  position: number;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price: string;
  variant_id: string | null;
}

export interface Location {
  id: string;
  name: string;
  active: boolean;
}

export interface InventoryLevel {
  id: string;
  variant_id: string;
  location_id: string;
  available: number;
  on_hand: number;
  updated_at: string;
  version: number;
}

/** GET /api/shopify/sync-state/:entity/:id */
export interface RecordSyncState {
  entity: 'product' | 'customer' | 'order';
  local_id: string;
  linked: string | null;
  connection_state: ConnectionState | null;
  last_synced_at: string | null;
  push_pending: boolean;
  dead_letter: OpenDeadLetter | null;
  /** A product's stock levels; null for customers and orders. */
  stock: { push_pending: boolean; dead_letter: OpenDeadLetter | null } | null;
}

export interface OpenDeadLetter {
  id: number;
  last_error: string;
  attempts: number;
  last_failed_at: string;
}

export type ConnectionState =
  'not_connected' | 'disconnected' | 'connecting' | 'importing' | 'syncing' | 'error_auth' | 'error';

export interface ShopifyConnection {
  state: ConnectionState;
  shop: string | null;
  state_reason: string | null;
  requested_scopes: string[];
  granted_scopes: string[];
  missing_scopes: string[];
  api_version: string | null;
  connected_at: string | null;
  /** The demo store to connect when Retailos runs its Shopify emulator; null otherwise. */
  demo_shop: string | null;
}
