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

/** Stores a delivery; false when this webhook id was already stored (a duplicate: no work). */
export async function storeDelivery(q: Queryable, d: InboxDelivery): Promise<boolean> {
  const { rowCount } = await q.query(
    `insert into shopify_webhook_inbox (tenant_id, webhook_id, event_id, topic, shop, api_version, triggered_at, received_at, body, state)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
     on conflict (webhook_id) do nothing`,
    [
      d.tenantId,
      d.webhookId,
      d.eventId,
      d.topic,
      d.shop,
      d.apiVersion,
      d.triggeredAt,
      d.receivedAt,
      JSON.stringify(d.body),
      d.state,
    ],
  );
  return rowCount === 1;
}

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
  const { rows } = await q.query<PendingDelivery>(
    `select id, topic, body, shop from shopify_webhook_inbox
     where tenant_id = $1 and state = 'pending' and topic = any($2::text[]) order by id limit $3`,
    [tenantId, topics, limit],
  );
  return rows;
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
  body: unknown;
  triggeredAt: Date | null;
  receivedAt: Date;
}

/** The tenant's oldest pending entity deliveries (lifecycle topics are applied by their own job). */
export async function pendingEntityDeliveries(
  q: Queryable,
  tenantId: string,
  excludeTopics: readonly string[],
  limit: number,
): Promise<InboxRow[]> {
  const { rows } = await q.query<{
    id: string | number;
    topic: string;
    body: unknown;
    triggered_at: Date | null;
    received_at: Date;
  }>(
    `select id, topic, body, triggered_at, received_at from shopify_webhook_inbox
     where tenant_id = $1 and state = 'pending' and not (topic = any($2::text[])) order by id limit $3`,
    [tenantId, excludeTopics, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    topic: r.topic,
    body: r.body,
    triggeredAt: r.triggered_at,
    receivedAt: r.received_at,
  }));
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

/** Tenants whose shop is syncing and who have deliveries waiting. */
export async function tenantsWithPendingDeliveries(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ tenant_id: string }>(
    `select distinct i.tenant_id from shopify_webhook_inbox i
     join shopify_connections c on c.tenant_id = i.tenant_id and c.state = 'syncing'
     where i.state = 'pending'`,
  );
  return rows.map((r) => r.tenant_id);
}
