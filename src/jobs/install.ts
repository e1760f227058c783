import type { PgBoss, WorkOptions } from 'pg-boss';
import { HEARTBEAT_REFRESH_SECONDS, type AnyJobDefinition } from './define.ts';
import { deadLetterOf } from '../job-names.ts';
import { runDeadLetter, runJob, type RunnerDeps } from './runner.ts';

/** Creates every queue with its dead-letter queue and policy, and (re)registers cron schedules. */
export async function installQueues<Deps>(
  boss: PgBoss,
  defs: readonly AnyJobDefinition<Deps>[],
): Promise<void> {
  for (const def of defs) {
    const dead = deadLetterOf(def.name);
    // A queue whose final failures are handled (onDeadLetter) retries its handling a few times.
    await ensureQueue(boss, dead, {
      ...(def.onDeadLetter ? { retryLimit: 5, retryDelay: 10, retryBackoff: true } : { retryLimit: 0 }),
      deleteAfterSeconds: 0,
    });
    await ensureQueue(boss, def.name, { ...def.queue, deadLetter: dead });
    if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'UTC' });
  }
}

async function ensureQueue(boss: PgBoss, name: string, options: Record<string, unknown>): Promise<void> {
  const existing = await boss.getQueue(name);
  if (!existing) {
    await boss.createQueue(name, options);
    return;
  }
  // pg-boss refuses `policy` in an update, even an unchanged one: a restart must not send it.
  const { policy, ...changeable } = options;
  if (policy !== undefined && policy !== existing.policy)
    throw new Error(
      `queue ${name} has policy ${existing.policy}; changing it to ${String(policy)} needs a new queue`,
    );
  await boss.updateQueue(name, changeable);
}

/** Starts polling workers; pg-boss settles each job (a throw fails the attempt and schedules a retry). */
export async function startWorkers<Deps extends RunnerDeps>(
  boss: PgBoss,
  defs: readonly AnyJobDefinition<Deps>[],
  deps: Deps,
): Promise<void> {
  for (const def of defs) {
    await boss.work<object>(
      def.name,
      // Queues with `notify` wake at once on a new job; a backlog (and retries coming due) is fetched
      // every 0.5 s per worker, so queued pushes keep the cost budget busy (pg-boss wants the notify
      // interval ≥ the plain one).
      {
        localConcurrency: def.concurrency ?? 1,
        ...('heartbeatSeconds' in def.queue ? { heartbeatRefreshSeconds: HEARTBEAT_REFRESH_SECONDS } : {}),
        pollingIntervalSeconds: 0.5,
        notifyPollingIntervalSeconds: 0.5,
      },
      async (jobs) => {
        for (const job of jobs) await runJob(boss, def, deps, job);
      },
    );
    if (def.onDeadLetter)
      await boss.work<object, unknown, WorkOptions & { includeMetadata: true }>(
        deadLetterOf(def.name),
        { includeMetadata: true, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 },
        async (jobs) => {
          for (const job of jobs) await runDeadLetter(def, deps, job);
        },
      );
  }
}
