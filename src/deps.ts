import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db, Queryable } from './db/db.ts';
import type { ShopLimiter } from './shopify/limiter.ts';
import type { SecretBox } from './shopify/secret-box.ts';
import type { ShopifyApp } from './shopify/app.ts';
import type { ChangeOrigin } from './domain/entities.ts';
import { TransientError } from './errors.ts';

/**
 * What the composition root (runtime.ts) builds once, complete, and passes down. No DI container, and
 * no member is filled in later: the one part that exists only after the server listens (the Shopify
 * wiring) is a slot that is always there and answers a typed error until it is set.
 */
export interface CoreDeps {
  db: Db;
  logger: Logger;
  clock: Clock;
  config: Config;
  /** Randomness is passed in too: tests can make ids and secrets reproducible. */
  randomBytes: (n: number) => Buffer;
  /** Puts a job on the queue (pg-boss `send`, which works before any worker runs). */
  enqueue: Enqueue;
  /**
   * Told by core's write use cases after a write committed its `changes` rows (the composition root
   * queues the outbox relay with it), whoever the caller: HTTP, CLI, a job.
   */
  changesRecorded: ChangesRecorded;
  /** Depth of each job queue (all tenants), for the health page; absent where no queue runs. */
  queueDepths?: (() => Promise<Record<string, { queued: number; active: number }>>) | undefined;
  /** Each shop's shared GraphQL cost budget (absent in tests that do not exercise it). */
  limiter?: ShopLimiter | undefined;
  /**
   * Pushes wait until their record has had no new edit for `ms` (at most `maxMs` in all), so a burst of
   * edits to one record makes one push. Absent: push at once (tests that do not exercise it).
   */
  pushQuiet?: PushQuiet | undefined;
  /** The Shopify wiring: set at start-up when a Shopify app is configured (or the demo emulator runs). */
  shopify: ShopifySlot;
}

/** Called after a transaction that recorded `changes` rows committed; never throws. */
export type ChangesRecorded = (tenantId: string, origin: ChangeOrigin) => Promise<void>;

export interface PushQuiet {
  ms: number;
  maxMs: number;
  /** Waiting is passed in, so tests decide what happens meanwhile. */
  sleep: (ms: number) => Promise<void>;
}

export type Enqueue = (
  job: string,
  data: object,
  /**
   * `tx`: insert the job inside the caller's transaction, so it commits (or not) with the caller's writes.
   * `wake`: a job of the same singleton key already queued for later starts now instead (none: one is
   * queued), where a plain enqueue would leave the waiting one as it is.
   */
  options?: { singletonKey?: string; startAfter?: number; tx?: Queryable; wake?: boolean },
) => Promise<void>;

export interface ShopifyWiring {
  app: ShopifyApp;
  secretBox: SecretBox;
  /** The demo store's domain when `start` runs the demo emulator (shown to the merchant as the store to connect). */
  demoShop?: string;
}

/**
 * Thrown when Shopify's wiring is needed but not set: before start-up sets it, or for good in a process
 * with no Shopify app configured. Transient: a job retries (the wiring may come); HTTP answers 503.
 */
export class ShopifyNotWiredError extends TransientError {
  override name = 'ShopifyNotWiredError';
}

/**
 * The Shopify wiring, late-bound: the slot exists from construction, `set` once start-up has the
 * wiring (the demo store needs the server's address first), and `get` answers ShopifyNotWiredError
 * until then, so no caller tests for an absent member.
 */
export class ShopifySlot {
  #wiring: ShopifyWiring | undefined;

  constructor(wiring?: ShopifyWiring) {
    this.#wiring = wiring;
  }

  set(wiring: ShopifyWiring | undefined): void {
    this.#wiring = wiring;
  }

  /** Whether a Shopify app is wired in this process (readiness, the relay wake-up). */
  get isSet(): boolean {
    return this.#wiring !== undefined;
  }

  get(): ShopifyWiring {
    if (!this.#wiring)
      throw new ShopifyNotWiredError(
        'no Shopify app is wired in this process (set SHOPIFY_API_KEY, SHOPIFY_API_SECRET and APP_URL)',
      );
    return this.#wiring;
  }

  /** The demo store's domain when `start` runs the demo emulator; null otherwise (or not wired). */
  get demoShop(): string | null {
    return this.#wiring?.demoShop ?? null;
  }
}
