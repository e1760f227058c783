import { JOBS } from '../../job-names.ts';
import { getConnection, setConnectionState } from '../../db/shopify-connections.ts';
import {
  getLiveImport,
  parkRecords,
  patchResource,
  setImportState,
  type ImportResource,
  type ImportResourceRow,
  type ImportRun,
  type ResourcePatch,
} from '../../db/shopify-imports.ts';
import { liveAccessToken } from '../access-token.ts';
import { shopifyDeps } from '../shopify-deps.ts';
import { listRanges, type ImportRange } from '../../db/shopify-import-ranges.ts';
import { BULK_RESOURCES, isRanged, type BulkResource } from './bulk-queries.ts';
import { ingestFile, type FileRow } from './ingest.ts';
import { runLanes } from './lanes.ts';
import { DownloadGoneError } from './jsonl.ts';
import { decideModes, fallBackToPages } from './mode.ts';
import { DEFAULTS, type ImportDeps } from './options.ts';
import { importPages, type PagedResource } from './paged.ts';
import { refreshImportStats } from './planner-stats.ts';
import {
  completeRange,
  exportAgain,
  exportOutcome,
  nextRangeFile,
  settleExport,
  planResource,
  pollRanges,
  rangeGone,
  rangesExporting,
  startRanges,
  tryStartBulk,
} from './ranged.ts';
import { fetchLocations, pollBulk, type ShopSession } from './shopify-calls.ts';
import { writeLocationBatch } from '../entities/location.ts';
import { batchContext } from './writers.ts';

/** What the job does next: nothing (no live import), run again after a delay, or stop (finished). */
export type StepOutcome = { kind: 'idle' } | { kind: 'again'; delayMs: number } | { kind: 'finished' };

const again = (delayMs: number): StepOutcome => ({ kind: 'again', delayMs });

async function session(deps: ImportDeps, tenantId: string): Promise<ShopSession | undefined> {
  const s = shopifyDeps(deps);
  const live = await liveAccessToken(s, tenantId);
  if (!live) return undefined;
  return {
    cfg: { shopOriginTemplate: s.shopifyApp.shopOriginTemplate, apiVersion: s.shopifyApp.apiVersion },
    ...live,
  };
}

const resourceOf = (run: ImportRun, name: string): ImportResourceRow =>
  run.resources.find((r) => r.resource === name) as ImportResourceRow;

/** Locations: a paged query, all written in one batch (a shop has a handful). */
async function importLocations(deps: ImportDeps, s: ShopSession, run: ImportRun): Promise<void> {
  const nodes = await fetchLocations(s);
  const ctx = batchContext(deps, run.tenantId, run.id);
  await deps.db.transaction(async (tx) => {
    const out = await writeLocationBatch(tx, ctx, nodes);
    await parkRecords(tx, run.tenantId, run.id, 'locations', out.parked, ctx.now);
    await patchResource(tx, run.id, 'locations', { state: 'running', total: nodes.length }, ctx.now);
    await patchResource(
      tx,
      run.id,
      'locations',
      { done: out.done, parked: out.parked.length, linesDone: nodes.length },
      ctx.now,
    );
    await patchResource(tx, run.id, 'locations', { state: 'completed' }, ctx.now);
  });
}

/**
 * Starts the bulk operations not started yet (Shopify runs up to 5 at once; ours are at most 4: one per
 * resource). A large products, customers or orders resource is planned into id ranges first, and its
 * first range starts (ranged.ts). A refusal falls back to reading the resource page by page (auto
 * mode), or fails it.
 */
async function startPending(deps: ImportDeps, s: ShopSession, run: ImportRun): Promise<void> {
  const planned = new Set((await listRanges(deps.db, run.id)).map((x) => x.resource));
  for (const r of run.resources) {
    if (!isBulk(r.resource) || r.mode !== 'bulk' || r.state !== 'pending' || r.bulkOperationId) continue;
    if (isRanged(r.resource) && !planned.has(r.resource) && (await planResource(deps, s, run.id, r.resource)))
      continue;
    const started = await tryStartBulk(s, r.resource);
    const now = deps.clock.now();
    if (started.ok)
      await patchResource(
        deps.db,
        run.id,
        r.resource,
        { state: 'running', bulkOperationId: started.id, reason: null },
        now,
      );
    else if (started.busy)
      await patchResource(deps.db, run.id, r.resource, { reason: `waiting: ${started.reason}` }, now);
    else if (!(await fallBackToPages(deps, run.id, r.resource, started.reason)))
      await patchResource(deps.db, run.id, r.resource, { state: 'failed', reason: started.reason }, now);
  }
  await startRanges(deps, s, (await getLiveImport(deps.db, run.tenantId)) ?? run);
}

const isBulk = (name: string): name is BulkResource => (BULK_RESOURCES as readonly string[]).includes(name);

/**
 * Polls running operations (a resource's, then its ranges'); a finished one leaves its URL and total,
 * a failed one runs again or fails.
 */
async function pollRunning(deps: ImportDeps, s: ShopSession, run: ImportRun): Promise<void> {
  for (const r of run.resources) {
    if (r.mode !== 'bulk' || r.state !== 'running' || !r.bulkOperationId || r.url) continue;
    const resource = r.resource as BulkResource;
    const out = exportOutcome(await pollBulk(s, r.bulkOperationId), resource);
    const patch = (p: ResourcePatch) => patchResource(deps.db, run.id, resource, p, deps.clock.now());
    await settleExport(deps, run.id, resource, out, {
      patch,
      complete: () => patch({ state: 'completed' }),
    });
  }
  await pollRanges(deps, s, (await getLiveImport(deps.db, run.tenantId)) ?? run);
}

type Next = { kind: 'file'; r: FileRow } | { kind: 'paged'; r: PagedResource };

/**
 * What each resource's records refer to: it is written only once those are complete (an order names
 * its customer and variants, a stock level its variant and location). Products and customers refer
 * to nothing the import writes after the locations.
 */
const NEEDS: Readonly<Record<BulkResource, readonly ImportResource[]>> = {
  products: ['locations'],
  customers: ['locations'],
  orders: ['products', 'customers'],
  inventory: ['products', 'locations'],
};

/**
 * The resources that can be written now, in import order: those whose references are complete and
 * whose records can be read (a page, or a finished export's file). So a file is written as soon as it
 * is ready, while other exports still run, instead of waiting for the resources listed before it.
 */
function ready(run: ImportRun, ranges: readonly ImportRange[]): Next[] {
  const completed = new Set(run.resources.filter((r) => r.state === 'completed').map((r) => r.resource));
  return run.resources.flatMap((r): Next[] => {
    if (completed.has(r.resource) || !isBulk(r.resource)) return [];
    if (!NEEDS[r.resource].every((needed) => completed.has(needed))) return [];
    if (r.mode === 'paged') return [{ kind: 'paged', r: { ...r, resource: r.resource } }];
    if (r.state !== 'running') return [];
    const range = nextRangeFile(r, ranges);
    if (range) return [{ kind: 'file', r: { ...r, ...range, resource: r.resource, range: range.seq } }];
    if (r.url !== null) return [{ kind: 'file', r: { ...r, resource: r.resource, url: r.url, range: null } }];
    return [];
  });
}

function nextToIngest(run: ImportRun, ranges: readonly ImportRange[]): Next | 'wait' | 'done' {
  if (run.resources.every((r) => r.state === 'completed')) return 'done';
  return ready(run, ranges)[0] ?? 'wait';
}

async function finish(deps: ImportDeps, run: ImportRun): Promise<void> {
  // Continuous sync looks records up by GID in tables the import filled: give the planner their sizes.
  await refreshImportStats(deps.db);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await setImportState(tx, run.id, 'completed', null, now);
    const c = await getConnection(tx, run.tenantId, true);
    if (c?.state === 'importing') await setConnectionState(tx, run.tenantId, 'syncing', null, now);
  });
  deps.logger.info(
    { tenantId: run.tenantId, importId: run.id },
    'shopify import completed; continuous sync on',
  );
  // Webhooks that arrived during the import, and local edits made meanwhile, are applied now.
  const key = { singletonKey: run.tenantId };
  await deps.enqueue(JOBS.shopifyApplyWebhooks, { tenantId: run.tenantId }, key);
  await deps.enqueue(JOBS.shopifyOutbox, { tenantId: run.tenantId }, key);
}

/**
 * Writes the next slice of a bulk result, and says whether the file is done; an expired or refused
 * download exports the resource again.
 */
async function ingestNext(
  deps: ImportDeps,
  tenantId: string,
  importId: string,
  r: FileRow,
  between: () => Promise<void>,
): Promise<boolean> {
  try {
    if (!(await ingestFile(deps, tenantId, importId, r, between))) return false;
    if (r.range !== null) await completeRange(deps, importId, r.resource, r.range);
    else
      await patchResource(
        deps.db,
        importId,
        r.resource,
        { state: 'completed', reason: null },
        deps.clock.now(),
      );
    return true;
  } catch (err) {
    if (!(err instanceof DownloadGoneError)) throw err;
    const reason = `${err.message}; exporting again`;
    if (r.range !== null) {
      await rangeGone(deps, importId, { resource: r.resource, seq: r.range }, reason);
      return false;
    }
    await patchResource(deps.db, importId, r.resource, exportAgain(reason), deps.clock.now());
    return false;
  }
}

/**
 * Writes the ready result files, `ingestLanes` of them at once (the loop: lanes.ts): each file is
 * written by one lane, batch after batch. When a lane completes its file it takes the next one ready: a
 * file whose references the other lanes have just completed (orders wait for customers), or an export
 * that has finished since (polled again then). Once a lane's batch budget runs out or a lane fails, no
 * file is started and the step ends when the lanes still writing have stopped.
 */
async function ingestFiles(
  deps: ImportDeps,
  s: ShopSession,
  importId: string,
  tenantId: string,
): Promise<void> {
  const lanes = deps.importOptions?.ingestLanes ?? (deps.db.kind === 'postgres' ? 2 : 1);
  // While files are written, exports that finish are seen (at most once a second, by the clock, after
  // a batch), so the next range of a resource starts without waiting for the step to end.
  // Polls run one at a time (two lanes must not both start a resource's next range).
  const every = Math.min(deps.importOptions?.pollDelayMs ?? DEFAULTS.pollDelayMs, 1000);
  let lastPoll = deps.clock.now().getTime();
  let chain: Promise<unknown> = Promise.resolve();
  const serial = (fn: () => Promise<void>): Promise<void> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const between = (): Promise<void> => {
    if (deps.clock.now().getTime() - lastPoll < every) return Promise.resolve();
    lastPoll = deps.clock.now().getTime();
    return serial(async () => {
      const run = await getLiveImport(deps.db, tenantId);
      if (run && rangesExporting(await listRanges(deps.db, run.id))) await pollRanges(deps, s, run);
    });
  };
  const free = async (polled: boolean, writing: { has(r: string): boolean }): Promise<FileRow[]> => {
    const run = await getLiveImport(deps.db, tenantId);
    if (!run) return [];
    const ranges = await listRanges(deps.db, run.id);
    // One file per resource at a time: its ranges are written in order, one batch at a time.
    const files = ready(run, ranges).flatMap((n) =>
      n.kind === 'file' && !writing.has(n.r.resource) ? [n.r] : [],
    );
    const exporting =
      run.resources.some((r) => r.mode === 'bulk' && r.state === 'running' && r.bulkOperationId && !r.url) ||
      rangesExporting(ranges);
    if (files.length > 0 || polled || !exporting) return files;
    await serial(() => pollRunning(deps, s, run));
    return free(true, writing);
  };
  await runLanes<FileRow>({
    lanes,
    free,
    write: (r) => ingestNext(deps, tenantId, importId, r, between),
  });
}

/**
 * One step of the import state machine. Never sleeps: when it has to wait for Shopify it returns
 * `again` with a delay and the job re-enqueues itself.
 */
export async function runImportStep(deps: ImportDeps, tenantId: string): Promise<StepOutcome> {
  let run = await getLiveImport(deps.db, tenantId);
  if (!run) return { kind: 'idle' };
  // A worker that has no Shopify wiring yet must not decide the store is gone: shopifyDeps throws
  // ShopifyNotWiredError (transient), so the job retries.
  const s = await session(deps, tenantId);
  if (!s) {
    await setImportState(deps.db, run.id, 'failed', 'the store is not connected', deps.clock.now());
    return { kind: 'idle' };
  }
  if (run.state !== 'running') await setImportState(deps.db, run.id, 'running', null, deps.clock.now());
  if (resourceOf(run, 'locations').state !== 'completed') {
    await importLocations(deps, s, run);
    return again(0);
  }
  if (run.resources.some((r) => r.mode === null)) {
    await decideModes(deps, s, run);
    run = (await getLiveImport(deps.db, tenantId)) as ImportRun;
  }
  await startPending(deps, s, run);
  await pollRunning(deps, s, (run = (await getLiveImport(deps.db, tenantId)) as ImportRun));
  run = (await getLiveImport(deps.db, tenantId)) as ImportRun;
  const failed = run.resources.find((r) => r.state === 'failed');
  if (failed) {
    await setImportState(
      deps.db,
      run.id,
      'failed',
      `${failed.resource}: ${failed.reason ?? 'failed'}`,
      deps.clock.now(),
    );
    return { kind: 'finished' };
  }
  const next = nextToIngest(run, await listRanges(deps.db, run.id));
  if (next === 'done') {
    await finish(deps, run);
    return { kind: 'finished' };
  }
  if (next === 'wait') return again(deps.importOptions?.pollDelayMs ?? DEFAULTS.pollDelayMs);
  if (next.kind === 'paged') {
    const out = await importPages(deps, s, run, next.r);
    return again(out.kind === 'wait' ? out.delayMs : 0);
  }
  await ingestFiles(deps, s, run.id, tenantId);
  return again(0);
}
