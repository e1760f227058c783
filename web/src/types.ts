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
  position: number;
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
}

export interface Customer {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  phone: string | null;
  tags: string[];
  updated_at: string;
}

export interface Order {
  id: string;
  name: string;
  email: string | null;
  financial_status: string;
  fulfillment_status: string;
  currency: string;
  total_price: string;
  line_items: { id: string; quantity: number }[];
  processed_at: string;
  cancelled_at: string | null;
  closed_at: string | null;
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
