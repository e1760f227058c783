import type { ShopData, WebhookSubscriptionRecord } from '../store/index.ts';
import { signBody } from '../oauth/hmac.ts';
import type { Delivery } from './delivery-types.ts';
import { pickFields, serializePayload } from './include-fields.ts';
import { payloadSchema } from './schemas.ts';
import { shapeToSchema } from './shape.ts';

export interface DeliveryTarget {
  appKey: string;
  uri: string;
  apiVersion: string;
  subscriptionId: number | null;
  includeFields: readonly string[];
  name: string | null;
}

export function targetOf(sub: WebhookSubscriptionRecord): DeliveryTarget {
  return {
    appKey: sub.appKey,
    uri: sub.uri,
    apiVersion: sub.apiVersion,
    subscriptionId: sub.id,
    includeFields: sub.includeFields,
    name: sub.name,
  };
}

/** The payload for one version: fitted to that version's schema, then includeFields. */
export function versionedPayload(
  shop: ShopData,
  topic: string,
  payload: Record<string, unknown>,
  target: DeliveryTarget,
  triggeredAt: string,
): Record<string, unknown> {
  const schema = payloadSchema(target.apiVersion, topic);
  const defaults = {
    time: triggeredAt,
    uri: `https://${shop.domain}/admin`,
    hostname: shop.domain,
  };
  const shaped =
    schema === undefined ? payload : (shapeToSchema(schema, payload, defaults) as Record<string, unknown>);
  return pickFields(shaped, target.includeFields);
}

export interface NewDelivery {
  seq: number;
  webhookId: string;
  eventId: string;
  shop: ShopData;
  topic: string;
  target: DeliveryTarget;
  payload: Record<string, unknown>;
  triggeredAt: string;
  secret: string;
  dueAt: number;
}

/** Builds the delivery: body bytes fixed once, signed with the app secret. */
export function buildDelivery(n: NewDelivery): Delivery {
  const body = serializePayload(versionedPayload(n.shop, n.topic, n.payload, n.target, n.triggeredAt));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Shopify-Captain-Hook',
    'X-Shopify-Topic': n.topic,
    'X-Shopify-Hmac-Sha256': signBody(body, n.secret),
    'X-Shopify-Shop-Domain': n.shop.domain,
    'X-Shopify-API-Version': n.target.apiVersion,
    'X-Shopify-Webhook-Id': n.webhookId,
    'X-Shopify-Event-Id': n.eventId,
    'X-Shopify-Triggered-At': n.triggeredAt,
  };
  if (n.target.name) headers['X-Shopify-Name'] = n.target.name;
  return {
    seq: n.seq,
    webhookId: n.webhookId,
    eventId: n.eventId,
    shop: n.shop.domain,
    appKey: n.target.appKey,
    subscriptionId: n.target.subscriptionId,
    topic: n.topic,
    apiVersion: n.target.apiVersion,
    uri: n.target.uri,
    triggeredAt: n.triggeredAt,
    headers,
    body,
    state: 'pending',
    attempts: [],
    nextAttemptAt: n.dueAt,
    duplicateOf: null,
    subscriptionRemoved: false,
  };
}
