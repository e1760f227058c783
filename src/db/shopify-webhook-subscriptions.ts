import type { Queryable } from './db.ts';

/**
 * Our webhook subscriptions on each shop, as last confirmed by Shopify: when the periodic check last saw
 * each one, since when one is missing (Shopify drops failing shop-specific subscriptions), why its
 * re-registration failed, and the back-fill of what changed while it was gone.
 */
export interface SubscriptionRow {
  topic: string;
  subscriptionGid: string;
  createdAt: Date;
  lastCheckedAt: Date | null;
  reregisteredAt: Date | null;
  missingSince: Date | null;
  reregisterError: string | null;
  backfillFrom: Date | null;
  backfilledAt: Date | null;
  backfilledRecords: number | null;
  backfillNote: string | null;
}

interface DbRow {
  topic: string;
  subscription_gid: string;
  created_at: Date;
  last_checked_at: Date | null;
  reregistered_at: Date | null;
  missing_since: Date | null;
  reregister_error: string | null;
  backfill_from: Date | null;
  backfilled_at: Date | null;
  backfilled_records: number | null;
  backfill_note: string | null;
}

const toRow = (r: DbRow): SubscriptionRow => ({
  topic: r.topic,
  subscriptionGid: r.subscription_gid,
  createdAt: r.created_at,
  lastCheckedAt: r.last_checked_at,
  reregisteredAt: r.reregistered_at,
  missingSince: r.missing_since,
  reregisterError: r.reregister_error,
  backfillFrom: r.backfill_from,
  backfilledAt: r.backfilled_at,
  backfilledRecords: r.backfilled_records,
  backfillNote: r.backfill_note,
});

export async function listSubscriptions(q: Queryable, tenantId: string): Promise<SubscriptionRow[]> {
  const { rows } = await q.query<DbRow>(
    `select topic, subscription_gid, created_at, last_checked_at, reregistered_at, missing_since,
       reregister_error, backfill_from, backfilled_at, backfilled_records, backfill_note
     from shopify_webhook_subscriptions where tenant_id = $1 order by topic`,
    [tenantId],
  );
  return rows.map(toRow);
}

export interface RememberedSubscription {
  topic: string;
  gid: string;
  callbackUrl: string;
  apiVersion: string;
}

/**
 * Records that Shopify holds this subscription (its id), found (`created` false) or just created. `now`
 * null (at connect) leaves the check stamps alone; otherwise it is the check's time, and a subscription
 * created then is stamped re-registered. Either way it is no longer missing.
 */
export async function rememberSubscription(
  q: Queryable,
  tenantId: string,
  s: RememberedSubscription,
  created: boolean,
  now: Date | null,
): Promise<void> {
  await q.query(
    `insert into shopify_webhook_subscriptions (tenant_id, topic, subscription_gid, callback_url, api_version, last_checked_at)
     values ($1, $2, $3, $4, $5, $7)
     on conflict (tenant_id, topic) do update set subscription_gid = excluded.subscription_gid,
       callback_url = excluded.callback_url, api_version = excluded.api_version,
       last_checked_at = coalesce(excluded.last_checked_at, shopify_webhook_subscriptions.last_checked_at),
       reregistered_at = case when $6 then excluded.last_checked_at else shopify_webhook_subscriptions.reregistered_at end,
       missing_since = null, reregister_error = null`,
    [tenantId, s.topic, s.gid, s.callbackUrl, s.apiVersion, created, now],
  );
}

/**
 * Marks subscriptions Shopify no longer lists as missing (since the first check that missed them) and
 * sets the start of their back-fill window: the last time Shopify was known to hold them (its last
 * check, re-registration or creation), less `marginMs` for clocks and second-precision timestamps. A
 * back-fill still pending keeps its (earlier) start.
 */
export async function markMissing(
  q: Queryable,
  tenantId: string,
  topics: readonly string[],
  now: Date,
  marginMs: number,
): Promise<void> {
  if (topics.length === 0) return;
  await q.query(
    `update shopify_webhook_subscriptions set missing_since = coalesce(missing_since, $3),
       backfill_from = case when backfill_from is not null and (missing_since is not null or backfilled_at is null)
           then backfill_from
         else greatest(last_checked_at, reregistered_at, created_at) - make_interval(secs => $4::double precision / 1000) end,
       backfilled_at = null, backfilled_records = null, backfill_note = null
     where tenant_id = $1 and topic = any($2::text[])`,
    [tenantId, topics, now, marginMs],
  );
}

/** Why the last attempt to register missing subscriptions again failed (shown on Sync Health). */
export async function noteReregisterError(
  q: Queryable,
  tenantId: string,
  topics: readonly string[],
  error: string,
): Promise<void> {
  await q.query(
    `update shopify_webhook_subscriptions set reregister_error = $3 where tenant_id = $1 and topic = any($2::text[])`,
    [tenantId, topics, error],
  );
}

export interface BackfillDone {
  topic: string;
  records: number;
  note: string | null;
}

/** Settles the pending back-fill of each topic: when, how many records were read again, or why none. */
export async function recordBackfill(
  q: Queryable,
  tenantId: string,
  done: readonly BackfillDone[],
  now: Date,
): Promise<void> {
  if (done.length === 0) return;
  await q.query(
    `update shopify_webhook_subscriptions s set backfilled_at = $5, backfilled_records = d.records, backfill_note = d.note
     from unnest($2::text[], $3::int[], $4::text[]) as d(topic, records, note)
     where s.tenant_id = $1 and s.topic = d.topic`,
    [tenantId, done.map((d) => d.topic), done.map((d) => d.records), done.map((d) => d.note), now],
  );
}

/** Tenants whose subscriptions the periodic check compares with Shopify's: importing or syncing. */
export async function tenantsToCheck(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ tenant_id: string }>(
    `select tenant_id from shopify_connections where state in ('importing', 'syncing')`,
  );
  return rows.map((r) => r.tenant_id);
}

export async function subscriptionGids(q: Queryable, tenantId: string): Promise<string[]> {
  const { rows } = await q.query<{ subscription_gid: string }>(
    'select subscription_gid from shopify_webhook_subscriptions where tenant_id = $1',
    [tenantId],
  );
  return rows.map((r) => r.subscription_gid);
}

export async function forgetSubscriptions(q: Queryable, tenantId: string): Promise<void> {
  await q.query('delete from shopify_webhook_subscriptions where tenant_id = $1', [tenantId]);
}
