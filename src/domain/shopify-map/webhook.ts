/**
 * Webhook payloads (REST-shaped, snake_case) → the GraphQL shapes the import mapping already reads,
 * so continuous sync maps a webhook with the same `mapProduct` / `mapCustomer` / `mapOrder`.
 * One module per entity; this one holds the topic table, deletions and inventory levels.
 */
import type { PushedKind } from '../synced-kinds.ts';
import { attempt, MappingError } from './common.ts';
import type { Mapped } from './shapes.ts';
import { asPayload, numericId, parseOffsetTime, resourceGid, show } from './webhook-payload.ts';

export type { FromWebhook } from './webhook-payload.ts';
export { productFromWebhook, WEBHOOK_VARIANT_CAP } from './webhook-product.ts';
export { customerFromWebhook } from './webhook-customer.ts';
export { orderFromWebhook } from './webhook-order.ts';

/** What a webhook topic is about: a pushed kind, or an inventory item (whose levels it names). */
export type WebhookEntity = PushedKind | 'inventory_item';
type TopicAction = { entity: WebhookEntity; action: 'upsert' | 'delete' };

const upsert = (entity: WebhookEntity): TopicAction => ({ entity, action: 'upsert' });
const remove = (entity: WebhookEntity): TopicAction => ({ entity, action: 'delete' });

/**
 * Topics whose body is the entity itself. Left out on purpose: orders/edited (body is an order_edit),
 * customers/merge and customer.tags_added|removed (bodies are not a customer).
 */
const TOPICS: Readonly<Record<string, TopicAction>> = {
  'products/create': upsert('product'),
  'products/update': upsert('product'),
  'products/delete': remove('product'),
  'customers/create': upsert('customer'),
  'customers/update': upsert('customer'),
  'customers/enable': upsert('customer'),
  'customers/disable': upsert('customer'),
  'customers/delete': remove('customer'),
  'orders/create': upsert('order'),
  'orders/updated': upsert('order'),
  'orders/paid': upsert('order'),
  'orders/cancelled': upsert('order'),
  'orders/fulfilled': upsert('order'),
  'orders/partially_fulfilled': upsert('order'),
  'orders/delete': remove('order'),
  'inventory_levels/connect': upsert('inventory_level'),
  'inventory_levels/update': upsert('inventory_level'),
  'inventory_levels/disconnect': remove('inventory_level'),
  'inventory_items/create': upsert('inventory_item'),
  'inventory_items/update': upsert('inventory_item'),
  'inventory_items/delete': remove('inventory_item'),
};

/** The `X-Shopify-Topic` header (`orders/updated`) → which entity it is about and what happened. */
export function entityOfTopic(
  topic: string,
): { entity: WebhookEntity; action: 'upsert' | 'delete' } | undefined {
  const key = topic.trim().toLowerCase();
  const hit = Object.hasOwn(TOPICS, key) ? TOPICS[key] : undefined;
  return hit === undefined ? undefined : { ...hit };
}

/** The topics whose body is a whole `entity` (its creations and updates). */
export function upsertTopicsOf(entity: WebhookEntity): string[] {
  return Object.entries(TOPICS).flatMap(([topic, t]) =>
    t.entity === entity && t.action === 'upsert' ? [topic] : [],
  );
}

/** products|customers|orders/delete: the body is `{id}` (sometimes with admin_graphql_api_id). */
export function deletedFromWebhook(
  body: unknown,
  type: 'Product' | 'Customer' | 'Order',
): Mapped<{ gid: string }> {
  return attempt(() => ({ gid: resourceGid(asPayload(body, `deleted ${type}`), type) }));
}

export interface InventoryLevelHint {
  inventoryItemGid: string;
  locationGid: string;
  available: number | null;
  updatedAt: Date | null;
}

function requiredId(p: Readonly<Record<string, unknown>>, key: string): string {
  const v = p[key];
  if (v === undefined || v === null) throw new MappingError(`the inventory level has no ${key}`);
  return numericId(v, `the inventory level ${key}`);
}

/** `gid://shopify/InventoryLevel/<location>?inventory_item_id=<item>` → its two ids, exact. */
const LEVEL_GID = /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)$/;

function levelIds(p: Readonly<Record<string, unknown>>): { item: string; location: string } {
  const api = p['admin_graphql_api_id'];
  if (api === undefined || api === null) {
    return { item: requiredId(p, 'inventory_item_id'), location: requiredId(p, 'location_id') };
  }
  const m = typeof api === 'string' ? LEVEL_GID.exec(api) : null;
  if (!m)
    throw new MappingError(
      `the inventory level admin_graphql_api_id is not an InventoryLevel gid: ${show(api)}`,
    );
  const [, location = '', item = ''] = m;
  for (const [key, exact] of [
    ['inventory_item_id', item],
    ['location_id', location],
  ] as const) {
    const v = p[key];
    // Past 2^53 the number may have been rounded by whoever wrote it (Shopify's own examples are):
    // the gid is the exact id, so only a number below 2^53 is held to it.
    if (typeof v === 'number' && Number.isSafeInteger(v) && String(v) !== exact) {
      throw new MappingError(`the inventory level ${key} ${v} disagrees with its gid ${api}`);
    }
  }
  return { item, location };
}

/** inventory_levels/update|connect|disconnect → which level changed, and `available` when sent. */
export function inventoryLevelFromWebhook(body: unknown): Mapped<InventoryLevelHint> {
  return attempt(() => {
    const p = asPayload(body, 'inventory level');
    const { item, location } = levelIds(p);
    const available = p['available'];
    if (available !== undefined && available !== null && !Number.isInteger(available)) {
      throw new MappingError(`the inventory level available is not a whole number: ${show(available)}`);
    }
    return {
      inventoryItemGid: `gid://shopify/InventoryItem/${item}`,
      locationGid: `gid://shopify/Location/${location}`,
      available: typeof available === 'number' ? available : null,
      updatedAt: parseOffsetTime(p['updated_at'], 'the inventory level updated_at'),
    };
  });
}
