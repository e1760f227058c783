import { getConnection } from '../../db/shopify-connections.ts';
import {
  openRun,
  tenantsDueForRun,
  type ReconcileRun,
  type ReconcileTrigger,
} from '../../db/shopify-reconcile.ts';
import { CoreError } from '../../core/errors.ts';
import type { CoreDeps } from '../../deps.ts';
import { uuidFrom } from '../entities/ids.ts';
import { JOBS } from '../../job-names.ts';

export interface ReconcileJobData {
  tenantId: string;
  runId: string;
}

/**
 * Opens a reconciliation run for the tenant's shop and queues its job. Refused when the shop is not
 * syncing (422 `not_syncing`, in words), and when a run is already running (409
 * `reconcile_running`, naming it): at most one run per shop at a time.
 */
export async function requestRun(
  deps: CoreDeps,
  tenantId: string,
  opts: { dryRun: boolean; trigger: ReconcileTrigger },
): Promise<ReconcileRun> {
  const connection = await getConnection(deps.db, tenantId);
  if (connection?.state !== 'syncing')
    throw new CoreError(
      'invalid',
      'not_syncing',
      connection
        ? `the shop ${connection.shop} is not syncing (${connection.state}): connect it and let its import finish first`
        : 'no Shopify store is connected: connect one first',
    );
  const id = uuidFrom(deps.randomBytes(16));
  // The run and its job commit together: a run is never left open without a job to carry it out.
  const opened = await deps.db.transaction(async (tx) => {
    const o = await openRun(tx, { id, tenantId, ...opts }, deps.clock.now());
    const data: ReconcileJobData = { tenantId, runId: id };
    if (o.created) await deps.enqueue(JOBS.shopifyReconcile, data, { singletonKey: tenantId, tx });
    return o;
  });
  if (!opened.created)
    throw new CoreError(
      'conflict',
      'reconcile_running',
      `a reconciliation run (${opened.run.id}) is already running for this shop, since ${opened.run.startedAt.toISOString()}`,
      { run_id: opened.run.id },
    );
  return opened.run;
}

/** The hour of the day (UTC) a tenant's daily run is due: spread over the day by a hash of its id. */
export function scheduledHour(tenantId: string): number {
  let h = 0;
  for (const ch of tenantId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 24;
}

/**
 * The hourly sweep: opens the daily run of each syncing shop whose hour it is and that had no run in
 * the last 20 hours (a shop with a run going is left alone).
 */
export async function scheduleDueRuns(deps: CoreDeps): Promise<number> {
  const now = deps.clock.now();
  const due = await tenantsDueForRun(deps.db, new Date(now.getTime() - 20 * 3_600_000));
  let opened = 0;
  for (const tenantId of due) {
    if (scheduledHour(tenantId) !== now.getUTCHours()) continue;
    try {
      await requestRun(deps, tenantId, { dryRun: false, trigger: 'schedule' });
      opened += 1;
    } catch (err) {
      if (!(err instanceof CoreError)) throw err;
      deps.logger.info({ tenantId, code: err.code }, 'daily reconciliation not opened');
    }
  }
  return opened;
}

/**
 * When the tenant's next daily run is due: :07 of its hour (the sweep's minute), not within 20 hours
 * of the last run's start (the sweep skips a shop that ran since).
 */
export function nextScheduledRun(tenantId: string, now: Date, lastStartedAt?: Date): Date {
  const next = new Date(now);
  next.setUTCHours(scheduledHour(tenantId), 7, 0, 0);
  while (
    next.getTime() <= now.getTime() ||
    (lastStartedAt && next.getTime() - lastStartedAt.getTime() < 20 * 3_600_000)
  )
    next.setUTCDate(next.getUTCDate() + 1);
  return next;
}
