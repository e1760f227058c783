import type { Queryable } from './db.ts';

export type ImportState = 'pending' | 'running' | 'paused' | 'failed' | 'completed';
export type ImportResource = 'locations' | 'products' | 'customers' | 'orders' | 'inventory';
/** How a resource is read: one bulk operation (a JSONL file), or page by page through its connection. */
export type ImportMode = 'bulk' | 'paged';

export interface ImportResourceRow {
  resource: ImportResource;
  state: ImportState;
  reason: string | null;
  total: number | null;
  done: number;
  parked: number;
  bulkOperationId: string | null;
  url: string | null;
  linesDone: number;
  bytesDone: number;
  /** Null until the import has chosen (right after the locations). */
  mode: ImportMode | null;
  /** Paged mode: records per page and children (variants, line items) per record, from the cost formula. */
  pageFirst: number | null;
  pageChildFirst: number | null;
  /** Paged mode: the cursor after the last committed page (null: from the start). */
  pageCursor: string | null;
  /** Paged inventory: the cursor before the location being read (null: the first location). */
  pageOuterCursor: string | null;
  /** Paged mode: Shopify's last throttleStatus and when it was seen. */
  pageBudget: PageBudget | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface PageBudget {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
  /** ISO time it was seen (the deps clock). */
  observedAt: string;
}

export interface ImportRun {
  id: string;
  tenantId: string;
  state: ImportState;
  reason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  resources: ImportResourceRow[];
}

interface RunRow {
  id: string;
  tenant_id: string;
  state: ImportState;
  reason: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

interface ResourceRow {
  resource: ImportResource;
  state: ImportState;
  reason: string | null;
  total: string | null;
  done: string;
  parked: string;
  bulk_operation_id: string | null;
  url: string | null;
  lines_done: string;
  bytes_done: string;
  mode: ImportMode | null;
  page_first: number | null;
  page_child_first: number | null;
  page_cursor: string | null;
  page_outer_cursor: string | null;
  page_budget: PageBudget | null;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

/** Resources in the order their records are written (later ones refer to earlier ones). */
export const IMPORT_RESOURCES: readonly ImportResource[] = [
  'locations',
  'products',
  'customers',
  'orders',
  'inventory',
];

const toResource = (r: ResourceRow): ImportResourceRow => ({
  resource: r.resource,
  state: r.state,
  reason: r.reason,
  total: r.total === null ? null : Number(r.total),
  done: Number(r.done),
  parked: Number(r.parked),
  bulkOperationId: r.bulk_operation_id,
  url: r.url,
  linesDone: Number(r.lines_done),
  bytesDone: Number(r.bytes_done),
  mode: r.mode,
  pageFirst: r.page_first,
  pageChildFirst: r.page_child_first,
  pageCursor: r.page_cursor,
  pageOuterCursor: r.page_outer_cursor,
  pageBudget: r.page_budget,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at,
});

async function withResources(q: Queryable, run: RunRow | undefined): Promise<ImportRun | undefined> {
  if (!run) return undefined;
  const { rows } = await q.query<ResourceRow>('select * from shopify_import_resources where import_id = $1', [
    run.id,
  ]);
  const order = (r: ResourceRow) => IMPORT_RESOURCES.indexOf(r.resource);
  return {
    id: run.id,
    tenantId: run.tenant_id,
    state: run.state,
    reason: run.reason,
    createdAt: run.created_at,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    updatedAt: run.updated_at,
    resources: rows.sort((a, b) => order(a) - order(b)).map(toResource),
  };
}

/** Creates a pending import with its resources, unless one is already unfinished; returns the live one. */
export async function createImport(
  q: Queryable,
  tenantId: string,
  now: Date,
): Promise<{ run: ImportRun; created: boolean }> {
  const { rows } = await q.query<{ id: string }>(
    `insert into shopify_imports (tenant_id, state, created_at, updated_at) values ($1, 'pending', $2, $2)
     on conflict (tenant_id) where state in ('pending', 'running', 'paused') do nothing returning id`,
    [tenantId, now],
  );
  const id = rows[0]?.id;
  if (id) {
    await q.query(
      `insert into shopify_import_resources (import_id, resource, state, updated_at)
       select $1, r, 'pending', $3 from unnest($2::text[]) as r`,
      [id, IMPORT_RESOURCES, now],
    );
  }
  const run = await getLiveImport(q, tenantId);
  if (!run) throw new Error('an import was created but cannot be read back');
  return { run, created: id !== undefined };
}

/** The tenant's unfinished import (pending, running or paused). */
export async function getLiveImport(
  q: Queryable,
  tenantId: string,
  forUpdate = false,
): Promise<ImportRun | undefined> {
  const { rows } = await q.query<RunRow>(
    `select * from shopify_imports where tenant_id = $1 and state in ('pending', 'running', 'paused')${forUpdate ? ' for update' : ''}`,
    [tenantId],
  );
  return withResources(q, rows[0]);
}

/** The tenant's most recent import, finished or not. */
export async function getLatestImport(q: Queryable, tenantId: string): Promise<ImportRun | undefined> {
  const { rows } = await q.query<RunRow>(
    'select * from shopify_imports where tenant_id = $1 order by seq desc limit 1',
    [tenantId],
  );
  return withResources(q, rows[0]);
}

export async function setImportState(
  q: Queryable,
  importId: string,
  state: ImportState,
  reason: string | null,
  now: Date,
): Promise<void> {
  await q.query(
    `update shopify_imports set state = $2, reason = $3, updated_at = $4,
       started_at = case when $2 = 'running' then coalesce(started_at, $4) else started_at end,
       finished_at = case when $2 in ('completed', 'failed') then $4 else null end
     where id = $1`,
    [importId, state, reason, now],
  );
}

export interface ResourcePatch {
  state?: ImportState;
  reason?: string | null;
  total?: number | null;
  bulkOperationId?: string | null;
  url?: string | null;
  linesDone?: number;
  bytesDone?: number;
  /** Records written and parked, set outright (a batch of the bulk or paged import adds to them instead). */
  done?: number;
  parked?: number;
  mode?: ImportMode;
  pageFirst?: number | null;
  pageChildFirst?: number | null;
  pageCursor?: string | null;
  pageOuterCursor?: string | null;
  pageBudget?: PageBudget | null;
}

const PATCH_COLUMNS: Record<keyof ResourcePatch, string> = {
  state: 'state',
  reason: 'reason',
  total: 'total',
  bulkOperationId: 'bulk_operation_id',
  url: 'url',
  linesDone: 'lines_done',
  bytesDone: 'bytes_done',
  done: 'done',
  parked: 'parked',
  mode: 'mode',
  pageFirst: 'page_first',
  pageChildFirst: 'page_child_first',
  pageCursor: 'page_cursor',
  pageOuterCursor: 'page_outer_cursor',
  pageBudget: 'page_budget',
};

/** Changes some columns of one resource's progress row. */
export async function patchResource(
  q: Queryable,
  importId: string,
  resource: ImportResource,
  patch: ResourcePatch,
  now: Date,
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [importId, resource, now];
  for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof ResourcePatch, string][]) {
    const value = patch[key];
    if (value === undefined) continue;
    params.push(
      value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value,
    );
    sets.push(`${column} = $${params.length}`);
  }
  if (patch.state === 'running') sets.push('started_at = coalesce(started_at, $3)');
  if (patch.state === 'completed' || patch.state === 'failed') sets.push('finished_at = $3');
  await q.query(
    `update shopify_import_resources set ${[...sets, 'updated_at = $3'].join(', ')} where import_id = $1 and resource = $2`,
    params,
  );
}

/**
 * A checkpoint moves only while its import runs: a batch that ends after the import was stopped
 * (the store disconnected or the app uninstalled meanwhile) finds no row to update, and its caller
 * rolls the batch back.
 */
export const STILL_RUNNING = `exists (select 1 from shopify_imports i where i.id = import_id and i.state = 'running')`;

/** The checkpoint of one committed batch: lines and bytes read so far, records written and parked. */
export async function advanceCheckpoint(
  q: Queryable,
  importId: string,
  resource: ImportResource,
  c: { linesDone: number; bytesDone: number; done: number; parked: number },
  now: Date,
): Promise<boolean> {
  const { rows } = await q.query(
    `update shopify_import_resources set lines_done = $3, bytes_done = $4, done = done + $5, parked = parked + $6, updated_at = $7
     where import_id = $1 and resource = $2 and ${STILL_RUNNING}
     returning 1`,
    [importId, resource, c.linesDone, c.bytesDone, c.done, c.parked, now],
  );
  return rows.length === 1;
}

/** Ends the tenant's unfinished import, if any, as failed with the reason (its batches stop). */
export async function stopLiveImport(
  q: Queryable,
  tenantId: string,
  reason: string,
  now: Date,
): Promise<void> {
  await q.query(
    `update shopify_imports set state = 'failed', reason = $2, updated_at = $3, finished_at = $3
     where tenant_id = $1 and state in ('pending', 'running', 'paused')`,
    [tenantId, reason, now],
  );
}

/**
 * The checkpoint of one committed page: the cursors to read on from, records written and parked.
 * `finished`: that was the last page; the resource completes and its total becomes what was read.
 */
export async function advancePageCheckpoint(
  q: Queryable,
  importId: string,
  resource: ImportResource,
  c: {
    cursor: string | null;
    outerCursor: string | null;
    done: number;
    parked: number;
    finished: boolean;
    budget: PageBudget | null;
  },
  now: Date,
): Promise<boolean> {
  const { rows } = await q.query(
    `update shopify_import_resources set page_cursor = $3, page_outer_cursor = $4, done = done + $5,
       parked = parked + $6, updated_at = $7, page_budget = coalesce($9::jsonb, page_budget),
       state = case when $8 then 'completed' else state end,
       finished_at = case when $8 then $7 else finished_at end,
       total = case when $8 then done + $5 + parked + $6 else total end,
       reason = case when $8 then null else reason end
     where import_id = $1 and resource = $2 and ${STILL_RUNNING}
     returning 1`,
    [
      importId,
      resource,
      c.cursor,
      c.outerCursor,
      c.done,
      c.parked,
      now,
      c.finished,
      c.budget === null ? null : JSON.stringify(c.budget),
    ],
  );
  return rows.length === 1;
}

export interface ParkedRecord {
  gid: string;
  reason: string;
  payload: unknown;
}

/** Parks records that could not be imported; parking the same record again updates its reason. */
export async function parkRecords(
  q: Queryable,
  tenantId: string,
  importId: string,
  resource: ImportResource,
  records: readonly ParkedRecord[],
  now: Date,
): Promise<void> {
  if (records.length === 0) return;
  await q.query(
    `insert into shopify_import_parked (tenant_id, import_id, resource, gid, reason, payload, created_at)
     select $1, $2, $3, r.gid, r.reason, r.payload, $5 from jsonb_to_recordset($4::jsonb) as r(gid text, reason text, payload jsonb)
     on conflict (import_id, resource, gid) do update set reason = excluded.reason, payload = excluded.payload`,
    [tenantId, importId, resource, JSON.stringify(records), now],
  );
}

export interface ParkedRow extends ParkedRecord {
  id: number;
  importId: string;
  resource: ImportResource;
  createdAt: Date;
}

/** Parked records of the tenant (of one import when given), oldest first, keyset-paginated on id. */
export async function listParked(
  q: Queryable,
  tenantId: string,
  importId?: string,
  page: { afterId?: number; limit?: number } = {},
): Promise<ParkedRow[]> {
  const { rows } = await q.query<{
    id: string;
    import_id: string;
    resource: ImportResource;
    gid: string;
    reason: string;
    payload: unknown;
    created_at: Date;
  }>(
    `select * from shopify_import_parked where tenant_id = $1 and ($2::uuid is null or import_id = $2) and id > $3
     order by id limit $4`,
    [tenantId, importId ?? null, page.afterId ?? 0, page.limit ?? 1000],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    importId: r.import_id,
    resource: r.resource,
    gid: r.gid,
    reason: r.reason,
    payload: r.payload,
    createdAt: r.created_at,
  }));
}
