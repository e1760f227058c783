/**
 * Shopify's leaky bucket for the Admin GraphQL API (reference §4.2–4.4), one per (app, shop).
 *
 * Flow for one request (the GraphQL route, owner B):
 *   const bucket = throttles.bucketFor(appId, shop);
 *   const take = bucket.take(cost.requestedQueryCost);   // before execution
 *   if (!take.ok) → throttledBody(cost.requestedQueryCost, take.status)  (HTTP 200, or 429 + Retry-After in 429 mode)
 *   … execute …
 *   const status = bucket.refund(requested - actual);     // after execution
 *   body.extensions = { cost: costExtension(requested, actual, status) }
 *
 * The clock is passed in (the emulator clock or the store's: `now(): Date`) so tests control restoration.
 */

export interface Clock {
  now(): Date;
}

export type PlanName = 'standard' | 'advanced' | 'plus' | 'enterprise';

export interface PlanProfile {
  readonly maximumAvailable: number;
  /** Points restored per second. */
  readonly restoreRate: number;
}

/** Bucket sizes and restore rates per plan (standard & plus observed; advanced & enterprise inferred as 20 × rate). */
export const PLAN_PROFILES: Readonly<Record<PlanName, PlanProfile>> = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
};

/** `extensions.cost.throttleStatus`; `currentlyAvailable` is an integer as in Shopify responses. */
export interface ThrottleStatus {
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  readonly restoreRate: number;
}

export type TakeResult =
  | { readonly ok: true; readonly status: ThrottleStatus }
  | { readonly ok: false; readonly status: ThrottleStatus; readonly retryAfterSeconds: number };

export interface Bucket {
  /** Charges `cost` if that many points are available now; otherwise charges nothing. */
  take(cost: number): TakeResult;
  /** Gives back `points` (requested − actual), never above the maximum. */
  refund(points: number): ThrottleStatus;
  status(): ThrottleStatus;
}

export function createBucket(profile: PlanProfile, clock: Clock): Bucket {
  let available = profile.maximumAvailable;
  let at = clock.now().getTime();
  const restore = (): void => {
    const now = clock.now().getTime();
    const elapsed = Math.max(0, now - at) / 1000;
    available = Math.min(profile.maximumAvailable, available + elapsed * profile.restoreRate);
    at = now;
  };
  const status = (): ThrottleStatus => ({
    maximumAvailable: profile.maximumAvailable,
    currentlyAvailable: Math.floor(available),
    restoreRate: profile.restoreRate,
  });
  return {
    take(cost) {
      restore();
      if (cost > available) {
        const retryAfterSeconds = (cost - available) / profile.restoreRate;
        return { ok: false, status: status(), retryAfterSeconds };
      }
      available -= cost;
      return { ok: true, status: status() };
    },
    refund(points) {
      restore();
      available = Math.min(profile.maximumAvailable, available + Math.max(0, points));
      return status();
    },
    status() {
      restore();
      return status();
    },
  };
}

export interface ThrottleRegistry {
  bucketFor(appId: string, shop: string): Bucket;
  /** Changes a shop's plan; its buckets restart full at the new size. */
  setPlan(shop: string, plan: PlanName): void;
  planOf(shop: string): PlanName;
}

export function createThrottleRegistry(clock: Clock, defaultPlan: PlanName = 'standard'): ThrottleRegistry {
  const buckets = new Map<string, Bucket>();
  const plans = new Map<string, PlanName>();
  const planOf = (shop: string): PlanName => plans.get(shop) ?? defaultPlan;
  return {
    bucketFor(appId, shop) {
      const key = `${appId}\u0000${shop}`;
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = createBucket(PLAN_PROFILES[planOf(shop)], clock);
        buckets.set(key, bucket);
      }
      return bucket;
    },
    setPlan(shop, plan) {
      plans.set(shop, plan);
      for (const key of [...buckets.keys()]) if (key.endsWith(`\u0000${shop}`)) buckets.delete(key);
    },
    planOf,
  };
}
