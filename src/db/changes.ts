import type { ChangeEntity, ChangeOp, ChangeOrigin } from '../domain/entities.ts';
import type { Queryable } from './db.ts';

export interface ChangeRow {
  id: number;
  tenantId: string;
  entity: ChangeEntity;
  entityId: string;
  version: number;
  op: ChangeOp;
  origin: ChangeOrigin;
  createdAt: Date;
}

export interface ChangeWrite {
  entity: ChangeEntity;
  entityId: string;
  version: number;
  op: ChangeOp;
  /**
   * The top-level keys of the record's canonical snapshot this write changed (`title`, `note`,
   * `variants`…); absent: unknown. The merge takes a field's Retailos edit time from them.
   */
  fields?: readonly string[];
  /** When the write was made (the writer's clock, the time it stamps the record with); absent: now(). */
  at?: Date;
}

/** Writes change rows in the caller's transaction: the outbox row commits or rolls back with the write. */
export async function recordChanges(
  tx: Queryable,
  tenantId: string,
  origin: ChangeOrigin,
  changes: readonly ChangeWrite[],
): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `insert into changes (tenant_id, entity, entity_id, version, op, origin, fields, created_at)
     select $1, r.entity, r.entity_id, r.version, r.op, $2, r.fields, coalesce(r.at, now())
     from jsonb_to_recordset($3::jsonb)
       as r(entity text, entity_id uuid, version integer, op text, fields text[], at timestamptz)`,
    [
      tenantId,
      origin,
      JSON.stringify(
        changes.map((c) => ({
          entity: c.entity,
          entity_id: c.entityId,
          version: c.version,
          op: c.op,
          fields: c.fields ?? null,
          at: c.at ?? null,
        })),
      ),
    ],
  );
}

interface DbChange {
  id: number;
  tenant_id: string;
  entity: ChangeEntity;
  entity_id: string;
  version: number;
  op: ChangeOp;
  origin: ChangeOrigin;
  created_at: Date;
}

export async function listChangesAfter(
  q: Queryable,
  tenantId: string,
  afterId: number,
  limit = 500,
): Promise<ChangeRow[]> {
  const { rows } = await q.query<DbChange>(
    `select * from changes where tenant_id = $1 and id > $2 order by id limit $3`,
    [tenantId, afterId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    entity: r.entity,
    entityId: r.entity_id,
    version: r.version,
    op: r.op,
    origin: r.origin,
    createdAt: r.created_at,
  }));
}

export interface RelayedChange {
  id: number;
  entity: ChangeEntity;
  entityId: string;
  op: ChangeOp;
}

/**
 * Takes the tenant's changes not yet handed to the push queue (oldest first) and marks them handed,
 * in the caller's transaction. Rows another relay holds are skipped, so two relays never take the
 * same change. The sync's own writes (origin 'shopify') are never taken.
 */
export async function takeUnrelayedChanges(
  tx: Queryable,
  tenantId: string,
  now: Date,
  limit = 500,
): Promise<RelayedChange[]> {
  const { rows } = await tx.query<{
    id: string | number;
    entity: ChangeEntity;
    entity_id: string;
    op: ChangeOp;
  }>(
    `update changes set relayed_at = $2 where id in (
       select id from changes where tenant_id = $1 and relayed_at is null and origin <> 'shopify'
       order by id limit $3 for update skip locked)
     returning id, entity, entity_id, op`,
    [tenantId, now, limit],
  );
  return rows
    .map((r) => ({ id: Number(r.id), entity: r.entity, entityId: r.entity_id, op: r.op }))
    .sort((a, b) => a.id - b.id);
}

/** Local changes not yet handed to the push queue, and the age of the oldest. */
export async function unrelayedStats(
  q: Queryable,
  tenantId: string,
): Promise<{ waiting: number; oldest: Date | null }> {
  const { rows } = await q.query<{ n: string | number; oldest: Date | null }>(
    `select count(*) as n, min(created_at) as oldest from changes
     where tenant_id = $1 and relayed_at is null and origin <> 'shopify'`,
    [tenantId],
  );
  return { waiting: Number(rows[0]?.n ?? 0), oldest: rows[0]?.oldest ?? null };
}

/** The id of the newest change to one record that the sync may push (not the sync's own writes); 0 when none. */
export async function newestPushableChange(
  q: Queryable,
  tenantId: string,
  entity: ChangeEntity,
  entityId: string,
): Promise<number> {
  const { rows } = await q.query<{ id: string | number | null }>(
    `select max(id) as id from changes where tenant_id = $1 and entity = $2 and entity_id = $3 and origin <> 'shopify'`,
    [tenantId, entity, entityId],
  );
  return Number(rows[0]?.id ?? 0);
}

/**
 * Hands one record's newest local change back to the outbox (not relayed), so the relay queues its
 * push again when sync resumes. A record with no pushable change row (a push queued for stock the
 * sync found, say) gets one with origin 'system'. Returns the change's id.
 */
export async function returnToOutbox(
  q: Queryable,
  tenantId: string,
  entity: ChangeEntity,
  entityId: string,
): Promise<number> {
  const { rows } = await q.query<{ id: string | number }>(
    `update changes set relayed_at = null where id = (
       select max(id) from changes where tenant_id = $1 and entity = $2 and entity_id = $3 and origin <> 'shopify')
     returning id`,
    [tenantId, entity, entityId],
  );
  if (rows[0]) return Number(rows[0].id);
  const inserted = await q.query<{ id: string | number }>(
    `insert into changes (tenant_id, entity, entity_id, version, op, origin, fields)
     values ($1, $2, $3, 0, 'update', 'system', '{}') returning id`,
    [tenantId, entity, entityId],
  );
  return Number(inserted.rows[0]?.id);
}

/** Tenants whose store syncs and that have local changes not yet handed to the push queue. */
export async function syncingTenantsWithUnrelayedChanges(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ tenant_id: string }>(
    `select distinct c.tenant_id from changes c join shopify_connections s on s.tenant_id = c.tenant_id
     where c.relayed_at is null and c.origin <> 'shopify' and s.state = 'syncing'`,
  );
  return rows.map((r) => r.tenant_id);
}

/**
 * When Retailos last edited each of `keys` (top-level snapshot keys) of one record: the time of the
 * latest change row, not the sync's own, that names the key. A key no row names, or one named only before
 * a row whose fields are unknown, has no time here (the caller falls back to the record's). One query.
 */
export async function fieldEditTimes(
  q: Queryable,
  tenantId: string,
  entity: ChangeEntity,
  entityId: string,
  keys: readonly string[],
): Promise<Map<string, Date>> {
  if (keys.length === 0) return new Map();
  const { rows } = await q.query<{
    key: string;
    edited: Date | string | null;
    unknown: Date | string | null;
  }>(
    `select k.key,
            max(c.created_at) filter (where k.key = any(c.fields)) as edited,
            max(c.created_at) filter (where c.fields is null) as unknown
     from unnest($4::text[]) as k(key)
     left join changes c on c.tenant_id = $1 and c.entity = $2 and c.entity_id = $3 and c.origin <> 'shopify'
     group by k.key`,
    [tenantId, entity, entityId, keys],
  );
  const out = new Map<string, Date>();
  for (const r of rows) {
    if (r.edited === null) continue;
    const edited = new Date(r.edited);
    if (r.unknown !== null && new Date(r.unknown) >= edited) continue;
    out.set(r.key, edited);
  }
  return out;
}
