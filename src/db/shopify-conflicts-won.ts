import type { Queryable } from './db.ts';
import type { SyncBaseEntity } from './shopify-sync-base.ts';

/**
 * The field conflicts Shopify won (`shopify_conflicts_won`, migration 0048), kept while a late delivery
 * may still prove Shopify's edit older than the Retailos edit it beat (sync-entity.ts, reopenConflicts).
 */
export interface ConflictWon {
  entity: SyncBaseEntity;
  localId: string;
  /** A top-level snapshot key. */
  field: string;
  won: unknown;
  lost: unknown;
  localEditAt: Date;
  shopifyBound: Date;
  baseAt: Date | null;
  historyId: number | null;
  decidedAt: Date;
}

interface Row {
  entity: SyncBaseEntity;
  local_id: string;
  field: string;
  won: unknown;
  lost: unknown;
  local_edit_at: Date;
  shopify_bound: Date;
  base_at: Date | null;
  history_id: string | number | null;
  decided_at: Date;
}

const fromRow = (r: Row): ConflictWon => ({
  entity: r.entity,
  localId: r.local_id,
  field: r.field,
  won: r.won,
  lost: r.lost,
  localEditAt: r.local_edit_at,
  shopifyBound: r.shopify_bound,
  baseAt: r.base_at,
  historyId: r.history_id === null ? null : Number(r.history_id),
  decidedAt: r.decided_at,
});

/** The conflicts Shopify won of these records decided at or after `since` (older ones are left out). */
export async function conflictsWon(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localIds: readonly string[],
  since: Date,
): Promise<ConflictWon[]> {
  if (localIds.length === 0) return [];
  const { rows } = await q.query<Row>(
    `select entity, local_id, field, won, lost, local_edit_at, shopify_bound, base_at, history_id, decided_at
       from shopify_conflicts_won
      where tenant_id = $1 and entity = $2 and local_id = any($3::uuid[]) and decided_at >= $4
      order by local_id, field`,
    [tenantId, entity, localIds, since],
  );
  return rows.map(fromRow);
}

/**
 * After a decision stored `snapshot` as the record's state on both sides: drops its conflicts whose field
 * no longer holds the value Shopify won with (changed since on either side, or reopened), and every
 * conflict of the tenant decided before `expired` (no delivery can reopen it any more).
 */
export async function dropSettledConflicts(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  snapshot: unknown,
  expired: Date,
): Promise<void> {
  await dropSettledConflictsOf(q, tenantId, entity, [{ localId, snapshot }], expired);
}

/** dropSettledConflicts for many records at once (the webhook batch's writes). */
export async function dropSettledConflictsOf(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  records: readonly { localId: string; snapshot: unknown }[],
  expired: Date,
): Promise<void> {
  await q.query(
    `delete from shopify_conflicts_won c
      where c.tenant_id = $1
        and (c.decided_at < $4
          or exists (
            select 1 from jsonb_to_recordset($3::jsonb) as r(local_id uuid, snapshot jsonb)
             where c.entity = $2 and c.local_id = r.local_id
               and c.won is distinct from coalesce(r.snapshot -> c.field, 'null'::jsonb)))`,
    [
      tenantId,
      entity,
      JSON.stringify(records.map((r) => ({ local_id: r.localId, snapshot: r.snapshot }))),
      expired,
    ],
  );
}

/** Records the conflicts Shopify won in one decision (a later decision of the same field replaces it). */
export async function noteConflictsWon(
  q: Queryable,
  tenantId: string,
  conflicts: readonly Omit<ConflictWon, 'decidedAt'>[],
  now: Date,
): Promise<void> {
  if (conflicts.length === 0) return;
  await q.query(
    `insert into shopify_conflicts_won (tenant_id, entity, local_id, field, won, lost, local_edit_at,
       shopify_bound, base_at, history_id, decided_at)
     select $1, r.entity, r.local_id, r.field, coalesce(r.won, 'null'::jsonb), coalesce(r.lost, 'null'::jsonb),
       r.local_edit_at, r.shopify_bound, r.base_at,
       r.history_id, $3
       from jsonb_to_recordset($2::jsonb) as r(entity text, local_id uuid, field text, won jsonb, lost jsonb,
         local_edit_at timestamptz, shopify_bound timestamptz, base_at timestamptz, history_id bigint)
     on conflict (tenant_id, entity, local_id, field) do update set won = excluded.won, lost = excluded.lost,
       local_edit_at = excluded.local_edit_at, shopify_bound = excluded.shopify_bound,
       base_at = excluded.base_at, history_id = excluded.history_id, decided_at = excluded.decided_at`,
    [
      tenantId,
      JSON.stringify(
        conflicts.map((c) => ({
          entity: c.entity,
          local_id: c.localId,
          field: c.field,
          won: c.won ?? null,
          lost: c.lost ?? null,
          local_edit_at: c.localEditAt.toISOString(),
          shopify_bound: c.shopifyBound.toISOString(),
          base_at: c.baseAt?.toISOString() ?? null,
          history_id: c.historyId,
        })),
      ),
      now,
    ],
  );
}

/** Drops a record's conflicts (the record is forgotten: deleted, or unlinked). */
export async function dropConflictsOf(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
): Promise<void> {
  await q.query('delete from shopify_conflicts_won where tenant_id = $1 and entity = $2 and local_id = $3', [
    tenantId,
    entity,
    localId,
  ]);
}
