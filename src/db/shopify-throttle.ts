import type { Bucket } from '../domain/leaky-bucket.ts';
import type { Queryable } from './db.ts';

/** One shop's bucket estimate plus the call counters shown on the health page. */
export interface ThrottleState extends Bucket {
  calls: number;
  throttled: number;
  pointsSpent: number;
  since: Date;
}

export interface CallCount {
  calls: number;
  throttled: number;
  pointsSpent: number;
}

interface ThrottleRow {
  maximum_available: number;
  restore_rate: number;
  currently_available: number;
  observed_at: Date;
  calls: number | string;
  throttled: number | string;
  points_spent: number | string;
  since: Date;
}

const COLUMNS = `maximum_available, restore_rate, currently_available, observed_at, calls, throttled, points_spent, since`;

function toState(r: ThrottleRow): ThrottleState {
  return {
    maximumAvailable: Number(r.maximum_available),
    restoreRate: Number(r.restore_rate),
    currentlyAvailable: Number(r.currently_available),
    observedAt: new Date(r.observed_at),
    calls: Number(r.calls),
    throttled: Number(r.throttled),
    pointsSpent: Number(r.points_spent),
    since: new Date(r.since),
  };
}

/**
 * Locks the tenant's row until the transaction ends (creating it from `initial` on first use), so a
 * reservation read-decide-write is atomic across processes. Call inside a transaction.
 */
export async function lockThrottle(q: Queryable, tenantId: string, initial: Bucket): Promise<ThrottleState> {
  await q.query(
    `insert into shopify_throttle (tenant_id, maximum_available, restore_rate, currently_available, observed_at, since)
     values ($1, $2, $3, $4, $5, $5)
     on conflict (tenant_id) do nothing`,
    [tenantId, initial.maximumAvailable, initial.restoreRate, initial.currentlyAvailable, initial.observedAt],
  );
  const { rows } = await q.query<ThrottleRow>(
    `select ${COLUMNS} from shopify_throttle where tenant_id = $1 for update`,
    [tenantId],
  );
  const row = rows[0];
  if (!row) throw new Error(`shopify_throttle row for tenant ${tenantId} vanished while locking it`);
  return toState(row);
}

/** Stores the bucket estimate and adds `count` to the counters. */
export async function saveThrottle(
  q: Queryable,
  tenantId: string,
  bucket: Bucket,
  count: CallCount = { calls: 0, throttled: 0, pointsSpent: 0 },
): Promise<void> {
  await q.query(
    `update shopify_throttle
        set maximum_available = $2, restore_rate = $3, currently_available = $4, observed_at = $5,
            calls = calls + $6, throttled = throttled + $7, points_spent = points_spent + $8
      where tenant_id = $1`,
    [
      tenantId,
      bucket.maximumAvailable,
      bucket.restoreRate,
      bucket.currentlyAvailable,
      bucket.observedAt,
      count.calls,
      count.throttled,
      count.pointsSpent,
    ],
  );
}

export async function getThrottle(q: Queryable, tenantId: string): Promise<ThrottleState | undefined> {
  const { rows } = await q.query<ThrottleRow>(
    `select ${COLUMNS} from shopify_throttle where tenant_id = $1`,
    [tenantId],
  );
  return rows[0] ? toState(rows[0]) : undefined;
}
