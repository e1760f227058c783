import { SYNCED_KINDS } from '../../domain/synced-kinds.ts';
import { ENTITIES } from '../entities/registry.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import {
  clearDifferences,
  finishRun,
  getRun,
  pendingDifferences,
  resumeRun,
  setPhase,
  setProgress,
  type ReconcileRun,
} from '../../db/shopify-reconcile.ts';
import type { CoreDeps } from '../../deps.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import { describeError, PermanentError } from '../../errors.ts';
import { syncAdapters } from '../continuous/adapters.ts';
import { shopSessionFor, type ShopSession } from '../shop-session.ts';
import {
  compareLevelBatch,
  compareMergedBatch,
  compareOneSided,
  emptyTally,
  tallyJson,
  type KindTally,
} from './compare.ts';
import { readAll, type BulkKind, type ReadOptions } from './read-shopify.ts';
import { repairDifference } from './repair.ts';
import { buildReport, type Tallies } from './report.ts';

/** The kinds compared, in order (stock last: products bring the variants its levels belong to). */
export const COMPARED_KINDS = SYNCED_KINDS.filter((k): k is BulkKind => ENTITIES[k].read.via === 'bulk');

export interface RunOptions extends Omit<ReadOptions, 'spent'> {
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
 * streamed), stores the differences, then — unless it is a dry run — repairs them one by one. A run
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
    const session = await sessionOf(deps, tenantId);
    run = (await getRun(deps.db, tenantId, runId)) as ReconcileRun;
    const tallies = run.phase === 'compare' ? await compareAll(deps, session, run, opts) : tallyOf(run);
    if (!run.dryRun) {
      await setPhase(deps.db, runId, 'repair', { tallies: jsonTallies(tallies) });
      await repairAll(deps, session, run, opts);
    }
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

async function compareAll(
  deps: CoreDeps,
  session: ShopSession,
  run: ReconcileRun,
  opts: RunOptions,
): Promise<Tallies> {
  await clearDifferences(deps.db, run.id);
  const ctx = { db: deps.db, tenantId: run.tenantId, runId: run.id };
  const tallies: Tallies = {};
  const adapters = syncAdapters(deps);
  for (const kind of COMPARED_KINDS) {
    const tally = emptyTally();
    tallies[kind] = tally;
    const seen = new Set<string>();
    let points = 0;
    const read = readAll(session, kind, { ...opts, spent: (p) => (points += p) });
    for await (const { groups, total } of read) {
      if (kind === 'inventory_level') await compareLevelBatch(ctx, groups, tally);
      else await compareMergedBatch(ctx, adapters[kind as MergedKind], groups, tally, seen);
      await progress(deps, run.id, { phase: 'compare', kind, done: tally.compared, total }, points, opts);
      points = 0;
    }
    if (kind !== 'inventory_level') await compareOneSided(ctx, adapters[kind as MergedKind], tally, seen);
    await progress(
      deps,
      run.id,
      { phase: 'compare', kind, done: tally.compared, total: tally.compared },
      points,
      opts,
    );
  }
  return tallies;
}

async function progress(
  deps: CoreDeps,
  runId: string,
  p: Progress,
  points: number,
  opts: RunOptions,
): Promise<void> {
  await setProgress(deps.db, runId, p, points);
  await opts.onProgress?.(p);
}

async function repairAll(
  deps: CoreDeps,
  session: ShopSession,
  run: ReconcileRun,
  opts: RunOptions,
): Promise<void> {
  let done = 0;
  for (;;) {
    const batch = await pendingDifferences(deps.db, run.id, 100);
    if (batch.length === 0) return;
    for (const d of batch) {
      await repairDifference(deps, session, run.tenantId, run.id, d);
      done += 1;
    }
    await progress(
      deps,
      run.id,
      { phase: 'repair', kind: batch[0]?.entity ?? '', done, total: done },
      0,
      opts,
    );
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
