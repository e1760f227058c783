import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyObservation,
  availableAt,
  clampCost,
  fullBucket,
  pointsSpent,
  requiredPoints,
  reserve,
  type Bucket,
} from './leaky-bucket.ts';

const T0 = new Date('2026-01-15T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const bucket = (currentlyAvailable: number, extra: Partial<Bucket> = {}): Bucket => ({
  maximumAvailable: 2000,
  restoreRate: 100,
  currentlyAvailable,
  observedAt: T0,
  ...extra,
});

describe('availableAt', () => {
  it.each([
    ['no time passed', 500, 0, 500],
    ['refills at the restore rate', 500, 2500, 750],
    ['never above the bucket size', 1900, 10_000, 2000],
    ['a clock behind the stored moment adds nothing', 500, -3000, 500],
    ['pays back a negative balance first', -200, 1000, -100],
  ])('%s', (_name, stored, elapsedMs, expected) => {
    expect(availableAt(bucket(stored), at(elapsedMs))).toBeCloseTo(expected, 9);
  });
});

describe('clampCost', () => {
  it.each([
    [120, 2000, 120],
    [5000, 20_000, 1000],
    [1500, 800, 800],
    [0, 2000, 0],
  ])('estimate %d in a bucket of %d reserves %d', (estimate, max, expected) => {
    expect(clampCost(estimate, max)).toBe(expected);
  });

  it('refuses a negative or non-numeric estimate', () => {
    expect(() => clampCost(-1, 2000)).toThrow(RangeError);
    expect(() => clampCost(Number.NaN, 2000)).toThrow(RangeError);
  });
});

describe('reserve', () => {
  it('grants a live call while the points are there and debits them', () => {
    const r = reserve(bucket(500), at(0), 500, 'live');
    expect(r).toEqual({ granted: true, cost: 500, bucket: bucket(0) });
  });

  it('makes a live call wait exactly (cost − available) / restore', () => {
    expect(reserve(bucket(200), at(0), 500, 'live')).toEqual({ granted: false, cost: 500, waitMs: 3000 });
    expect(reserve(bucket(0), at(0), 1, 'live')).toEqual({ granted: false, cost: 1, waitMs: 10 });
  });

  it('is granted after waiting the time it asked for', () => {
    const first = reserve(bucket(123.4), at(0), 777, 'live');
    if (first.granted) throw new Error('expected a wait');
    expect(reserve(bucket(123.4), at(first.waitMs), 777, 'live').granted).toBe(true);
  });

  it('keeps a quarter of the bucket for live calls when the call is background', () => {
    expect(requiredPoints(100, 'background', 2000)).toBe(600);
    expect(reserve(bucket(600), at(0), 100, 'background')).toMatchObject({ granted: true });
    expect(reserve(bucket(599), at(0), 100, 'background')).toEqual({
      granted: false,
      cost: 100,
      waitMs: 10,
    });
    expect(reserve(bucket(599), at(0), 100, 'live')).toMatchObject({ granted: true });
  });

  it('lets a background call that needs more than the unreserved part go once the bucket is full', () => {
    const small = { maximumAvailable: 1000, restoreRate: 50 };
    expect(requiredPoints(1000, 'background', 1000)).toBe(1000);
    expect(reserve(bucket(1000, small), at(0), 1000, 'background')).toMatchObject({ granted: true });
  });

  it('clamps the estimate before deciding', () => {
    const r = reserve(bucket(2000), at(0), 4000, 'live');
    expect(r).toMatchObject({ granted: true, cost: 1000, bucket: { currentlyAvailable: 1000 } });
  });

  it('never lets the granted reservations at one moment exceed what the bucket held', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cost: fc.integer({ min: 0, max: 1500 }), live: fc.boolean() }), {
          maxLength: 40,
        }),
        (calls) => {
          let b = fullBucket(T0);
          let granted = 0;
          for (const c of calls) {
            const r = reserve(b, T0, c.cost, c.live ? 'live' : 'background');
            if (r.granted) {
              b = r.bucket;
              granted += r.cost;
            }
          }
          expect(granted).toBeLessThanOrEqual(2000);
          expect(b.currentlyAvailable).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('applyObservation', () => {
  const status = (currentlyAvailable: number, maximumAvailable = 2000, restoreRate = 100) => ({
    maximumAvailable,
    currentlyAvailable,
    restoreRate,
  });

  it('refunds requested − actual when Shopify agrees with the estimate', () => {
    // 500 reserved from a full bucket; the query cost 40, so Shopify holds 1960.
    const b = applyObservation(bucket(1500), at(0), {
      status: status(1960),
      actualCost: 40,
      reserved: 500,
      throttled: false,
    });
    expect(b).toEqual(bucket(1960));
  });

  it("takes Shopify's lower number", () => {
    const b = applyObservation(bucket(1500), at(0), {
      status: status(900),
      actualCost: 40,
      reserved: 500,
      throttled: false,
    });
    expect(b.currentlyAvailable).toBe(900);
  });

  it('keeps reservations of calls still in flight that Shopify has not seen yet', () => {
    // Another process reserved 800 after this call was sent: the estimate is 700, Shopify says 1960.
    const b = applyObservation(bucket(700), at(0), {
      status: status(1960),
      actualCost: 40,
      reserved: 500,
      throttled: false,
    });
    expect(b.currentlyAvailable).toBe(1160);
  });

  it("adopts Shopify's numbers outright when the bucket size or rate differ (another plan)", () => {
    const b = applyObservation(bucket(1500), at(0), {
      status: status(19_960, 20_000, 1000),
      actualCost: 40,
      reserved: 500,
      throttled: false,
    });
    expect(b).toEqual({
      maximumAvailable: 20_000,
      restoreRate: 1000,
      currentlyAvailable: 19_960,
      observedAt: T0,
    });
  });

  it('charges an underestimated query the difference', () => {
    const b = applyObservation(bucket(1900), at(0), {
      status: status(1950),
      actualCost: 150,
      reserved: 100,
      throttled: false,
    });
    expect(b.currentlyAvailable).toBe(1850);
  });

  it('keeps the reservation spent when the response had no cost', () => {
    for (const throttled of [false, true]) {
      const b = applyObservation(bucket(1500), at(1000), {
        status: undefined,
        actualCost: undefined,
        reserved: 500,
        throttled,
      });
      expect(b).toEqual(bucket(1600, { observedAt: at(1000) }));
    }
  });

  it('does not move the stored moment back when this clock is behind', () => {
    const b = applyObservation(bucket(1500), at(-500), {
      status: undefined,
      actualCost: undefined,
      reserved: 1,
      throttled: false,
    });
    expect(b.observedAt).toEqual(T0);
  });
});

describe('pointsSpent', () => {
  it.each([
    [{ actualCost: 12, reserved: 252, throttled: false }, 12],
    [{ actualCost: undefined, reserved: 252, throttled: false }, 252],
    [{ actualCost: null, reserved: 752, throttled: true }, 0],
  ])('%o spends %d', (obs, expected) => {
    expect(pointsSpent({ status: undefined, ...obs })).toBe(expected);
  });
});
