import { readWebhookBody, storableJson } from '../domain/shopify-map/webhook-json.ts';
import type { Queryable } from './db.ts';

export interface InboxDelivery {
  tenantId: string;
  webhookId: string;
  eventId: string | null;
  topic: string;
  shop: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  receivedAt: Date;
  body: unknown;
  state: 'pending' | 'ignored';
}

export type ShopDelivery = Omit<InboxDelivery, 'tenantId' | 'body'> & {
  /**
   * The payload exactly as received (already checked to be JSON). Stored as text (`raw_body`), and as
   * jsonb (`body`) with text Postgres cannot hold made storable (see storableJson).
   */
  rawBody: string;
};

/**
 * Stores a delivery for the tenant whose connection holds the grant for `d.shop` (at most one: the
 * unique index shopify_connections_live_shop_key), in one round trip (the webhook route answers
 * Shopify fast). `tenantId` is null when no connection holds that shop (nothing is stored); `stored`
 * is false for a webhook id already seen (a duplicate). Every id is spent in shopify_webhook_receipts,
 * whatever the shop, so a delivery re-sent under another shop's (unsigned) header is a duplicate.
 */
export async function storeShopDelivery(
  q: Queryable,
  d: ShopDelivery,
): Promise<{ tenantId: string | null; stored: boolean }> {
  const { rows } = await q.query<{ tenant_id: string | null; stored: number }>(
    `with r as (
       insert into shopify_webhook_receipts (webhook_id, shop, topic, received_at) values ($2, $1, $4, $7)
       on conflict (webhook_id) do nothing
       returning webhook_id),
     c as (select tenant_id from shopify_connections where shop = $1 and access_token_sealed is not null),
     ins as (
       insert into shopify_webhook_inbox (tenant_id, webhook_id, event_id, topic, shop, api_version, triggered_at, received_at, body, raw_body, state)
       select c.tenant_id, $2, $3, $4, $1, $5, $6, $7, $8::jsonb, $10, $9 from c, r
       on conflict (webhook_id) do nothing
       returning id)
     select (select tenant_id from c) as tenant_id, (select count(*) from ins)::int as stored`,
    [
      d.shop,
      d.webhookId,
      d.eventId,
      d.topic,
      d.apiVersion,
      d.triggeredAt,
      d.receivedAt,
      storableJson(d.rawBody),
      d.state,
      d.rawBody,
    ],
  );
  return { tenantId: rows[0]?.tenant_id ?? null, stored: Number(rows[0]?.stored ?? 0) === 1 };
}

/** The delivery as received; rows stored before raw_body existed have only their jsonb body. */
const RAW = 'coalesce(raw_body, body::text)';

export interface PendingDelivery {
  id: number;
  topic: string;
  body: Record<string, unknown>;
  shop: string;
}

export async function pendingDeliveries(
  q: Queryable,
  tenantId: string,
  topics: readonly string[],
  limit = 100,
): Promise<PendingDelivery[]> {
  const { rows } = await q.query<{ id: number; topic: string; raw: string; shop: string }>(
    `select id, topic, ${RAW} as raw, shop from shopify_webhook_inbox
     where tenant_id = $1 and state = 'pending' and topic = any($2::text[]) order by id limit $3`,
    [tenantId, topics, limit],
  );
  return rows.map((r) => {
    const read = readWebhookBody(r.raw);
    const body = read.ok && typeof read.value === 'object' && read.value !== null ? read.value : {};
    return { id: r.id, topic: r.topic, shop: r.shop, body: body as Record<string, unknown> };
  });
}

export async function markApplied(q: Queryable, id: number, now: Date): Promise<void> {
  await q.query(
    `update shopify_webhook_inbox set state = 'applied', applied_at = $2, attempts = attempts + 1 where id = $1`,
    [id, now],
  );
}

export interface InboxRow {
  id: number;
  topic: string;
  /** The payload read losslessly (integers past 2^53 as bigint, text made storable); null if unreadable. */
  body: unknown;
  /** Why the payload could not be read, when it could not. */
  unreadable: string | null;
  triggeredAt: Date | null;
  receivedAt: Date;
}

interface InboxDbRow {
  id: string | number;
  topic: string;
  raw: string;
  triggered_at: Date | null;
  received_at: Date;
}

const INBOX_ROW = `id, topic, ${RAW} as raw, triggered_at, received_at`;

/** A stored delivery as the sync reads it: the payload read losslessly, or why it cannot be. */
function toInboxRow(r: InboxDbRow): InboxRow {
  const read = readWebhookBody(r.raw);
  return {
    id: Number(r.id),
    topic: r.topic,
    body: read.ok ? read.value : null,
    unreadable: read.ok ? null : read.reason,
    triggeredAt: r.triggered_at,
    receivedAt: r.received_at,
  };
}

/** The tenant's oldest pending entity deliveries (lifecycle topics are applied by their own job). */
export async function pendingEntityDeliveries(
  q: Queryable,
  tenantId: string,
  excludeTopics: readonly string[],
  limit: number,
  now: Date,
): Promise<InboxRow[]> {
  const { rows } = await q.query<InboxDbRow>(
    `select ${INBOX_ROW} from shopify_webhook_inbox
     where tenant_id = $1 and state = 'pending' and not (topic = any($2::text[]))
       and (not_before is null or not_before <= $4)
     order by id limit $3`,
    [tenantId, excludeTopics, limit, now],
  );
  return rows.map(toInboxRow);
}

/**
 * A record's deliveries under `topics` received since `since`, newest first (at most `limit`): when
 * Retailos first received one of its states (shopify-edit-time.ts). The record is named by its numeric
 * id or its GID in the payload (jsonb keeps every digit of a 64-bit id).
 */
export async function recordDeliveriesSince(
  q: Queryable,
  tenantId: string,
  topics: readonly string[],
  record: { id: string; gid: string },
  since: Date,
  limit = 20,
): Promise<InboxRow[]> {
  const { rows } = await q.query<InboxDbRow>(
    `select ${INBOX_ROW} from shopify_webhook_inbox
     where tenant_id = $1 and topic = any($2::text[]) and received_at >= $3
       and (body->>'id' = $4 or body->>'admin_graphql_api_id' = $5)
     order by id desc limit $6`,
    [tenantId, topics, since, record.id, record.gid, limit],
  );
  return rows.map(toInboxRow);
}

/** Settles deliveries: applied (done, including stale or echo), ignored (nothing to do) or failed (see last_error). */
export async function settleDeliveries(
  q: Queryable,
  ids: readonly number[],
  state: 'applied' | 'ignored' | 'failed',
  now: Date,
  error: string | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `update shopify_webhook_inbox set state = $2, applied_at = $3, attempts = attempts + 1, last_error = $4
     where id = any($1::bigint[])`,
    [ids, state, now, error],
  );
}

/** Leaves deliveries pending, not to be read again before `notBefore` (their record has not arrived yet). */
export async function deferDeliveries(
  q: Queryable,
  ids: readonly number[],
  notBefore: Date,
  why: string,
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `update shopify_webhook_inbox set not_before = $2, attempts = attempts + 1, last_error = $3
     where id = any($1::bigint[])`,
    [ids, notBefore, why],
  );
}

/**
 * Deliveries that waited for a record our push has just linked (its creation) become due now: those
 * naming the record's GID and, for a product, its variants' inventory items (by their numeric ids, as
 * inventory deliveries name them). Returns how many.
 */
export async function releaseLinkedDeliveries(
  q: Queryable,
  tenantId: string,
  gid: string,
  itemIds: readonly string[],
  now: Date,
): Promise<number> {
  const { rows } = await q.query<{ id: string }>(
    `update shopify_webhook_inbox set not_before = $4::timestamptz
     where tenant_id = $1 and state = 'pending' and not_before > $4
       and (body->>'admin_graphql_api_id' = $2
            or (topic like 'inventory\\_levels/%' and body->>'inventory_item_id' = any($3::text[])))
     returning id`,
    [tenantId, gid, itemIds, now],
  );
  return rows.length;
}

/** Tenants whose shop is syncing and who have deliveries waiting. */
export async function tenantsWithPendingDeliveries(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ tenant_id: string }>(
    `select distinct i.tenant_id from shopify_webhook_inbox i
     join shopify_connections c on c.tenant_id = i.tenant_id and c.state = 'syncing'
     where i.state = 'pending'`,
  );
  return rows.map((r) => r.tenant_id);
}

/** Puts failed deliveries back to pending (a dead letter replayed). */
export async function reopenDeliveries(
  q: Queryable,
  tenantId: string,
  ids: readonly number[],
): Promise<void> {
  if (ids.length === 0) return;
  await q.query(
    `update shopify_webhook_inbox set state = 'pending', applied_at = null
     where tenant_id = $1 and id = any($2::bigint[]) and state = 'failed'`,
    [tenantId, ids],
  );
}

export interface TopicStats {
  topic: string;
  lastReceivedAt: Date | null;
  deliveries: number;
  failures: number;
  lagP50Ms: number | null;
  lagP95Ms: number | null;
  lagP99Ms: number | null;
}

/**
 * Per topic over a window: deliveries Shopify sent (back-fill pointers are not deliveries), failures, the
 * last one, and the lag from Shopify's trigger (X-Shopify-Triggered-At) to receipt.
 */
export async function topicStats(q: Queryable, tenantId: string, since: Date): Promise<TopicStats[]> {
  const { rows } = await q.query<{
    topic: string;
    last: Date | null;
    deliveries: string | number;
    failures: string | number;
    p50: number | null;
    p95: number | null;
    p99: number | null;
  }>(
    `select topic, max(received_at) as last, count(*) as deliveries,
       count(*) filter (where state = 'failed') as failures,
       percentile_cont(0.5) within group (order by extract(epoch from (received_at - triggered_at)) * 1000) as p50,
       percentile_cont(0.95) within group (order by extract(epoch from (received_at - triggered_at)) * 1000) as p95,
       percentile_cont(0.99) within group (order by extract(epoch from (received_at - triggered_at)) * 1000) as p99
     from shopify_webhook_inbox where tenant_id = $1 and received_at >= $2 and not backfill group by topic`,
    [tenantId, since],
  );
  return rows.map((r) => ({
    topic: r.topic,
    lastReceivedAt: r.last,
    deliveries: Number(r.deliveries),
    failures: Number(r.failures),
    lagP50Ms: r.p50 === null ? null : Math.round(Number(r.p50)),
    lagP95Ms: r.p95 === null ? null : Math.round(Number(r.p95)),
    lagP99Ms: r.p99 === null ? null : Math.round(Number(r.p99)),
  }));
}

/** Deliveries waiting to be applied and the age of the oldest. */
export async function pendingInboxStats(
  q: Queryable,
  tenantId: string,
): Promise<{ pending: number; oldest: Date | null }> {
  const { rows } = await q.query<{ n: string | number; oldest: Date | null }>(
    `select count(*) as n, min(received_at) as oldest from shopify_webhook_inbox where tenant_id = $1 and state = 'pending'`,
    [tenantId],
  );
  return { pending: Number(rows[0]?.n ?? 0), oldest: rows[0]?.oldest ?? null };
}
