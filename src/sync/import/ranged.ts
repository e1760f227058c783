import { insertRanges, listRanges, patchRange, type ImportRange } from '../../db/shopify-import-ranges.ts';
import { patchResource, type ImportResourceRow, type ImportRun } from '../../db/shopify-imports.ts';
import { isRanged, type BulkResource, type RangedResource } from './bulk-queries.ts';
import { fallBackToPages, isAccessDenied } from './mode.ts';
import { DEFAULTS, type ImportDeps } from './options.ts';
import { planRanges, rangeEnds, rangeSearch, samplePoints, type RangePlanOptions } from './range-plan.ts';
import {
  countAtOrBelow,
  idSpan,
  pollBulk,
  startBulk,
  type BulkStart,
  type BulkStatus,
  type ShopSession,
} from './shopify-calls.ts';

/**
 * Ranged exports (decision 0007, "The paced figure"): a large products, customers or orders resource
 * is exported as consecutive Shopify id ranges (range-plan.ts), one bulk query each. A range starts when
 * the one before it has finished exporting, so at most one export per resource runs (four at once with
 * the levels', within Shopify's five), and the file of each is written while the next one exports.
 */

/** Starts a bulk operation, or reports Shopify's ACCESS_DENIED as a refusal like a userError. */
export async function tryStartBulk(s: ShopSession, resource: BulkResource, search = ''): Promise<BulkStart> {
  try {
    return await startBulk(s, resource, search);
  } catch (err) {
    if (isAccessDenied(err)) return { ok: false, busy: false, reason: err.message };
    throw err;
  }
}

/** What a polled export's state means for the import. */
export type ExportOutcome =
  | { kind: 'exporting' }
  | { kind: 'again'; reason: string }
  | { kind: 'denied' }
  | { kind: 'done'; url: string | null; total: number };

/** Reads a polled operation (undefined: Shopify no longer has it). Pure. */
export function exportOutcome(op: BulkStatus | undefined, resource: BulkResource): ExportOutcome {
  if (
    !op ||
    op.status === 'CANCELED' ||
    op.status === 'EXPIRED' ||
    (op.status === 'FAILED' && op.errorCode !== 'ACCESS_DENIED')
  )
    return {
      kind: 'again',
      reason: op
        ? `bulk operation ${op.status.toLowerCase()}${op.errorCode ? ` (${op.errorCode})` : ''}; exporting again`
        : 'bulk operation not found; exporting again',
    };
  if (op.status === 'FAILED') return { kind: 'denied' };
  if (op.status !== 'COMPLETED') return { kind: 'exporting' };
  // Levels are the children of the location lines; every other resource's records are the roots.
  const total = resource === 'inventory' ? op.objectCount - op.rootObjectCount : op.rootObjectCount;
  // Shopify gives no file for an export that found nothing.
  return { kind: 'done', url: op.url, total };
}

function rangeOptions(deps: ImportDeps): RangePlanOptions & { samples: number } {
  const o = deps.importOptions ?? {};
  return {
    tail: o.rangeTail ?? deps.config.shopifyImportRangeTail ?? o.batchSize ?? DEFAULTS.batchSize,
    ratio: o.rangeRatio ?? DEFAULTS.rangeRatio,
    maxRanges: o.maxRanges ?? DEFAULTS.maxRanges,
    samples: DEFAULTS.rangeSamples,
  };
}

/**
 * Plans a ranged resource before its first export: asks Shopify for its id span and exact counts at a
 * few ids, and stores its ranges with the resource running. False (one export) when the resource is
 * small enough for one range or Shopify gives no exact counts.
 */
export async function planResource(
  deps: ImportDeps,
  s: ShopSession,
  importId: string,
  resource: RangedResource,
): Promise<boolean> {
  const o = rangeOptions(deps);
  const span = await idSpan(s, resource);
  if (!span || rangeEnds(span.total, o).length === 0) return false;
  const points = samplePoints(span.min, span.max, o.samples);
  const counts = await countAtOrBelow(s, resource, points);
  if (!counts) return false;
  // Records created between the counts could make them dip; the distribution only grows with the id.
  let top = 0;
  const samples = [
    { id: span.min - 1n, rank: 0 },
    ...points.map((id, i) => ({ id, rank: (top = Math.max(top, counts[i] ?? 0)) })),
    { id: span.max, rank: Math.max(top, span.total) },
  ];
  const ranges = planRanges(samples, span.total, o);
  if (ranges.length < 2) return false;
  const now = deps.clock.now();
  const digits = (id: bigint | null) => (id === null ? null : id.toString());
  await deps.db.transaction(async (tx) => {
    await insertRanges(
      tx,
      importId,
      resource,
      ranges.map((r) => ({ fromId: digits(r.fromId), toId: digits(r.toId) })),
      now,
    );
    await patchResource(tx, importId, resource, { state: 'running', total: span.total, reason: null }, now);
  });
  deps.logger.info(
    { importId, resource, ranges: ranges.length, total: span.total },
    'shopify import: ranged export',
  );
  return true;
}

const rangedInBulk = (run: ImportRun, ranges: readonly ImportRange[]): ImportResourceRow[] =>
  run.resources.filter(
    (r) =>
      r.mode === 'bulk' &&
      r.state === 'running' &&
      isRanged(r.resource) &&
      ranges.some((x) => x.resource === r.resource),
  );

/** Starts the next range of each ranged resource whose ranges before it have all finished exporting. */
export async function startRanges(deps: ImportDeps, s: ShopSession, run: ImportRun): Promise<void> {
  const ranges = await listRanges(deps.db, run.id);
  for (const r of rangedInBulk(run, ranges)) {
    const mine = ranges.filter((x) => x.resource === r.resource);
    if (mine.some((x) => x.state === 'running' && x.url === null)) continue;
    const next = mine.find((x) => x.state === 'pending');
    if (!next) continue;
    const started = await tryStartBulk(s, r.resource as RangedResource, rangeSearch(next));
    const now = deps.clock.now();
    if (started.ok)
      await patchRange(
        deps.db,
        run.id,
        next,
        { state: 'running', bulkOperationId: started.id, reason: null },
        now,
      );
    else if (started.busy)
      await patchRange(deps.db, run.id, next, { reason: `waiting: ${started.reason}` }, now);
    else if (!(await fallBackToPages(deps, run.id, r.resource as RangedResource, started.reason)))
      await patchResource(deps.db, run.id, r.resource, { state: 'failed', reason: started.reason }, now);
  }
}

/**
 * Polls the ranges exporting; a finished one leaves its file (or, empty, completes), a failed one
 * exports again; then starts the ranges that may start now, so the next export follows at once.
 */
export async function pollRanges(deps: ImportDeps, s: ShopSession, run: ImportRun): Promise<void> {
  const ranges = await listRanges(deps.db, run.id);
  const bulk = new Set(rangedInBulk(run, ranges).map((r) => r.resource));
  for (const range of ranges) {
    if (!bulk.has(range.resource) || range.state !== 'running' || range.url || !range.bulkOperationId)
      continue;
    const resource = range.resource as BulkResource;
    const out = exportOutcome(await pollBulk(s, range.bulkOperationId), resource);
    await settleExport(deps, run.id, resource, out, {
      patch: (p) => patchRange(deps.db, run.id, range, p, deps.clock.now()),
      // An empty range has no file: it completes now (with the resource, were it the last).
      complete: () => completeRange(deps, run.id, resource, range.seq),
    });
  }
  await startRanges(deps, s, run);
}

/** What a polled export sets on its resource or range. */
type ExportPatch =
  | { state: 'pending'; bulkOperationId: null; reason: string }
  | { url: string; total: number; reason: null }
  | { total: number; reason: null };

/**
 * Acts on a polled export's outcome, for a resource's one export or one of its ranges (`target`): a
 * lost or failed one exports again, ACCESS_DENIED reads the resource page by page (auto) or fails it, a
 * finished one leaves its file, or completes when it found nothing (Shopify gives no file then).
 */
export async function settleExport(
  deps: ImportDeps,
  importId: string,
  resource: BulkResource,
  out: ExportOutcome,
  target: { patch: (p: ExportPatch) => Promise<void>; complete: () => Promise<void> },
): Promise<void> {
  if (out.kind === 'again')
    await target.patch({ state: 'pending', bulkOperationId: null, reason: out.reason });
  else if (out.kind === 'denied') {
    if (await fallBackToPages(deps, importId, resource, 'ACCESS_DENIED')) return;
    const reason = 'Shopify refused the export (ACCESS_DENIED)';
    await patchResource(deps.db, importId, resource, { state: 'failed', reason }, deps.clock.now());
  } else if (out.kind === 'done') {
    if (out.url) await target.patch({ url: out.url, total: out.total, reason: null });
    else {
      await target.patch({ total: 0, reason: null });
      await target.complete();
    }
  }
}

/** Whether any range is still exporting. */
export const rangesExporting = (ranges: readonly ImportRange[]): boolean =>
  ranges.some((x) => x.state === 'running' && x.url === null);

/**
 * The file a ranged resource writes next: its first range not completed, once its export finished
 * (ranges are written in order, one at a time). Undefined when that range still exports.
 */
export function nextRangeFile(
  r: ImportResourceRow,
  ranges: readonly ImportRange[],
): { url: string; seq: number; linesDone: number; bytesDone: number } | undefined {
  const next = ranges.find((x) => x.resource === r.resource && x.state !== 'completed');
  if (!next || next.state !== 'running' || next.url === null) return undefined;
  return { url: next.url, seq: next.seq, linesDone: next.linesDone, bytesDone: next.bytesDone };
}

/** A range's file is written: the range completes, and with its last range the resource. */
export async function completeRange(
  deps: ImportDeps,
  importId: string,
  resource: BulkResource,
  seq: number,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await patchRange(tx, importId, { resource, seq }, { state: 'completed', reason: null }, now);
    const left = (await listRanges(tx, importId)).some(
      (x) => x.resource === resource && x.state !== 'completed',
    );
    if (!left) await patchResource(tx, importId, resource, { state: 'completed', reason: null }, now);
  });
}

/** What a resource, or a range, whose result file is gone (expired or refused) sets: export again. */
export const exportAgain = (reason: string) =>
  ({ state: 'pending', bulkOperationId: null, url: null, linesDone: 0, bytesDone: 0, reason }) as const;

/** A range's file is gone: that range, and only it, exports again. */
export async function rangeGone(
  deps: ImportDeps,
  importId: string,
  range: { resource: BulkResource; seq: number },
  reason: string,
): Promise<void> {
  await patchRange(deps.db, importId, range, exportAgain(reason), deps.clock.now());
}
