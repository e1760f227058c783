import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db, Queryable } from './db/db.ts';
import type { ShopLimiter } from './shopify/limiter.ts';
import type { SecretBox } from './shopify/secret-box.ts';
import type { ShopifyApp } from './shopify/app.ts';

/** What the composition root (main.ts) builds once and passes down. No DI container. */
export interface CoreDeps {
  db: Db;
  logger: Logger;
  clock: Clock;
  config: Config;
  /** Randomness is passed in too: tests can make ids and secrets reproducible. */
  randomBytes: (n: number) => Buffer;
  /** Puts a job on the queue (pg-boss `send`); absent in processes that run no queue. */
  enqueue?: Enqueue | undefined;
  /** Depth of each job queue (all tenants), for the health page; absent where no queue runs. */
  queueDepths?: (() => Promise<Record<string, { queued: number; active: number }>>) | undefined;
  /** Each shop's shared GraphQL cost budget (absent in tests that do not exercise it). */
  limiter?: ShopLimiter | undefined;
  /**
   * Pushes wait until their record has had no new edit for `ms` (at most `maxMs` in all), so a burst of
   * edits to one record makes one push. Absent: push at once (tests that do not exercise it).
   */
  pushQuiet?: PushQuiet | undefined;
  /** Present when a Shopify app is configured (or the demo emulator runs). */
  shopify?: ShopifyWiring | undefined;
}

export interface PushQuiet {
  ms: number;
  maxMs: number;
  /** Waiting is passed in, so tests decide what happens meanwhile. */
  sleep: (ms: number) => Promise<void>;
}

export type Enqueue = (
  job: string,
  data: object,
  /** `tx`: insert the job inside the caller's transaction, so it commits (or not) with the caller's writes. */
  options?: { singletonKey?: string; startAfter?: number; tx?: Queryable },
) => Promise<void>;

export interface ShopifyWiring {
  app: ShopifyApp;
  secretBox: SecretBox;
  /** The demo store's domain when `start` runs the demo emulator (shown to the merchant as the store to connect). */
  demoShop?: string;
}
