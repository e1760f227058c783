import { parseGid, type ChangeEvent, type ShopData } from '../store/index.ts';
import { customerDeletePayload, customerPayload } from './payloads/customer.ts';
import {
  inventoryDisconnectPayload,
  inventoryItemDeletePayload,
  inventoryItemPayload,
  inventoryLevelPayload,
} from './payloads/inventory.ts';
import { orderDeletePayload, orderPayload } from './payloads/order.ts';
import { productDeletePayload, productPayload } from './payloads/product.ts';

/** Header topic (`products/update`) ↔ enum (`PRODUCTS_UPDATE`). */
export const TOPICS: readonly string[] = [
  'products/create',
  'products/update',
  'products/delete',
  'inventory_levels/connect',
  'inventory_levels/update',
  'inventory_levels/disconnect',
  'inventory_items/create',
  'inventory_items/update',
  'inventory_items/delete',
  'orders/create',
  'orders/paid',
  'orders/fulfilled',
  'orders/updated',
  'orders/cancelled',
  'orders/delete',
  'customers/create',
  'customers/update',
  'customers/delete',
  'app/uninstalled',
  'bulk_operations/finish',
  'customers/data_request',
  'customers/redact',
  'shop/redact',
];

export function topicEnum(topic: string): string {
  return topic.replace(/[/.]/g, '_').toUpperCase();
}

export function topicFromEnum(value: string): string | undefined {
  return TOPICS.find((t) => topicEnum(t) === value);
}

/** One webhook to send for a change: topic, payload builder, and a key for coalescing. */
export interface TopicEvent {
  topic: string;
  /** Same resource + topic within one batch is sent once. */
  key: string;
  payload: () => Record<string, unknown> | null;
}

/** Maps a store change to the webhook topics Shopify would fire. */
export function topicsForChange(shop: ShopData, e: ChangeEvent): TopicEvent[] {
  const id = parseGid(e.id)?.id ?? 0;
  const ev = (topic: string, payload: () => Record<string, unknown> | null): TopicEvent => ({
    topic,
    key: `${topic}:${e.id}`,
    payload,
  });
  switch (e.kind) {
    case 'product':
      return productTopics(shop, e, id, ev);
    case 'inventory_level':
      return levelTopics(shop, e, ev);
    case 'inventory_item':
      if (e.action === 'delete') return [ev('inventory_items/delete', () => inventoryItemDeletePayload(id))];
      return [
        ev(`inventory_items/${e.action === 'create' ? 'create' : 'update'}`, () =>
          withRecord(shop.inventoryItems.get(id), inventoryItemPayload),
        ),
      ];
    case 'customer':
      if (e.action === 'delete') return [ev('customers/delete', () => customerDeletePayload(id))];
      return [
        ev(`customers/${e.action === 'create' ? 'create' : 'update'}`, () =>
          withRecord(shop.customers.get(id), (c) => customerPayload(shop, c)),
        ),
      ];
    case 'order':
      return orderTopics(shop, e, id, ev);
    default:
      return [];
  }
}

type Ev = (topic: string, payload: () => Record<string, unknown> | null) => TopicEvent;

function productTopics(shop: ShopData, e: ChangeEvent, id: number, ev: Ev): TopicEvent[] {
  if (e.action === 'delete') return [ev('products/delete', () => productDeletePayload(id))];
  const build = (): Record<string, unknown> | null =>
    withRecord(shop.products.get(id), (p) => productPayload(shop, p));
  return [ev(e.action === 'create' ? 'products/create' : 'products/update', build)];
}

function levelTopics(shop: ShopData, e: ChangeEvent, ev: Ev): TopicEvent[] {
  const itemId = e.inventoryItemId ?? 0;
  const locationId = e.locationId ?? 0;
  if (e.action === 'disconnect')
    return [ev('inventory_levels/disconnect', () => inventoryDisconnectPayload(itemId, locationId))];
  const topic = e.action === 'connect' ? 'inventory_levels/connect' : 'inventory_levels/update';
  return [
    ev(topic, () =>
      withRecord(shop.inventoryItems.get(itemId)?.levels.get(locationId), inventoryLevelPayload),
    ),
  ];
}

function orderTopics(shop: ShopData, e: ChangeEvent, id: number, ev: Ev): TopicEvent[] {
  if (e.action === 'delete') return [ev('orders/delete', () => orderDeletePayload(id))];
  const build = (): Record<string, unknown> | null =>
    withRecord(shop.orders.get(id), (o) => orderPayload(shop, o));
  if (e.action === 'create') {
    const paid = shop.orders.get(id)?.financialStatus === 'PAID';
    return paid ? [ev('orders/create', build), ev('orders/paid', build)] : [ev('orders/create', build)];
  }
  if (e.action === 'cancel') return [ev('orders/cancelled', build), ev('orders/updated', build)];
  if (e.action === 'fulfill') return [ev('orders/fulfilled', build), ev('orders/updated', build)];
  return [ev('orders/updated', build)];
}

function withRecord<T>(
  record: T | undefined,
  build: (r: T) => Record<string, unknown>,
): Record<string, unknown> | null {
  return record === undefined ? null : build(record);
}
