import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failOnIdleError, openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { ManualClock } from '../clock.ts';
import type { Db } from '../db/db.ts';
import { openDb } from '../db/open.ts';
import { ThrottledError } from '../errors.ts';
import { adminGraphql, type AdminClientConfig, type QueryCost } from './graphql-client.ts';
import { createShopLimiter, limitedCall, type ShopLimiter } from './limiter.ts';

let t: TestDb;
/** A second connection to the same database, standing for another worker process (PGlite: the same one). */
let otherProcessDb: Db;
beforeAll(async () => {
  t = await openTestDb();
  otherProcessDb = t.url
    ? await openDb({ databaseUrl: t.url, poolSize: 5, onIdleError: failOnIdleError })
    : t.db;
});
afterAll(async () => {
  if (otherProcessDb !== t.db) await otherProcessDb.close();
  await t.close();
});

/** A limiter on a manual clock whose sleep only moves the clock and records the wait. */
function harness(db: Db = t.db, clock = new ManualClock()) {
  const sleeps: number[] = [];
  const sleep = (ms: number) => {
    sleeps.push(ms);
    clock.advance(ms);
    return Promise.resolve();
  };
  return { clock, sleeps, limiter: createShopLimiter({ db, clock, sleep }) };
}

function cost(
  requested: number,
  actual: number | null,
  currentlyAvailable: number,
  size = [2000, 100],
): QueryCost {
  const [maximumAvailable = 2000, restoreRate = 100] = size;
  return {
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: { maximumAvailable, currentlyAvailable, restoreRate },
  };
}

/** Shopify answering with the given responses in turn, through the real client. */
function fakeShopify(responses: (() => Response)[]) {
  let calls = 0;
  const cfg: AdminClientConfig = {
    shopOriginTemplate: 'https://{shop}',
    apiVersion: '2026-04',
    fetch: (() => {
      const next = responses[calls++];
      if (!next) throw new Error('the fake Shopify ran out of responses');
      return Promise.resolve(next());
    }) as typeof fetch,
  };
  const call = () =>
    adminGraphql<{ shop: { name: string } }>(cfg, {
      shop: 'limiter-test.myshopify.com',
      accessToken: 'shpat_test',
      query: '{ shop { name } }',
    });
  return { call, calls: () => calls };
}

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
const ok = (c: QueryCost) => json({ data: { shop: { name: 'Shop' } }, extensions: { cost: c } });
const throttledBody = (c: QueryCost) =>
  json({ errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: { cost: c } });

async function available(limiter: ShopLimiter, tenantId: string): Promise<number | undefined> {
  return (await limiter.status(tenantId))?.currentlyAvailable;
}

describe('shop limiter on a shared database', () => {
  it('assumes the standard plan (2000 points, 100/s) for a shop it has not heard from', async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, sleeps, clock } = harness();
    expect(await limiter.status(tenantId)).toBeUndefined();
    await limiter.acquire(tenantId, 300, 'live');
    expect(sleeps).toEqual([]);
    expect(await limiter.status(tenantId)).toEqual({
      maximumAvailable: 2000,
      currentlyAvailable: 1700,
      restoreRate: 100,
      calls: 0,
      throttled: 0,
      pointsSpent: 0,
      since: clock.now(),
    });
  });

  it('never lets reservations from two processes together exceed the bucket', async () => {
    const tenantId = await insertTenant(t.db);
    const clock = new ManualClock();
    const refuse = () => Promise.reject(new Error('would wait'));
    const a = createShopLimiter({ db: t.db, clock, sleep: refuse });
    const b = createShopLimiter({ db: otherProcessDb, clock, sleep: refuse });
    // 16 calls of 250 points (4000) race for a bucket of 2000 while the clock stands still.
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).acquire(tenantId, 250, 'live')),
    );
    const granted = results.filter((r) => r.status === 'fulfilled').length;
    expect(granted).toBe(8);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual(
      Array.from({ length: 8 }, () => 'Error: would wait'),
    );
    expect(await available(a, tenantId)).toBe(0);
  });

  it('makes a call wait exactly (cost − available) / restore rate, then reserves', async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, sleeps } = harness();
    await limiter.acquire(tenantId, 1000, 'live');
    await limiter.acquire(tenantId, 800, 'live');
    await limiter.acquire(tenantId, 500, 'live'); // 200 there, 300 missing at 100/s
    expect(sleeps).toEqual([3000]);
    expect(await available(limiter, tenantId)).toBe(0);
  });

  it('clamps an estimate above the single-query cap', async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, sleeps } = harness();
    await limiter.acquire(tenantId, 5000, 'live');
    expect(sleeps).toEqual([]);
    expect(await available(limiter, tenantId)).toBe(1000);
  });

  it('makes background calls leave a quarter of the bucket for live ones', async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, sleeps } = harness();
    await limiter.acquire(tenantId, 1000, 'live');
    await limiter.acquire(tenantId, 400, 'live'); // 600 left
    await limiter.acquire(tenantId, 100, 'background'); // 500 left: exactly the reserve
    expect(sleeps).toEqual([]);
    await limiter.acquire(tenantId, 500, 'live'); // live may use the reserve
    expect(sleeps).toEqual([]);
    await limiter.acquire(tenantId, 100, 'background'); // needs 600 available
    expect(sleeps).toEqual([6000]);
    expect(await available(limiter, tenantId)).toBe(500);
  });

  it("a second process sees the first one's reservations and waits for them", async () => {
    const tenantId = await insertTenant(t.db);
    const clock = new ManualClock();
    const a = harness(t.db, clock);
    const b = harness(otherProcessDb, clock);
    await a.limiter.acquire(tenantId, 1000, 'live');
    await a.limiter.acquire(tenantId, 900, 'live');
    await b.limiter.acquire(tenantId, 300, 'live');
    expect(b.sleeps).toEqual([2000]);
    expect(await a.limiter.status(tenantId)).toMatchObject({ currentlyAvailable: 0 });
  });

  it("adopts Shopify's numbers on observe and refunds requested − actual", async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, clock } = harness();
    await limiter.acquire(tenantId, 500, 'live');
    expect(await available(limiter, tenantId)).toBe(1500);
    await limiter.observe(tenantId, cost(500, 40, 1960), 500, false);
    expect(await available(limiter, tenantId)).toBe(1960);
    // Shopify knows of less than we do: its number wins.
    await limiter.acquire(tenantId, 100, 'live');
    await limiter.observe(tenantId, cost(100, 100, 1200), 100, false);
    expect(await available(limiter, tenantId)).toBe(1200);
    // A Plus shop: the bucket size and restore rate are taken from the response.
    clock.advance(1000);
    await limiter.acquire(tenantId, 100, 'live');
    await limiter.observe(tenantId, cost(100, 10, 19_990, [20_000, 1000]), 100, false);
    expect(await limiter.status(tenantId)).toMatchObject({
      maximumAvailable: 20_000,
      restoreRate: 1000,
      currentlyAvailable: 19_990,
    });
    clock.advance(1000);
    expect(await available(limiter, tenantId)).toBe(20_000);
  });

  it('on THROTTLED waits the time Shopify implies, retries, and succeeds', async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, sleeps } = harness();
    const shopify = fakeShopify([throttledBody(cost(752, null, 700)), ok(cost(752, 10, 1990))]);
    const result = await limitedCall(limiter, tenantId, 752, 'live', shopify.call);
    expect(result.data).toEqual({ shop: { name: 'Shop' } });
    expect(shopify.calls()).toBe(2);
    expect(sleeps).toEqual([520]); // (752 − 700) / 100 s
    expect(await limiter.status(tenantId)).toMatchObject({ calls: 2, throttled: 1, pointsSpent: 10 });
  });

  it('honours a 429 Retry-After given in seconds', async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, sleeps } = harness();
    const shopify = fakeShopify([
      json({ errors: 'Exceeded' }, 429, { 'retry-after': '2' }),
      json({ errors: 'Exceeded' }, 429, { 'retry-after': '1.5' }),
      ok(cost(50, 12, 1988)),
    ]);
    await limitedCall(limiter, tenantId, 50, 'background', shopify.call);
    expect(sleeps).toEqual([2000, 1500]);
    expect(await limiter.status(tenantId)).toMatchObject({ calls: 3, throttled: 2, pointsSpent: 12 });
  });

  it('gives up after maxThrottleRetries and rethrows the throttle', async () => {
    const tenantId = await insertTenant(t.db);
    const { limiter, sleeps } = harness();
    const shopify = fakeShopify(Array.from({ length: 3 }, () => throttledBody(cost(100, null, 0))));
    await expect(
      limitedCall(limiter, tenantId, 100, 'live', shopify.call, { maxThrottleRetries: 2 }),
    ).rejects.toBeInstanceOf(ThrottledError);
    expect(shopify.calls()).toBe(3);
    expect(sleeps.filter((ms) => ms === 1000)).toHaveLength(2);
    expect(await limiter.status(tenantId)).toMatchObject({ calls: 3, throttled: 3, pointsSpent: 0 });
  });

  it('adds up the counters across processes', async () => {
    const tenantId = await insertTenant(t.db);
    const clock = new ManualClock();
    const a = harness(t.db, clock);
    const b = harness(otherProcessDb, clock);
    const since = clock.now();
    const actuals = [12, 40, 7, 101];
    for (const [i, actual] of actuals.entries()) {
      if (i > 0) clock.advance(5000);
      const shopify = fakeShopify([ok(cost(150, actual, 2000 - actual))]);
      await limitedCall((i % 2 === 0 ? a : b).limiter, tenantId, 150, 'background', shopify.call);
    }
    const shopify = fakeShopify([throttledBody(cost(150, null, 100)), ok(cost(150, 30, 1970))]);
    await limitedCall(a.limiter, tenantId, 150, 'live', shopify.call);
    expect(await b.limiter.status(tenantId)).toMatchObject({
      calls: 6,
      throttled: 1,
      pointsSpent: 12 + 40 + 7 + 101 + 30,
      since,
    });
  });
});
