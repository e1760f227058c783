import { describe, expect, it } from 'vitest';
import { createManualClock } from '../control/clock.ts';
import { PLAN_PROFILES, createBucket, createThrottleRegistry } from './throttle.ts';
import { costExtension, maxCostExceededBody, throttledResponse } from './throttle-response.ts';

describe('leaky bucket', () => {
  it('starts full at the plan size', () => {
    const clock = createManualClock();
    for (const [plan, profile] of Object.entries(PLAN_PROFILES)) {
      const bucket = createThrottleRegistry(clock, plan as keyof typeof PLAN_PROFILES).bucketFor(
        'app',
        'shop',
      );
      expect(bucket.status()).toEqual({ ...profile, currentlyAvailable: profile.maximumAvailable });
    }
    expect(PLAN_PROFILES).toEqual({
      standard: { maximumAvailable: 2000, restoreRate: 100 },
      advanced: { maximumAvailable: 4000, restoreRate: 200 },
      plus: { maximumAvailable: 20000, restoreRate: 1000 },
      enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
    });
  });

  it('draining it throttles, and it restores at the plan rate as the clock advances', () => {
    const clock = createManualClock();
    const bucket = createBucket(PLAN_PROFILES.standard, clock);
    for (let i = 0; i < 2; i++) expect(bucket.take(1000).ok).toBe(true);
    const refused = bucket.take(752);
    expect(refused.ok).toBe(false);
    expect(refused.status.currentlyAvailable).toBe(0);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeCloseTo(7.52);
    clock.advance(7_000);
    expect(bucket.status().currentlyAvailable).toBe(700);
    expect(bucket.take(752).ok).toBe(false);
    clock.advance(520);
    expect(bucket.take(752).ok).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
  });

  it('restores no further than the maximum', () => {
    const clock = createManualClock();
    const bucket = createBucket(PLAN_PROFILES.plus, clock);
    bucket.take(5000);
    clock.advance(60_000);
    expect(bucket.status().currentlyAvailable).toBe(20000);
  });

  it('refunds requested − actual after execution', () => {
    const clock = createManualClock();
    const bucket = createBucket(PLAN_PROFILES.standard, clock);
    bucket.take(252);
    expect(bucket.status().currentlyAvailable).toBe(1748);
    expect(bucket.refund(252 - 12).currentlyAvailable).toBe(1988);
    expect(bucket.refund(5000).currentlyAvailable).toBe(2000);
  });

  it('keeps one bucket per (app, shop)', () => {
    const clock = createManualClock();
    const throttles = createThrottleRegistry(clock);
    throttles.bucketFor('a', 's1').take(2000);
    expect(throttles.bucketFor('a', 's1').status().currentlyAvailable).toBe(0);
    expect(throttles.bucketFor('b', 's1').status().currentlyAvailable).toBe(2000);
    expect(throttles.bucketFor('a', 's2').status().currentlyAvailable).toBe(2000);
    throttles.setPlan('s1', 'advanced');
    expect(throttles.bucketFor('a', 's1').status()).toEqual({
      maximumAvailable: 4000,
      currentlyAvailable: 4000,
      restoreRate: 200,
    });
  });
});

describe('throttle responses', () => {
  const status = { maximumAvailable: 2000, currentlyAvailable: 40, restoreRate: 100 };

  it('shapes extensions.cost as Shopify does', () => {
    expect(costExtension(101, 46, status)).toEqual({
      requestedQueryCost: 101,
      actualQueryCost: 46,
      throttleStatus: status,
    });
  });

  it('answers THROTTLED with HTTP 200 and no data by default', () => {
    const response = throttledResponse(752, status, 7.12);
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({});
    expect(response.body).toEqual({
      errors: [
        {
          message: 'Throttled',
          extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
        },
      ],
      extensions: { cost: { requestedQueryCost: 752, actualQueryCost: null, throttleStatus: status } },
    });
  });

  it('in 429 mode sends Retry-After in whole seconds', () => {
    const response = throttledResponse(752, status, 7.12, '429');
    expect(response.statusCode).toBe(429);
    expect(response.headers).toEqual({ 'retry-after': '8' });
    expect(throttledResponse(10, status, 0.01, '429').headers).toEqual({ 'retry-after': '1' });
  });

  it('MAX_COST_EXCEEDED carries the cost extension and charges nothing', () => {
    const body = maxCostExceededBody(1152, status);
    expect(body.errors[0]?.extensions).toEqual({ code: 'MAX_COST_EXCEEDED', cost: 1152, maxCost: 1000 });
    expect(body.extensions.cost).toEqual({
      requestedQueryCost: 1152,
      actualQueryCost: null,
      throttleStatus: status,
    });
  });
});
