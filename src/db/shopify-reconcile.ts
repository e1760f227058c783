import type { Queryable } from './db.ts';

export type ReconcileState = 'running' | 'completed' | 'failed';
export type ReconcilePhase = 'compare' | 'repair' | 'done';
export type ReconcileTrigger = 'schedule' | 'demand';
export type DifferenceState = 'pending' | 'repaired' | 'left_to_live_sync' | 'failed' | 'unchanged';

export interface ReconcileRun {
  id: string;
  /** Opening order (migration 0029): runs sort by it, never tie. */
  seq: number;
  tenantId: string;
  dryRun: boolean;
  trigger: ReconcileTrigger;
  state: ReconcileState;
  phase: ReconcilePhase;
  reason: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  pointsSpent: number;
  progress: unknown;
  report: unknown;
}

interface RunDbRow {
  id: string;
  seq: string | number;
  tenant_id: string;
  dry_run: boolean;
  trigger: ReconcileTrigger;
  state: ReconcileState;
  phase: ReconcilePhase;
  reason: string | null;
  started_at: Date;
  finished_at: Date | null;
  points_spent: number;
  progress: unknown;
  report: unknown;
}

const toRun = (r: RunDbRow): ReconcileRun => ({
  id: r.id,
  seq: Number(r.seq),
  tenantId: r.tenant_id,
  dryRun: r.dry_run,
  trigger: r.trigger,
  state: r.state,
  phase: r.phase,
  reason: r.reason,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  pointsSpent: Number(r.points_spent),
  progress: r.progress,
  report: r.report,
});

/**
 * Opens a run unless the tenant has one running (one running run per shop: a partial unique index).
 * Returns the new run, or the running one with `created: false`.
 */
export async function openRun(
  q: Queryable,
  r: { id: string; tenantId: string; dryRun: boolean; trigger: ReconcileTrigger },
  now: Date,
): Promise<{ created: boolean; run: ReconcileRun }> {
  const { rows } = await q.query<RunDbRow>(
    `insert into shopify_reconcile_runs (id, tenant_id, dry_run, trigger, state, started_at)
     values ($1, $2, $3, $4, 'running', $5)
     on conflict (tenant_id) where state = 'running' do nothing returning *`,
    [r.id, r.tenantId, r.dryRun, r.trigger, now],
  );
  if (rows[0]) return { created: true, run: toRun(rows[0]) };
  const running = await runningRun(q, r.tenantId);
  if (!running) return openRun(q, r, now); // the running one finished meanwhile
  return { created: false, run: running };
}

export async function runningRun(q: Queryable, tenantId: string): Promise<ReconcileRun | undefined> {
  const { rows } = await q.query<RunDbRow>(
    `select * from shopify_reconcile_runs where tenant_id = $1 and state = 'running'`,
    [tenantId],
  );
  return rows[0] && toRun(rows[0]);
}

export async function getRun(q: Queryable, tenantId: string, id: string): Promise<ReconcileRun | undefined> {
  const { rows } = await q.query<RunDbRow>(
    'select * from shopify_reconcile_runs where tenant_id = $1 and id = $2',
    [tenantId, id],
  );
  return rows[0] && toRun(rows[0]);
}

/** Newest first, by opening order (two runs started in the same millisecond do not tie). */
export async function listRuns(q: Queryable, tenantId: string, limit: number): Promise<ReconcileRun[]> {
  const { rows } = await q.query<RunDbRow>(
    `select * from shopify_reconcile_runs where tenant_id = $1 order by seq desc limit $2`,
    [tenantId, limit],
  );
  return rows.map(toRun);
}

/** A failed run taken up again by its retry (unless another run runs now). */
export async function resumeRun(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>(
    `update shopify_reconcile_runs r set state = 'running', reason = null, finished_at = null
     where r.tenant_id = $1 and r.id = $2 and r.state = 'failed'
       and not exists (select 1 from shopify_reconcile_runs o where o.tenant_id = $1 and o.state = 'running')
     returning r.id`,
    [tenantId, id],
  );
  return rows.length > 0;
}

export async function setPhase(
  q: Queryable,
  id: string,
  phase: ReconcilePhase,
  report: unknown,
): Promise<void> {
  await q.query('update shopify_reconcile_runs set phase = $2, report = $3 where id = $1', [
    id,
    phase,
    JSON.stringify(report),
  ]);
}

export async function setProgress(
  q: Queryable,
  id: string,
  progress: unknown,
  points: number,
): Promise<void> {
  await q.query(
    'update shopify_reconcile_runs set progress = $2, points_spent = points_spent + $3 where id = $1',
    [id, JSON.stringify(progress), points],
  );
}

/** Points the run spent since its last progress (its last repairs' calls). */
export async function addPoints(q: Queryable, id: string, points: number): Promise<void> {
  if (points === 0) return;
  await q.query('update shopify_reconcile_runs set points_spent = points_spent + $2 where id = $1', [
    id,
    points,
  ]);
}

export async function finishRun(
  q: Queryable,
  id: string,
  end: { state: 'completed' | 'failed'; reason: string | null; report?: unknown },
  now: Date,
): Promise<void> {
  await q.query(
    `update shopify_reconcile_runs set state = $2, reason = $3, finished_at = $4,
       report = coalesce($5::jsonb, report), phase = case when $2 = 'completed' then 'done' else phase end
     where id = $1`,
    [id, end.state, end.reason, now, end.report === undefined ? null : JSON.stringify(end.report)],
  );
}

/**
 * A run whose job failed for good while the run still reads `running` (its last attempt's process
 * died, or the job expired): ends it as failed with the reason. A run already ended is left as it is.
 */
export async function failRunningRun(
  q: Queryable,
  tenantId: string,
  id: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>(
    `update shopify_reconcile_runs set state = 'failed', reason = $3, finished_at = $4
     where tenant_id = $1 and id = $2 and state = 'running' returning id`,
    [tenantId, id, reason, now],
  );
  return rows.length > 0;
}

export interface Difference {
  entity: string;
  key: string;
  localId: string | null;
  gid: string | null;
  displayName: string;
  cause: string;
  fields: unknown;
  seen: unknown;
  /** The record as the run's export read it (its root and children lines); null when Shopify had none. */
  remote?: unknown;
}

export interface DifferenceRow extends Difference {
  state: DifferenceState;
  outcome: string | null;
}

interface DifferenceDbRow {
  entity: string;
  key: string;
  local_id: string | null;
  gid: string | null;
  display_name: string;
  cause: string;
  fields: unknown;
  seen: unknown;
  remote: unknown;
  state: DifferenceState;
  outcome: string | null;
}

const toDifference = (r: DifferenceDbRow): DifferenceRow => ({
  entity: r.entity,
  key: r.key,
  localId: r.local_id,
  gid: r.gid,
  displayName: r.display_name,
  cause: r.cause,
  fields: r.fields,
  seen: r.seen,
  remote: r.remote,
  state: r.state,
  outcome: r.outcome,
});

export async function insertDifferences(
  q: Queryable,
  tenantId: string,
  runId: string,
  diffs: readonly Difference[],
): Promise<void> {
  if (diffs.length === 0) return;
  await q.query(
    `insert into shopify_reconcile_differences (run_id, tenant_id, entity, key, local_id, gid, display_name, cause, fields, seen, remote)
     select $1, $2, r.entity, r.key, r.local_id, r.gid, r.display_name, r.cause, r.fields, r.seen, r.remote
     from jsonb_to_recordset($3::jsonb) as r(entity text, key text, local_id uuid, gid text, display_name text,
       cause text, fields jsonb, seen jsonb, remote jsonb)
     on conflict (run_id, entity, key) do nothing`,
    [
      runId,
      tenantId,
      JSON.stringify(
        diffs.map((d) => ({
          entity: d.entity,
          key: d.key,
          local_id: d.localId,
          gid: d.gid,
          display_name: d.displayName,
          cause: d.cause,
          fields: d.fields,
          seen: d.seen,
          remote: d.remote ?? null,
        })),
      ),
    ],
  );
}

/** Forgets what an interrupted comparison found, so it starts over cleanly. */
export async function clearDifferences(q: Queryable, runId: string): Promise<void> {
  await q.query('delete from shopify_reconcile_differences where run_id = $1', [runId]);
}

/** A page of the run's differences of one kind still to repair. */
export async function pendingDifferences(
  q: Queryable,
  runId: string,
  entity: string,
  limit: number,
): Promise<DifferenceRow[]> {
  const { rows } = await q.query<DifferenceDbRow>(
    `select * from shopify_reconcile_differences where run_id = $1 and state = 'pending' and entity = $2
     order by key limit $3`,
    [runId, entity, limit],
  );
  return rows.map(toDifference);
}

export async function listDifferences(
  q: Queryable,
  tenantId: string,
  runId: string,
  limit: number,
): Promise<DifferenceRow[]> {
  const { rows } = await q.query<DifferenceDbRow>(
    `select entity, key, local_id, gid, display_name, cause, fields, seen, null as remote, state, outcome
     from shopify_reconcile_differences where tenant_id = $1 and run_id = $2
     order by entity, key limit $3`,
    [tenantId, runId, limit],
  );
  return rows.map(toDifference);
}

export async function settleDifference(
  q: Queryable,
  runId: string,
  d: { entity: string; key: string },
  state: Exclude<DifferenceState, 'pending'>,
  outcome: string,
): Promise<void> {
  await q.query(
    `update shopify_reconcile_differences set state = $4, outcome = $5
     where run_id = $1 and entity = $2 and key = $3 and state = 'pending'`,
    [runId, d.entity, d.key, state, outcome],
  );
}

/** Each settled state's count per entity and cause, for the report. */
export async function differenceCounts(
  q: Queryable,
  runId: string,
): Promise<{ entity: string; cause: string; state: DifferenceState; n: number }[]> {
  const { rows } = await q.query<{
    entity: string;
    cause: string;
    state: DifferenceState;
    n: string | number;
  }>(
    `select entity, cause, state, count(*) as n from shopify_reconcile_differences where run_id = $1
     group by entity, cause, state`,
    [runId],
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

const LOCAL_TABLES = { product: 'products', customer: 'customers', order: 'orders' } as const;

/** Local records of a kind that Shopify never got (no id map link), in id order after `after`. */
export async function unlinkedLocalIds(
  q: Queryable,
  tenantId: string,
  kind: keyof typeof LOCAL_TABLES,
  after: string | null,
  limit: number,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `select t.id from ${LOCAL_TABLES[kind]} t
     where t.tenant_id = $1 and ($2::uuid is null or t.id > $2)
       and not exists (select 1 from shopify_links m where m.tenant_id = $1 and m.entity = $3 and m.local_id = t.id)
     order by t.id limit $4`,
    [tenantId, after, kind, limit],
  );
  return rows.map((r) => r.id);
}

/** A page of a kind's sync bases (local id and GID), in local id order after `after`. */
export async function syncBaseKeys(
  q: Queryable,
  tenantId: string,
  entity: string,
  after: string | null,
  limit: number,
): Promise<{ localId: string; gid: string; hash: string }[]> {
  const { rows } = await q.query<{ local_id: string; gid: string; snapshot_hash: string }>(
    `select local_id, gid, snapshot_hash from shopify_links
     where tenant_id = $1 and entity = $2 and ($3::uuid is null or local_id > $3) and snapshot_hash is not null
     order by local_id limit $4`,
    [tenantId, entity, after, limit],
  );
  return rows.map((r) => ({ localId: r.local_id, gid: r.gid, hash: r.snapshot_hash }));
}

/** Syncing tenants whose latest run started before `since` (or who never had one): due for the daily run. */
export async function tenantsDueForRun(q: Queryable, since: Date): Promise<string[]> {
  const { rows } = await q.query<{ tenant_id: string }>(
    `select c.tenant_id from shopify_connections c
     where c.state = 'syncing'
       and not exists (select 1 from shopify_reconcile_runs r where r.tenant_id = c.tenant_id and r.started_at >= $1)
     order by c.tenant_id`,
    [since],
  );
  return rows.map((r) => r.tenant_id);
}
