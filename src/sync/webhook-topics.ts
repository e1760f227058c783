/** Every topic the sync subscribes to right after connect (GraphQL enum names). */
export const SYNC_TOPICS = [
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
  'PRODUCTS_DELETE',
  'INVENTORY_LEVELS_UPDATE',
  'INVENTORY_LEVELS_CONNECT',
  'INVENTORY_LEVELS_DISCONNECT',
  'INVENTORY_ITEMS_CREATE',
  'INVENTORY_ITEMS_UPDATE',
  'INVENTORY_ITEMS_DELETE',
  'ORDERS_CREATE',
  'ORDERS_UPDATED',
  'ORDERS_CANCELLED',
  'ORDERS_DELETE',
  'CUSTOMERS_CREATE',
  'CUSTOMERS_UPDATE',
  'CUSTOMERS_DELETE',
  'APP_UNINSTALLED',
  'BULK_OPERATIONS_FINISH',
] as const;

export type SyncTopic = (typeof SYNC_TOPICS)[number];

/** The X-Shopify-Topic spelling of an enum topic ("INVENTORY_LEVELS_UPDATE" → "inventory_levels/update"). */
export function headerTopic(topic: SyncTopic): string {
  const lower = topic.toLowerCase();
  const cut = lower.lastIndexOf('_');
  return `${lower.slice(0, cut)}/${lower.slice(cut + 1)}`;
}

/** Topic header values we act on: the sync topics plus the privacy topics. */
const HEADER_TOPICS = new Set([
  ...SYNC_TOPICS.map(headerTopic),
  'customers/data_request',
  'customers/redact',
  'shop/redact',
]);

export function isKnownTopic(headerTopic: string): boolean {
  return HEADER_TOPICS.has(headerTopic);
}

/** An export finished (ours or another app's): the import's job is woken to look at once. */
export const WAKES_IMPORT = 'bulk_operations/finish';

/** Topics about the installation itself, applied by the lifecycle job (not by the entity sync). */
export const LIFECYCLE_TOPICS: readonly string[] = [
  'app/uninstalled',
  'customers/data_request',
  'customers/redact',
  'shop/redact',
];
