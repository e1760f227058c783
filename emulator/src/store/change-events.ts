/** Change events the store emits after every change (the webhook part maps them to topics). */
export type ChangeKind =
  | 'product'
  | 'variant'
  | 'inventory_item'
  | 'inventory_level'
  | 'location'
  | 'customer'
  | 'order'
  | 'webhook_subscription'
  | 'app';

export type ChangeAction =
  'create' | 'update' | 'delete' | 'cancel' | 'connect' | 'disconnect' | 'fulfill' | 'refund';

/**
 * Emitted synchronously after every change. `id` is the GID. For
 * `inventory_level`, `id` is `gid://shopify/InventoryLevel/<locationId>?inventory_item_id=<itemId>`
 * and `inventoryItemId`/`locationId` hold the numeric parts.
 * For deletes the record is gone; `productId` (variants, items) helps map payloads.
 */
export interface ChangeEvent {
  shop: string;
  kind: ChangeKind;
  action: ChangeAction;
  id: string;
  /** Epoch seconds of the change (= the record's new updatedAt). */
  at: number;
  inventoryItemId?: number;
  locationId?: number;
  productId?: number;
  /** API key of the app whose API call caused it, when known. */
  appKey?: string;
}

export type ChangeListener = (event: ChangeEvent) => void;
