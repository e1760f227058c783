import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { deadLetterOf } from '../job-names.ts';
import type { AnyJobDefinition } from './define.ts';
import { CoreError } from '../core/errors.ts';
import { describeError, PermanentError } from '../errors.ts';

export interface RunnerDeps {
  logger: Logger;
}

/** What lands in a dead-letter queue: the original payload, why, and when. */
export interface DeadLetter<D = object> {
  job: string;
  jobId: string;
  data: D;
  errorClass: string;
  message: string;
  attempts: number;
}

/**
 * Runs one job's handler. A PermanentError (or a CoreError refusal: invalid input or a conflict, which
 * retrying cannot fix) parks the job at once in the dead-letter queue with its
 * reason and counts as handled (retrying cannot help). Anything else thrown propagates, so pg-boss
 * fails the attempt and retries with the queue's backoff; past retryLimit it copies the job to the
 * dead-letter queue.
 */
export async function runJob<Deps extends RunnerDeps>(
  boss: PgBoss,
  def: AnyJobDefinition<Deps>,
  deps: Deps,
  job: Job<object>,
): Promise<'completed' | 'dead'> {
  try {
    await def.handle(job.data, deps, job);
    return 'completed';
  } catch (err) {
    const reason = describeError(err);
    if (!(err instanceof PermanentError) && !(err instanceof CoreError && err.kind !== 'not_found')) {
      deps.logger.warn(
        { job: def.name, jobId: job.id, attempt: job.retryCount + 1, ...reason },
        'job failed; will retry',
      );
      throw err;
    }
    const letter: DeadLetter = {
      job: def.name,
      jobId: job.id,
      data: job.data,
      ...reason,
      attempts: job.retryCount + 1,
    };
    await boss.send(deadLetterOf(def.name), letter);
    deps.logger.warn({ job: def.name, jobId: job.id, ...reason }, 'job dead-lettered (permanent error)');
    return 'dead';
  }
}

/** Runs a fetched job and settles it by hand (the path tests take when they drain a queue). */
export async function settleJob<Deps extends RunnerDeps>(
  boss: PgBoss,
  def: AnyJobDefinition<Deps>,
  deps: Deps,
  job: Job<object>,
): Promise<'completed' | 'failed' | 'dead'> {
  const attempt = { id: job.id, retryCount: job.retryCount };
  try {
    const outcome = await runJob(boss, def, deps, job);
    await boss.complete(def.name, attempt);
    return outcome;
  } catch (err) {
    await boss.fail(def.name, attempt, describeError(err));
    return 'failed';
  }
}

/** Fetches and settles jobs until none is available now. Tests drain instead of sleeping. */
export async function drainQueue<Deps extends RunnerDeps>(
  boss: PgBoss,
  def: AnyJobDefinition<Deps>,
  deps: Deps,
): Promise<number> {
  let handled = 0;
  for (;;) {
    const jobs = await boss.fetch<object>(def.name, { batchSize: 50 });
    if (jobs.length === 0) return handled;
    for (const job of jobs) {
      await settleJob(boss, def, deps, job);
      handled += 1;
    }
  }
}
