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

export interface JobDefinition<D extends object, Deps> {
  name: string;
  queue: Omit<Queue, 'name' | 'deadLetter'> & RetryPolicy;
  /** Cron expression (UTC) when the job is scheduled. */
  cron?: string;
  /** Jobs handled at once per worker process. */
  concurrency?: number;
  handle(data: D, deps: Deps, job: Job<D>): Promise<void>;
}

export function defineJob<D extends object, Deps>(def: JobDefinition<D, Deps>): JobDefinition<D, Deps> {
  return def;
}

export type AnyJobDefinition<Deps> = JobDefinition<object, Deps>;
