/**
 * Shopify's GraphQL cost bucket as plain arithmetic. A bucket holds up to `maximumAvailable` points and
 * refills at `restoreRate` points per second; we keep an estimate of it (points available at a moment)
 * and decide from it whether a query may go now or how long it must wait. No I/O: the caller loads the
 * bucket, asks, and stores the answer.
 */

/** Live pushes and webhook reads go before import and reconciliation traffic. */
export type CallPriority = 'live' | 'background';

export interface Bucket {
  maximumAvailable: number;
  restoreRate: number;
  /** Points available at `observedAt` (may be negative after an underestimated query). */
  currentlyAvailable: number;
  observedAt: Date;
}

/** Shopify's `extensions.cost.throttleStatus`. */
export interface BucketStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Assumed until Shopify's first response says otherwise (standard plan). */
export const STANDARD_BUCKET = { maximumAvailable: 2000, restoreRate: 100 } as const;
/** Shopify rejects any single query whose requested cost exceeds this, whatever the plan. */
export const SINGLE_QUERY_MAX_COST = 1000;
/** Background calls leave this share of the bucket for live ones. */
export const BACKGROUND_RESERVE_SHARE = 0.25;
/** Float slack, so a wait computed to the millisecond is not followed by a 1 ms top-up wait. */
const EPSILON = 1e-6;

export function fullBucket(
  now: Date,
  size: Omit<BucketStatus, 'currentlyAvailable'> = STANDARD_BUCKET,
): Bucket {
  return { ...size, currentlyAvailable: size.maximumAvailable, observedAt: now };
}

function later(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** Points available at `now`: the stored estimate plus what has leaked back since, capped at the size. */
export function availableAt(bucket: Bucket, now: Date): number {
  const elapsedSeconds = Math.max(0, now.getTime() - bucket.observedAt.getTime()) / 1000;
  return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + elapsedSeconds * bucket.restoreRate);
}

/** The points a query estimate reserves: never more than the bucket, nor than Shopify's single-query cap. */
export function clampCost(estimate: number, maximumAvailable: number): number {
  if (!Number.isFinite(estimate) || estimate < 0) {
    throw new RangeError(`a query cost estimate must be a non-negative number, got ${estimate}`);
  }
  return Math.min(estimate, maximumAvailable, SINGLE_QUERY_MAX_COST);
}

/** The points that must be available before a call of `cost` may start. */
export function requiredPoints(cost: number, priority: CallPriority, maximumAvailable: number): number {
  if (priority === 'live') return cost;
  return Math.min(maximumAvailable, cost + maximumAvailable * BACKGROUND_RESERVE_SHARE);
}

export type Reservation =
  { granted: true; cost: number; bucket: Bucket } | { granted: false; cost: number; waitMs: number };

/**
 * Reserve `estimate` points now, or say how long until they are there. A background call only goes
 * while the reserve for live calls would stay in the bucket (or when the bucket is full).
 */
export function reserve(bucket: Bucket, now: Date, estimate: number, priority: CallPriority): Reservation {
  const cost = clampCost(estimate, bucket.maximumAvailable);
  const available = availableAt(bucket, now);
  const needed = requiredPoints(cost, priority, bucket.maximumAvailable);
  if (available + EPSILON >= needed) {
    return {
      granted: true,
      cost,
      bucket: { ...bucket, currentlyAvailable: available - cost, observedAt: later(now, bucket.observedAt) },
    };
  }
  return { granted: false, cost, waitMs: Math.ceil(((needed - available) / bucket.restoreRate) * 1000) };
}

export interface Observation {
  /** Shopify's throttleStatus from the response, when there was one. */
  status: BucketStatus | undefined;
  /** Shopify's actualQueryCost (null when the query did not run). */
  actualCost: number | null | undefined;
  /** The estimate that was reserved for this call. */
  reserved: number;
  throttled: boolean;
}

function usableStatus(s: BucketStatus | undefined): s is BucketStatus {
  return (
    s !== undefined &&
    Number.isFinite(s.maximumAvailable) &&
    Number.isFinite(s.restoreRate) &&
    Number.isFinite(s.currentlyAvailable) &&
    s.maximumAvailable > 0 &&
    s.restoreRate > 0
  );
}

/**
 * The bucket after a response. Shopify's size and restore rate always win. Its `currentlyAvailable`
 * already nets the refund of requested − actual; we refund the same into our estimate and keep the lower
 * of the two, because our estimate also holds reservations of calls still in flight (from any process)
 * that Shopify has not seen yet. When the size or rate changed, Shopify's number is taken as is. With no
 * throttleStatus the reservation stays spent (after a throttle it stands in for the points Shopify says
 * we lack).
 */
export function applyObservation(bucket: Bucket, now: Date, obs: Observation): Bucket {
  const at = later(now, bucket.observedAt);
  const local = availableAt(bucket, now);
  const { status } = obs;
  if (!usableStatus(status)) return { ...bucket, currentlyAvailable: local, observedAt: at };
  const size = { maximumAvailable: status.maximumAvailable, restoreRate: status.restoreRate };
  if (size.maximumAvailable !== bucket.maximumAvailable || size.restoreRate !== bucket.restoreRate) {
    return { ...size, currentlyAvailable: status.currentlyAvailable, observedAt: at };
  }
  const reserved = clampCost(obs.reserved, bucket.maximumAvailable);
  const charged = obs.throttled ? 0 : (obs.actualCost ?? reserved);
  const refunded = local + reserved - charged;
  return {
    ...size,
    currentlyAvailable: Math.min(status.currentlyAvailable, refunded, size.maximumAvailable),
    observedAt: at,
  };
}

/** Points to count as spent for the health page: Shopify's actual cost, else our estimate. */
export function pointsSpent(obs: Observation): number {
  if (obs.throttled) return 0;
  return Math.round(obs.actualCost ?? obs.reserved);
}
