import type { Clock } from '../clock.ts';
import type { Db } from '../db/db.ts';
import { getThrottle, lockThrottle, saveThrottle } from '../db/shopify-throttle.ts';
import {
  applyObservation,
  availableAt,
  fullBucket,
  pointsSpent,
  reserve,
  type CallPriority,
  type Observation,
} from '../domain/leaky-bucket.ts';
import { ThrottledError } from '../errors.ts';
import type { GraphqlResult, QueryCost } from './graphql-client.ts';

export type { CallPriority } from '../domain/leaky-bucket.ts';

export interface LimiterDeps {
  db: Db;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
}

export interface ThrottleSnapshot {
  maximumAvailable: number;
  /** Estimated points available now (stored estimate plus refill since it was stored). */
  currentlyAvailable: number;
  restoreRate: number;
  calls: number;
  throttled: number;
  pointsSpent: number;
  since: Date;
}

/**
 * One cost-aware limiter per shop, its bucket estimate shared by every process through the
 * shopify_throttle table.
 */
export interface ShopLimiter {
  /**
   * Waits until `cost` points are available for the tenant, then reserves them. The cost is clamped to
   * the bucket size and Shopify's single-query cap (1000). Background calls leave 25 % of the bucket
   * for live ones.
   */
  acquire(tenantId: string, cost: number, priority: CallPriority): Promise<void>;
  /** acquire() without the wait: reserves `cost` points if they are there now; else the wait in ms. */
  tryAcquire(tenantId: string, cost: number, priority: CallPriority): Promise<number>;
  /**
   * After a response (or a failure): adopt Shopify's throttleStatus, refund requested − actual, count
   * the call. `requested` is the estimate given to acquire().
   */
  observe(
    tenantId: string,
    cost: QueryCost | undefined,
    requested: number,
    throttled: boolean,
  ): Promise<void>;
  status(tenantId: string): Promise<ThrottleSnapshot | undefined>;
  /** Waits with the injected sleep (between throttle retries). */
  pause(ms: number): Promise<void>;
}

export function createShopLimiter(deps: LimiterDeps): ShopLimiter {
  const { db, clock } = deps;

  /** One attempt, atomic across processes: lock the row, decide, store. Returns the wait when refused. */
  function tryReserve(tenantId: string, cost: number, priority: CallPriority): Promise<number> {
    return db.transaction(async (tx) => {
      const now = clock.now();
      const state = await lockThrottle(tx, tenantId, fullBucket(now));
      const decision = reserve(state, now, cost, priority);
      if (!decision.granted) return decision.waitMs;
      await saveThrottle(tx, tenantId, decision.bucket);
      return 0;
    });
  }

  return {
    async acquire(tenantId, cost, priority) {
      for (;;) {
        const waitMs = await tryReserve(tenantId, cost, priority);
        if (waitMs === 0) return;
        await deps.sleep(waitMs);
      }
    },

    tryAcquire: (tenantId, cost, priority) => tryReserve(tenantId, cost, priority),

    async observe(tenantId, cost, requested, throttled) {
      const obs: Observation = {
        status: cost?.throttleStatus,
        actualCost: cost?.actualQueryCost,
        reserved: requested,
        throttled,
      };
      await db.transaction(async (tx) => {
        const now = clock.now();
        const state = await lockThrottle(tx, tenantId, fullBucket(now));
        await saveThrottle(tx, tenantId, applyObservation(state, now, obs), {
          calls: 1,
          throttled: throttled ? 1 : 0,
          pointsSpent: pointsSpent(obs),
        });
      });
    },

    async status(tenantId) {
      const state = await getThrottle(db, tenantId);
      if (!state) return undefined;
      return {
        maximumAvailable: state.maximumAvailable,
        currentlyAvailable: availableAt(state, clock.now()),
        restoreRate: state.restoreRate,
        calls: state.calls,
        throttled: state.throttled,
        pointsSpent: state.pointsSpent,
        since: state.since,
      };
    },

    pause: (ms) => deps.sleep(ms),
  };
}

export interface LimitedCallOptions {
  /** Throttled answers retried before the ThrottledError is rethrown. */
  maxThrottleRetries?: number;
  /**
   * The call goes out now or not at all: when the budget lacks its points, or Shopify answers THROTTLED,
   * a ThrottledError with the wait is thrown instead of waiting and sending later. For a write decided
   * on a read: Shopify's writes have no compare-and-set, so a write sent after a wait would land over
   * whatever Shopify changed meanwhile (the caller reads again after the wait and decides again).
   */
  noWait?: boolean;
}

/**
 * One limited call: acquire → call → observe. On ThrottledError (THROTTLED in a 200, or a 429 whose
 * Retry-After seconds the client already turned into ms) wait its retryAfterMs and try again, up to
 * `maxThrottleRetries` times, then rethrow. Any other error is counted and rethrown.
 */
export async function limitedCall<T>(
  limiter: ShopLimiter,
  tenantId: string,
  estimate: number,
  priority: CallPriority,
  call: () => Promise<GraphqlResult<T>>,
  options: LimitedCallOptions = {},
): Promise<GraphqlResult<T>> {
  const maxRetries = options.noWait ? 0 : (options.maxThrottleRetries ?? 5);
  for (let attempt = 0; ; attempt++) {
    if (options.noWait) {
      const waitMs = await limiter.tryAcquire(tenantId, estimate, priority);
      if (waitMs > 0) throw new ThrottledError("the shop's cost budget lacks the call's points", waitMs);
    } else await limiter.acquire(tenantId, estimate, priority);
    let result: GraphqlResult<T>;
    try {
      result = await call();
    } catch (err) {
      const throttled = err instanceof ThrottledError;
      await limiter.observe(tenantId, undefined, estimate, throttled);
      if (!throttled || attempt >= maxRetries) throw err;
      await limiter.pause(err.retryAfterMs);
      continue;
    }
    await limiter.observe(tenantId, result.cost, estimate, false);
    return result;
  }
}
