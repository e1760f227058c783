import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';
import { at, graphql, json } from './support/http.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;
const QUERY = '{ products(first: 240) { nodes { id variants(first: 1) { nodes { id } } } } }';

beforeAll(async () => {
  w = await emulatorWorld('throttle-shop', { products: 300, variantsPerProduct: 1, customers: 0, orders: 0 });
});
afterAll(() => w.running.close());

describe('leaky bucket over HTTP', () => {
  it('drains with expensive queries, answers THROTTLED (HTTP 200) and refills as the clock moves', async () => {
    const first = await graphql(w.origin, TOKEN, QUERY);
    const requested = at(first.body, 'extensions', 'cost', 'requestedQueryCost') as number;
    expect(requested).toBeGreaterThan(900);
    expect(requested).toBeLessThanOrEqual(1000);
    expect(at(first.body, 'extensions', 'cost', 'actualQueryCost')).toBe(requested);
    await graphql(w.origin, TOKEN, QUERY);
    const throttled = await graphql(w.origin, TOKEN, QUERY);
    expect(throttled.status).toBe(200);
    expect(at(throttled.body, 'errors', 0, 'extensions', 'code')).toBe('THROTTLED');
    expect(at(throttled.body, 'data')).toBeUndefined();
    const available = at(
      throttled.body,
      'extensions',
      'cost',
      'throttleStatus',
      'currentlyAvailable',
    ) as number;
    expect(available).toBeLessThan(requested);
    w.clock.advance(Math.ceil(((requested - available) / 100) * 1000));
    const again = await graphql(w.origin, TOKEN, QUERY);
    expect(at(again.body, 'errors')).toBeUndefined();
    const calls = at((await json(`${w.running.url}/_emulator/calls?shop=${w.domain}`)).body, 'calls') as {
      throttled: boolean;
    }[];
    expect(calls.map((c) => c.throttled)).toEqual([false, false, true, false]);
  });

  it('refuses a query over the single-query cap with MAX_COST_EXCEEDED and charges nothing', async () => {
    const res = await graphql(
      w.origin,
      TOKEN,
      '{ products(first: 250) { nodes { id variants(first: 5) { nodes { id } } } } }',
    );
    expect(res.status).toBe(200);
    expect(at(res.body, 'errors', 0, 'extensions', 'code')).toBe('MAX_COST_EXCEEDED');
  });
});
