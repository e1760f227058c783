import { MERGED_KINDS, SYNCED_KINDS, type MergedKind, type SyncedKind } from '../../domain/synced-kinds.ts';
import { ENTITIES } from '../entities/registry.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import {
  addPoints,
  clearDifferences,
  failRunningRun,
  finishRun,
  getRun,
  pendingDifferences,
  resumeRun,
  setPhase,
  setProgress,
  type ReconcileRun,
} from '../../db/shopify-reconcile.ts';
import type { CoreDeps } from '../../deps.ts';
import { describeError, PermanentError } from '../../errors.ts';
import { syncAdapters } from '../continuous/adapters.ts';
import { shopSessionFor, type ShopSession } from '../shop-session.ts';
import {
  compareMergedBatch,
  compareOneSided,
  emptyTally,
  seenGids,
  tallyJson,
  type KindTally,
} from './compare.ts';
import { compareLevelBatch, compareLocalLevels, seenPairs } from './levels-compare.ts';
import { compareLocations } from './locations.ts';
import { readExport, startExports, type BulkKind, type ReadOptions } from './read-shopify.ts';
import { RECONCILE_BULK_MIN, repairInBulk } from './bulk-repair.ts';
import { repairBatch } from './repair.ts';
import { buildReport, type Tallies } from './report.ts';
import { countingSession, type Spend } from './spend.ts';

/** The kinds Shopify's side is read of with a bulk operation (the registry's bulk reads). */
export const BULK_KINDS = SYNCED_KINDS.filter((k): k is BulkKind => ENTITIES[k].read.via === 'bulk');

/**
 * The kinds compared and repaired, in order: locations first (read page by page), then the bulk
 * kinds, stock last — products and locations bring the variants and places its levels belong to, so a
 * level created on Shopify with its product is repaired after the product.
 */
export const COMPARED_KINDS: readonly SyncedKind[] = [
  ...SYNCED_KINDS.filter((k) => ENTITIES[k].read.via === 'pages'),
  ...BULK_KINDS,
];

export interface RunOptions extends ReadOptions {
  /** A kind's pushes go by one bulk mutation when at least this many (default RECONCILE_BULK_MIN, 25). */
  bulkMin?: number;
  /** Told after each batch compared or repaired (the CLI's progress line reads the run row instead). */
  onProgress?: (p: Progress) => void | Promise<void>;
}

export interface Progress {
  phase: 'compare' | 'repair';
  kind: string;
  done: number;
  total: number;
}

/**
 * Carries out one reconciliation run: compares every record of every kind (Shopify read in bulk,
 * streamed), stores the differences, then — unless it is a dry run — repairs them batch by batch. A run
 * interrupted (kill -9, an outage) is taken up again by its job's retry: a comparison starts over
 * (it wrote nothing but differences), repairs go on with those still pending (each is settled once,
 * and live sync's decision is state-based, so nothing is repaired twice). A failure fails the run with
 * its reason and is thrown again for the queue to retry, unless it cannot get better by waiting.
 */
export async function executeRun(
  deps: CoreDeps,
  tenantId: string,
  runId: string,
  opts: RunOptions,
): Promise<ReconcileRun | undefined> {
  let run = await getRun(deps.db, tenantId, runId);
  if (!run || run.state === 'completed') return run;
  if (run.state === 'failed' && !(await resumeRun(deps.db, tenantId, runId))) return run;
  const started = deps.clock.now().getTime();
  try {
    const shop = await sessionOf(deps, tenantId);
    // Every call of the run is counted, the repairs' included (points spent).
    const { session, spend } = countingSession(shop, tenantId, opts.wait);
    run = (await getRun(deps.db, tenantId, runId)) as ReconcileRun;
    const tallies =
      run.phase === 'compare' ? await compareAll(deps, session, spend, run, opts) : tallyOf(run);
    if (!run.dryRun) {
      await setPhase(deps.db, runId, 'repair', { tallies: jsonTallies(tallies) });
      await repairAll(deps, session, spend, run, opts);
    }
    await addPoints(deps.db, runId, spend.take());
    const report = await buildReport(deps, tenantId, run, tallies, deps.clock.now().getTime() - started);
    await finishRun(deps.db, runId, { state: 'completed', reason: null, report }, deps.clock.now());
  } catch (err) {
    const reason = describeError(err).message;
    await finishRun(deps.db, runId, { state: 'failed', reason }, deps.clock.now());
    deps.logger.warn({ tenantId, runId, reason }, 'reconciliation run failed');
    if (!(err instanceof PermanentError)) throw err;
  }
  return getRun(deps.db, tenantId, runId);
}

/**
 * The run's job failed for good (its retries used up, or its last attempt's process died): a run still
 * `running` ends as failed with the reason, so it no longer blocks the shop's next run. A run that
 * ended already (executeRun marks a failed attempt itself) keeps its own reason.
 */
export async function jobGaveUp(
  deps: CoreDeps,
  tenantId: string,
  runId: string,
  failure: { reason: string; attempts: number },
): Promise<void> {
  const tries = failure.attempts === 1 ? '1 attempt' : `${failure.attempts} attempts`;
  const reason = `the run's job gave up after ${tries}: ${failure.reason}`;
  if (await failRunningRun(deps.db, tenantId, runId, reason, deps.clock.now()))
    deps.logger.warn({ tenantId, runId, reason }, 'reconciliation run failed: its job gave up');
}

async function sessionOf(deps: CoreDeps, tenantId: string): Promise<ShopSession> {
  const connection = await getConnection(deps.db, tenantId);
  if (connection?.state !== 'syncing')
    throw new PermanentError(
      `the shop is not syncing (${connection?.state ?? 'not connected'}): nothing reconciled`,
      'not_syncing',
    );
  const session = await shopSessionFor(deps, tenantId, 'background');
  if (!session) throw new PermanentError('the shop has no access token: connect it again', 'not_connected');
  return session;
}

/**
 * Compares every kind. The exports Shopify took are compared at once, each as soon as its file is
 * ready (streamed batch by batch), while locations are read page by page: the comparing overlaps the
 * exports still being built and the other kinds' downloads, instead of waiting for each kind in turn.
 * A kind Shopify did not take yet (an older version runs one bulk query at a time) is started and
 * compared after. Kinds compare independently (the repairs keep `COMPARED_KINDS` order); if one fails,
 * the others are let finish before the failure is thrown, so nothing runs on behind a failed attempt.
 */
async function compareAll(
  deps: CoreDeps,
  session: ShopSession,
  spend: Spend,
  run: ReconcileRun,
  opts: RunOptions,
): Promise<Tallies> {
  await clearDifferences(deps.db, run.id);
  const ctx = { db: deps.db, tenantId: run.tenantId, runId: run.id };
  const adapters = syncAdapters(deps);
  const exports = await startExports(session, BULK_KINDS);
  const tallies: Tallies = Object.fromEntries(COMPARED_KINDS.map((k) => [k, emptyTally()]));
  const counts = new Map<string, { done: number; total: number }>();
  // Progress over every kind at once: the kind that moved, records compared and known so far. The
  // run's row takes it at most every PROGRESS_MS (and at each kind's end), not after every batch.
  let written = 0;
  const moved = async (kind: string, done: number, total: number, end = false): Promise<void> => {
    counts.set(kind, { done, total });
    const sum = (f: 'done' | 'total') => [...counts.values()].reduce((n, c) => n + c[f], 0);
    const p: Progress = { phase: 'compare', kind, done: sum('done'), total: sum('total') };
    if (end || performance.now() - written >= PROGRESS_MS) {
      written = performance.now();
      await setProgress(deps.db, run.id, p, spend.take());
    }
    await opts.onProgress?.(p);
  };
  const compareKind = async (kind: BulkKind, exportId: string | undefined): Promise<void> => {
    const tally = tallies[kind] as KindTally;
    const seen = seenGids();
    const pairs = seenPairs();
    const batches = readExport(session, kind, exportId, opts);
    for await (const { groups, total, exportedAt } of deps.db.kind === 'postgres'
      ? readAhead(batches)
      : batches) {
      if (kind === 'inventory_level') await compareLevelBatch(ctx, groups, tally, pairs, exportedAt);
      else await compareMergedBatch(ctx, adapters[kind as MergedKind], groups, tally, seen, exportedAt);
      await moved(kind, tally.compared, total);
    }
    if (kind === 'inventory_level') await compareLocalLevels(ctx, tally, pairs);
    else await compareOneSided(ctx, adapters[kind as MergedKind], tally, seen);
    await moved(kind, tally.compared, tally.compared, true);
  };
  const compareLocationsNow = async (): Promise<void> => {
    const tally = tallies['location'] as KindTally;
    await compareLocations(ctx, session, tally);
    await moved('location', tally.compared, tally.compared, true);
  };
  await allSettled([
    compareLocationsNow(),
    ...BULK_KINDS.filter((k) => exports.has(k)).map((k) => compareKind(k, exports.get(k))),
  ]);
  for (const kind of BULK_KINDS.filter((k) => !exports.has(k))) await compareKind(kind, undefined);
  return tallies;
}

/**
 * The batches of `source`, the next one read (downloaded, parsed) while the caller compares this one:
 * on Postgres the comparing waits on the server, so the reading fills that wait (embedded PGlite
 * works on this thread, and there it would only hold one more batch in memory).
 */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = source.next();
      // A failure of the batch read ahead is met at the next turn (or dropped if the caller stopped).
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await source.return(undefined);
  }
}

/** How often the comparison's progress is written to the run's row (the CLI and the panel read it). */
const PROGRESS_MS = 250;

/** Waits for every one; then throws the first failure, if any. */
async function allSettled(work: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function progress(
  deps: CoreDeps,
  runId: string,
  p: Progress,
  spend: Spend,
  opts: RunOptions,
): Promise<void> {
  await setProgress(deps.db, runId, p, spend.take());
  await opts.onProgress?.(p);
}

/**
 * Repairs the run's pending differences kind by kind, in `COMPARED_KINDS` order, a batch at a time
 * (what the batch's records are now read once; a few repairs at once: `repairBatch`).
 */
async function repairAll(
  deps: CoreDeps,
  session: ShopSession,
  spend: Spend,
  run: ReconcileRun,
  opts: RunOptions,
): Promise<void> {
  let done = 0;
  const bulk = {
    min: opts.bulkMin ?? RECONCILE_BULK_MIN,
    wait: opts.wait,
    pollMs: opts.pollMs,
    fetch: opts.fetch,
  };
  for (const kind of COMPARED_KINDS) {
    // Pushes by bulk mutation first (decision 0008); what it leaves goes one at a time below.
    if (MERGED_KINDS.includes(kind as MergedKind)) {
      const settled = await repairInBulk(deps, session, run, kind as MergedKind, bulk);
      done += settled;
      if (settled > 0)
        await progress(deps, run.id, { phase: 'repair', kind, done, total: done }, spend, opts);
    }
    for (;;) {
      const batch = await pendingDifferences(deps.db, run.id, kind, 100);
      if (batch.length === 0) break;
      await repairBatch(deps, session, run.tenantId, run.id, batch);
      done += batch.length;
      await progress(deps, run.id, { phase: 'repair', kind, done, total: done }, spend, opts);
    }
  }
}

const jsonTallies = (t: Tallies) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, tallyJson(v)]));

function tallyOf(run: ReconcileRun): Tallies {
  const stored = (run.report as { tallies?: Record<string, ReturnType<typeof tallyJson>> }).tallies ?? {};
  return Object.fromEntries(
    Object.entries(stored).map(([k, v]): [string, KindTally] => [
      k,
      {
        compared: v.compared,
        equal: v.equal,
        unreadable: v.unreadable,
        notCompared: v.not_compared,
        shopify: { count: v.shopify.count, xor: BigInt(`0x${v.shopify.checksum}`) },
        retailos: { count: v.retailos.count, xor: BigInt(`0x${v.retailos.checksum}`) },
      },
    ]),
  );
}
