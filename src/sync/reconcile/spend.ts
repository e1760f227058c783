import { pointsSpent } from '../../domain/leaky-bucket.ts';
import type { ShopLimiter } from '../../shopify/limiter.ts';
import type { ShopSession } from '../shop-session.ts';

/** The points a run spent since it last asked: every call of its session, reads and repairs alike. */
export interface Spend {
  take(): number;
}

/**
 * The run's session: the shop's own (background priority, the shared cost budget), with each call's
 * points counted as the limiter observes them — Shopify's actual cost, else the reservation, nothing
 * for a throttled call (the budget's own rule). Without a shared budget calls go straight out, counted.
 */
export function countingSession(
  s: ShopSession,
  tenantId: string,
  wait: (ms: number) => Promise<void>,
): { session: ShopSession; spend: Spend } {
  let points = 0;
  const inner = s.limit?.limiter;
  const limiter: ShopLimiter = {
    acquire: (t, cost, priority) => (inner ? inner.acquire(t, cost, priority) : Promise.resolve()),
    tryAcquire: (t, cost, priority) => (inner ? inner.tryAcquire(t, cost, priority) : Promise.resolve(0)),
    async observe(t, cost, requested, throttled) {
      points += pointsSpent({
        status: cost?.throttleStatus,
        actualCost: cost?.actualQueryCost,
        reserved: requested,
        throttled,
      });
      if (inner) await inner.observe(t, cost, requested, throttled);
    },
    status: (t) => (inner ? inner.status(t) : Promise.resolve(undefined)),
    pause: (ms) => (inner ? inner.pause(ms) : wait(ms)),
  };
  return {
    session: { ...s, limit: { limiter, tenantId, priority: s.limit?.priority ?? 'background' } },
    spend: {
      take() {
        const p = points;
        points = 0;
        return p;
      },
    },
  };
}
