import type { Queryable } from '../db/db.ts';
import {
  forgetSubscriptions,
  rememberSubscription,
  subscriptionGids,
} from '../db/shopify-webhook-subscriptions.ts';
import { PermanentError } from '../errors.ts';
import { adminGraphql } from '../shopify/graphql-client.ts';
import type { ShopifyApp } from '../shopify/app.ts';
import { webhookUrl } from './shopify-deps.ts';
import { SYNC_TOPICS } from './webhook-topics.ts';

const CREATE = `mutation Subscribe($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;

const LIST = `query Subscriptions($after: String) {
  webhookSubscriptions(first: 100, after: $after) { nodes { id topic uri } pageInfo { hasNextPage endCursor } }
}`;

const DELETE = `mutation Unsubscribe($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}`;

interface CreateResult {
  webhookSubscriptionCreate: {
    webhookSubscription: { id: string; topic: string; uri: string } | null;
    userErrors: { field: string[] | null; message: string }[];
  };
}

export interface Target {
  tenantId: string;
  shop: string;
  accessToken: string;
}

interface ListResult {
  webhookSubscriptions: {
    nodes: { id: string; topic: string; uri: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Our subscriptions that exist on Shopify now, by topic (pointing at our webhook address). */
export async function listRemoteSubscriptions(app: ShopifyApp, t: Target): Promise<Map<string, string>> {
  const cfg = { shopOriginTemplate: app.shopOriginTemplate, apiVersion: app.apiVersion };
  const uri = webhookUrl(app);
  const found = new Map<string, string>();
  let after: string | null = null;
  do {
    const r: { data: ListResult } = await adminGraphql<ListResult>(cfg, {
      shop: t.shop,
      accessToken: t.accessToken,
      query: LIST,
      variables: { after },
    });
    for (const n of r.data.webhookSubscriptions.nodes) if (n.uri === uri) found.set(n.topic, n.id);
    after = r.data.webhookSubscriptions.pageInfo.hasNextPage
      ? r.data.webhookSubscriptions.pageInfo.endCursor
      : null;
  } while (after);
  return found;
}

function remember(
  db: Queryable,
  app: ShopifyApp,
  tenantId: string,
  topic: string,
  gid: string,
  created: boolean,
  now: Date | null,
): Promise<void> {
  const sub = { topic, gid, callbackUrl: webhookUrl(app), apiVersion: app.apiVersion };
  return rememberSubscription(db, tenantId, sub, created, now);
}

/**
 * Subscribes every sync topic to our webhook address, keeping subscriptions that already exist (a
 * reconnect, or a re-registration after Shopify removed some), and records each subscription's id.
 * Returns how many it had to create.
 */
export async function registerWebhooks(
  db: Queryable,
  app: ShopifyApp,
  t: Target,
  now: Date | null = null,
): Promise<number> {
  const cfg = { shopOriginTemplate: app.shopOriginTemplate, apiVersion: app.apiVersion };
  const uri = webhookUrl(app);
  const existing = await listRemoteSubscriptions(app, t);
  let created = 0;
  for (const topic of SYNC_TOPICS) {
    const have = existing.get(topic);
    if (have) {
      await remember(db, app, t.tenantId, topic, have, false, now);
      continue;
    }
    const r = await adminGraphql<CreateResult>(cfg, {
      shop: t.shop,
      accessToken: t.accessToken,
      query: CREATE,
      variables: { topic, sub: { uri, format: 'JSON' } },
    });
    const { webhookSubscription: sub, userErrors } = r.data.webhookSubscriptionCreate;
    if (!sub) {
      throw new PermanentError(
        `Shopify refused the ${topic} subscription: ${userErrors.map((e) => e.message).join('; ')}`,
        'webhook_refused',
      );
    }
    await remember(db, app, t.tenantId, topic, sub.id, now !== null, now);
    created += 1;
  }
  return created;
}

/** Deletes our subscriptions on Shopify and forgets them. */
export async function unregisterWebhooks(db: Queryable, app: ShopifyApp, t: Target): Promise<void> {
  const cfg = { shopOriginTemplate: app.shopOriginTemplate, apiVersion: app.apiVersion };
  for (const gid of await subscriptionGids(db, t.tenantId)) {
    await adminGraphql(cfg, {
      shop: t.shop,
      accessToken: t.accessToken,
      query: DELETE,
      variables: { id: gid },
    });
  }
  await forgetWebhooks(db, t.tenantId);
}

export function forgetWebhooks(db: Queryable, tenantId: string): Promise<void> {
  return forgetSubscriptions(db, tenantId);
}
