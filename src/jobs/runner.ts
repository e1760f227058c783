import type { Job, JobWithMetadata, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { deadLetterOf } from '../job-names.ts';
import type { AnyJobDefinition, FinalFailure } from './define.ts';
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

/** The error message pg-boss stored as a failed job's output (its own `{value: {message}}` too). */
function outputMessage(output: unknown): string {
  const o = output as { message?: unknown; value?: { message?: unknown } } | null | undefined;
  const message = o?.message ?? o?.value?.message;
  if (typeof message === 'string' && message !== '') return message;
  return output === null || output === undefined ? 'no reason recorded' : JSON.stringify(output);
}

/**
 * A dead-letter queue's job as the failure it stands for: pg-boss's copy of a job past its retry limit
 * (its data, `sourceOutput` the last error), or a letter `runJob` sent for a permanent error.
 */
export function finalFailureOf(job: JobWithMetadata<object>): FinalFailure<object> {
  if (job.sourceId !== null) {
    return {
      data: job.data,
      reason: outputMessage(job.sourceOutput),
      attempts: (job.sourceRetryCount ?? 0) + 1,
    };
  }
  const letter = job.data as DeadLetter;
  return { data: letter.data, reason: letter.message, attempts: letter.attempts };
}

/** Hands one dead-letter job to its definition's `onDeadLetter`. */
export async function runDeadLetter<Deps extends RunnerDeps>(
  def: AnyJobDefinition<Deps>,
  deps: Deps,
  job: JobWithMetadata<object>,
): Promise<void> {
  const failure = finalFailureOf(job);
  deps.logger.warn({ job: def.name, deadLetterId: job.id, ...failure }, 'job failed for good');
  await def.onDeadLetter?.(failure, deps);
}

/** Fetches and settles a definition's dead letters until none is left (tests drain instead of sleeping). */
export async function drainDeadLetters<Deps extends RunnerDeps>(
  boss: PgBoss,
  def: AnyJobDefinition<Deps>,
  deps: Deps,
): Promise<number> {
  const name = deadLetterOf(def.name);
  let handled = 0;
  for (;;) {
    const jobs = await boss.fetch<object>(name, { batchSize: 50, includeMetadata: true });
    if (jobs.length === 0) return handled;
    for (const job of jobs) {
      const attempt = { id: job.id, retryCount: job.retryCount };
      try {
        await runDeadLetter(def, deps, job);
        await boss.complete(name, attempt);
      } catch (err) {
        await boss.fail(name, attempt, describeError(err));
      }
      handled += 1;
    }
  }
}
