import { nowSeconds } from './clock.ts';
import { gid, nextId } from './ids.ts';
import { emitChange, StoreError, type Store } from './store.ts';
import type { ShopData, WebhookSubscriptionRecord } from './types.ts';

export type WebhookSubscriptionInput = Omit<WebhookSubscriptionRecord, 'id' | 'createdAt' | 'updatedAt'>;
export type WebhookSubscriptionPatch = Partial<
  Pick<
    WebhookSubscriptionRecord,
    'uri' | 'format' | 'includeFields' | 'metafieldNamespaces' | 'filter' | 'name'
  >
>;

export function createWebhookSubscription(
  store: Store,
  shop: ShopData,
  input: WebhookSubscriptionInput,
): WebhookSubscriptionRecord {
  const at = nowSeconds(store.clock);
  const sub: WebhookSubscriptionRecord = {
    id: nextId(shop, 'WebhookSubscription'),
    ...input,
    createdAt: at,
    updatedAt: at,
  };
  shop.webhookSubscriptions.set(sub.id, sub);
  emit(store, shop, sub, 'create');
  return sub;
}

export function updateWebhookSubscription(
  store: Store,
  shop: ShopData,
  id: number,
  patch: WebhookSubscriptionPatch,
): WebhookSubscriptionRecord {
  const sub = shop.webhookSubscriptions.get(id);
  if (!sub) throw new StoreError('NOT_FOUND', `webhook subscription ${id} not found`);
  Object.assign(sub, patch);
  sub.updatedAt = nowSeconds(store.clock);
  emit(store, shop, sub, 'update');
  return sub;
}

/** Deletes a subscription (API call, or Shopify removing a failing one). */
export function deleteWebhookSubscription(store: Store, shop: ShopData, id: number): void {
  const sub = shop.webhookSubscriptions.get(id);
  if (!sub) throw new StoreError('NOT_FOUND', `webhook subscription ${id} not found`);
  shop.webhookSubscriptions.delete(id);
  emit(store, shop, sub, 'delete');
}

/** Subscriptions listening to a topic enum value (e.g. `PRODUCTS_UPDATE`). */
export function subscriptionsForTopic(shop: ShopData, topic: string): WebhookSubscriptionRecord[] {
  return [...shop.webhookSubscriptions.values()].filter((s) => s.topic === topic);
}

function emit(
  store: Store,
  shop: ShopData,
  sub: WebhookSubscriptionRecord,
  action: 'create' | 'update' | 'delete',
): void {
  emitChange(store, {
    shop: shop.domain,
    kind: 'webhook_subscription',
    action,
    id: gid('WebhookSubscription', sub.id),
    at: nowSeconds(store.clock),
    appKey: sub.appKey,
  });
}
