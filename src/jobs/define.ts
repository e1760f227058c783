import type { Job, Queue } from 'pg-boss';

/** Retry policy for a queue: exponential backoff from `retryDelay` seconds, capped. */
export interface RetryPolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
}

/**
 * For jobs that may run long or hold a per-key slot: pg-boss refreshes the job's heartbeat while the
 * handler runs, and its supervisor fails (and retries) the job once no heartbeat came for this long,
 * so the job of a process that died (kill -9, a lost machine) is retried within seconds instead of
 * staying active until it expires.
 */
export const HEARTBEAT = { heartbeatSeconds: 10 } as const;

/**
 * How often a worker refreshes the heartbeat of a job it runs (pg-boss's default is half the heartbeat,
 * 5 s). A process killed just before a refresh left its jobs' heartbeats that much older, so they are
 * found lost sooner: 8–10 s after the kill instead of 5–10 s. Costs one indexed UPDATE per running job
 * every 2 s (issue 16).
 */
export const HEARTBEAT_REFRESH_SECONDS = 2;

export interface JobDefinition<D extends object, Deps> {
  name: string;
  queue: Omit<Queue, 'name' | 'deadLetter'> & RetryPolicy;
  /** Cron expression (UTC) when the job is scheduled. */
  cron?: string;
  /** Jobs handled at once per worker process. */
  concurrency?: number;
  handle(data: D, deps: Deps, job: Job<D>): Promise<void>;
  /**
   * Told once the job has failed for good (pg-boss moved it to the queue's dead-letter queue past its
   * retry limit, or the handler's error was permanent): its data and the last attempt's error in words.
   * A worker on the dead-letter queue calls it (tests: `drainDeadLetters`).
   */
  onDeadLetter?(letter: FinalFailure<D>, deps: Deps): Promise<void>;
}

/** A job that failed for good, as its dead-letter queue holds it. */
export interface FinalFailure<D> {
  data: D;
  /** The last attempt's error message (pg-boss's own words when it failed the job: a lost heartbeat…). */
  reason: string;
  /** Attempts made. */
  attempts: number;
}

export function defineJob<D extends object, Deps>(def: JobDefinition<D, Deps>): JobDefinition<D, Deps> {
  return def;
}

export type AnyJobDefinition<Deps> = JobDefinition<object, Deps>;
