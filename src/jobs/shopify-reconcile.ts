import type { CoreDeps } from '../deps.ts';
import { JOBS } from '../job-names.ts';
import { executeRun, jobGaveUp } from '../sync/reconcile/run.ts';
import { scheduleDueRuns, type ReconcileJobData } from '../sync/reconcile/start.ts';
import { defineJob, HEARTBEAT } from './define.ts';

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One reconciliation run (singleton per tenant). A failed attempt (an outage, a killed worker: the
 * heartbeat lapses) is retried with backoff and takes the run up again where it stood. Its Shopify
 * calls spend the shop's budget at background priority, so live pushes go first.
 */
export const shopifyReconcileJob = defineJob<ReconcileJobData, CoreDeps>({
  name: JOBS.shopifyReconcile,
  // A killed worker's run is retried 10 s after its job is failed (at an embedded start-up, or at its
  // missed heartbeat on a server); an outage at 10 s, 20 s, 40 s … up to an hour apart (~2.5 h in all).
  queue: {
    policy: 'stately',
    retryLimit: 10,
    retryDelay: 10,
    retryBackoff: true,
    retryDelayMax: 3_600,
    ...HEARTBEAT,
  },
  async handle(data, deps) {
    await executeRun(deps, data.tenantId, data.runId, { wait });
  },
  // Past its retries (or its last attempt's process died) the job is in the dead-letter queue: a run
  // still reading `running` ends as failed with the reason, so the next run can start.
  async onDeadLetter(letter, deps) {
    await jobGaveUp(deps, letter.data.tenantId, letter.data.runId, letter);
  },
});

/** Every hour: opens the daily run of the shops whose hour it is (spread over the day by tenant). */
export const shopifyReconcileScheduleJob = defineJob<object, CoreDeps>({
  name: JOBS.shopifyReconcileSchedule,
  queue: { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true },
  cron: '7 * * * *',
  async handle(_data, deps) {
    await scheduleDueRuns(deps);
  },
});
