import type { Job, Queue } from 'pg-boss';

/** Retry policy for a queue: exponential backoff from `retryDelay` seconds, capped. */
export interface RetryPolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax?: number;
}

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
