import type { Queryable } from './db.ts';
import { STILL_RUNNING, type ImportResource } from './shopify-imports.ts';

/** A range's state: not started, exporting or being written (`url` set once its export completed), done. */
export type RangeState = 'pending' | 'running' | 'completed';

/**
 * One Shopify id range of a resource's ranged export (migration 0039). Bounds are inclusive, as digits
 * (64-bit ids: never a JS number); null is open, so the first range has no lower bound and the last no
 * upper one.
 */
export interface ImportRange {
  resource: ImportResource;
  seq: number;
  fromId: string | null;
  toId: string | null;
  state: RangeState;
  bulkOperationId: string | null;
  url: string | null;
  /** Records the export found (Shopify's rootObjectCount; levels: objects less roots), once completed. */
  total: number | null;
  linesDone: number;
  bytesDone: number;
  reason: string | null;
}

interface RangeRow {
  resource: ImportResource;
  seq: number;
  from_id: string | null;
  to_id: string | null;
  state: RangeState;
  bulk_operation_id: string | null;
  url: string | null;
  total: string | null;
  lines_done: string;
  bytes_done: string;
  reason: string | null;
}

const toRange = (r: RangeRow): ImportRange => ({
  resource: r.resource,
  seq: r.seq,
  fromId: r.from_id === null ? null : String(r.from_id),
  toId: r.to_id === null ? null : String(r.to_id),
  state: r.state,
  bulkOperationId: r.bulk_operation_id,
  url: r.url,
  total: r.total === null ? null : Number(r.total),
  linesDone: Number(r.lines_done),
  bytesDone: Number(r.bytes_done),
  reason: r.reason,
});

/** Stores a resource's planned ranges, all pending, in order (seq 0 first). */
export async function insertRanges(
  q: Queryable,
  importId: string,
  resource: ImportResource,
  ranges: readonly { fromId: string | null; toId: string | null }[],
  now: Date,
): Promise<void> {
  await q.query(
    `insert into shopify_import_ranges (import_id, resource, seq, from_id, to_id, state, updated_at)
     select $1, $2, r.seq, r.from_id::numeric, r.to_id::numeric, 'pending', $4
     from jsonb_to_recordset($3::jsonb) as r(seq int, from_id text, to_id text)`,
    [
      importId,
      resource,
      JSON.stringify(ranges.map((r, seq) => ({ seq, from_id: r.fromId, to_id: r.toId }))),
      now,
    ],
  );
}

/** Every range of the import, by resource and seq. */
export async function listRanges(q: Queryable, importId: string): Promise<ImportRange[]> {
  const { rows } = await q.query<RangeRow>(
    `select resource, seq, from_id::text, to_id::text, state, bulk_operation_id, url, total, lines_done, bytes_done, reason
     from shopify_import_ranges where import_id = $1 order by resource, seq`,
    [importId],
  );
  return rows.map(toRange);
}

export interface RangePatch {
  state?: RangeState;
  bulkOperationId?: string | null;
  url?: string | null;
  total?: number | null;
  linesDone?: number;
  bytesDone?: number;
  reason?: string | null;
}

const RANGE_COLUMNS: Record<keyof RangePatch, string> = {
  state: 'state',
  bulkOperationId: 'bulk_operation_id',
  url: 'url',
  total: 'total',
  linesDone: 'lines_done',
  bytesDone: 'bytes_done',
  reason: 'reason',
};

/** Changes some columns of one range. */
export async function patchRange(
  q: Queryable,
  importId: string,
  range: { resource: ImportResource; seq: number },
  patch: RangePatch,
  now: Date,
): Promise<void> {
  const params: unknown[] = [importId, range.resource, range.seq, now];
  const sets = (Object.entries(RANGE_COLUMNS) as [keyof RangePatch, string][]).flatMap(([key, column]) => {
    const value = patch[key];
    if (value === undefined) return [];
    params.push(value);
    return [`${column} = $${params.length}`];
  });
  await q.query(
    `update shopify_import_ranges set ${[...sets, 'updated_at = $4'].join(', ')}
     where import_id = $1 and resource = $2 and seq = $3`,
    params,
  );
}

/**
 * The checkpoint of one committed batch of a range's file: the range's lines and bytes read, and the
 * resource's records written and parked, in one statement that moves only while the import runs.
 */
export async function advanceRangeCheckpoint(
  q: Queryable,
  importId: string,
  range: { resource: ImportResource; seq: number },
  c: { linesDone: number; bytesDone: number; done: number; parked: number },
  now: Date,
): Promise<boolean> {
  const { rows } = await q.query(
    `with r as (update shopify_import_ranges set lines_done = $4, bytes_done = $5, updated_at = $8
       where import_id = $1 and resource = $2 and seq = $3 and ${STILL_RUNNING} returning 1)
     update shopify_import_resources set done = done + $6, parked = parked + $7, updated_at = $8
     where import_id = $1 and resource = $2 and exists (select 1 from r)
     returning 1`,
    [importId, range.resource, range.seq, c.linesDone, c.bytesDone, c.done, c.parked, now],
  );
  return rows.length === 1;
}
