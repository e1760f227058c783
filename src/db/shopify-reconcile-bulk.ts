import type { Queryable } from './db.ts';
import type { SyncBaseEntity } from './shopify-sync-base.ts';

/** One line of a reconciliation's bulk mutation: the difference it repairs and what its decision saw. */
export interface BulkLine {
  /** The difference's key in the run (`shopify_reconcile_differences.key`). */
  key: string;
  localId: string;
  gid: string;
  /** The cause in words (Sync History's `cause`). */
  cause: string;
  displayName: string;
  /** The hash of the snapshot the line makes Shopify hold (its echo note). */
  pushedHash: string;
  /** The sync base's hash and Retailos's version when the line was decided. */
  baseHash: string | null;
  localVersion: number;
  /** The Retailos state the push was merged from, and Shopify's state as read just before. */
  localSnapshot: unknown;
  remoteSnapshot: unknown;
  /** The snapshot the line pushes (its answer's words) and the merge's conflicts. */
  merged: unknown;
  conflicts: unknown;
}

export type BulkState = 'staging' | 'submitted' | 'done';

export interface BulkRow {
  id: string;
  tenantId: string;
  runId: string;
  entity: SyncBaseEntity;
  operationName: string;
  operationId: string | null;
  state: BulkState;
  createdAt: Date;
  lines: BulkLine[];
}

interface BulkDbRow {
  id: string;
  tenant_id: string;
  run_id: string;
  entity: SyncBaseEntity;
  operation_name: string;
  operation_id: string | null;
  state: BulkState;
  created_at: Date;
  lines: BulkLine[];
}

const toRow = (r: BulkDbRow): BulkRow => ({
  id: String(r.id),
  tenantId: r.tenant_id,
  runId: r.run_id,
  entity: r.entity,
  operationName: r.operation_name,
  operationId: r.operation_id,
  state: r.state,
  createdAt: r.created_at,
  lines: r.lines,
});

/**
 * Writes a group's row, `staging`, with its lines; its operation name comes from the row's id and the
 * run's (`name(id)`), unique for good, so the operation is found again by it after a kill.
 */
export async function insertBulk(
  q: Queryable,
  row: { tenantId: string; runId: string; entity: SyncBaseEntity; lines: readonly BulkLine[] },
  name: (id: string) => string,
  now: Date,
): Promise<BulkRow> {
  const { rows } = await q.query<BulkDbRow>(
    `insert into shopify_reconcile_bulk (tenant_id, run_id, entity, operation_name, state, created_at, lines)
     values ($1, $2, $3, 'RetailosRepair_pending_' || gen_random_uuid()::text, 'staging', $4, $5::jsonb)
     returning *`,
    [row.tenantId, row.runId, row.entity, now, JSON.stringify(row.lines)],
  );
  const inserted = rows[0] as BulkDbRow;
  const { rows: named } = await q.query<BulkDbRow>(
    'update shopify_reconcile_bulk set operation_name = $2 where id = $1 returning *',
    [inserted.id, name(String(inserted.id))],
  );
  return toRow(named[0] as BulkDbRow);
}

/** The run's groups of one kind not done yet (a kill left them staging or submitted), oldest first. */
export async function openBulks(q: Queryable, runId: string, entity: string): Promise<BulkRow[]> {
  const { rows } = await q.query<BulkDbRow>(
    `select * from shopify_reconcile_bulk where run_id = $1 and entity = $2 and state <> 'done' order by id`,
    [runId, entity],
  );
  return rows.map(toRow);
}

/** The difference keys of one kind any group of the run took (a line is never sent in a second group). */
export async function bulkKeys(q: Queryable, runId: string, entity: string): Promise<Set<string>> {
  const { rows } = await q.query<{ key: string }>(
    `select l->>'key' as key from shopify_reconcile_bulk b, jsonb_array_elements(b.lines) l
     where b.run_id = $1 and b.entity = $2`,
    [runId, entity],
  );
  return new Set(rows.map((r) => r.key));
}

export async function setBulkSubmitted(q: Queryable, id: string, operationId: string): Promise<void> {
  await q.query(`update shopify_reconcile_bulk set operation_id = $2, state = 'submitted' where id = $1`, [
    id,
    operationId,
  ]);
}

export async function setBulkDone(q: Queryable, id: string): Promise<void> {
  await q.query(`update shopify_reconcile_bulk set state = 'done' where id = $1`, [id]);
}

/** A group Shopify never received (not found by its name after a kill): its lines are free again. */
export async function deleteBulk(q: Queryable, id: string): Promise<void> {
  await q.query('delete from shopify_reconcile_bulk where id = $1', [id]);
}

/** A difference's state, locked for the caller's transaction (a line settles once, whoever comes first). */
export async function lockDifferenceState(
  q: Queryable,
  runId: string,
  entity: string,
  key: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ state: string }>(
    `select state from shopify_reconcile_differences where run_id = $1 and entity = $2 and key = $3 for update`,
    [runId, entity, key],
  );
  return rows[0]?.state;
}
