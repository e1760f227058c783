import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';
import { at, graphql, json, post } from './support/http.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;
let base: string;

beforeAll(async () => {
  w = await emulatorWorld('control-shop', { products: 3, customers: 2, orders: 0, seed: 42 });
  base = `${w.running.url}/_emulator/shops/${w.domain}`;
});
afterAll(() => w.running.close());

const patch = (url: string, body: unknown) => json(url, { method: 'PATCH', body: JSON.stringify(body) });
const firstVariant = () => [...w.shop.variants.values()][0]!;

describe('control API: acting as the merchant', () => {
  it('edits a product title and a variant price', async () => {
    const product = [...w.shop.products.values()][0]!;
    expect((await patch(`${base}/products/${product.id}`, { title: 'Merchant title' })).status).toBe(200);
    expect((await patch(`${base}/variants/${firstVariant().id}`, { price: '12.34' })).status).toBe(200);
    const read = await json(`${base}/products/${product.id}`);
    expect(at(read.body, 'title')).toBe('Merchant title');
    expect(
      (at(read.body, 'variants') as { id: number; price: string }[]).find((v) => v.id === firstVariant().id)
        ?.price,
    ).toBe('12.34');
  });

  it("deletes a product's variant but never its last one, as Shopify", async () => {
    const created = await post(`${base}/products`, {
      title: 'Two sizes',
      variants: [
        { price: '5.00', sku: 'TWO-S' },
        { price: '6.00', sku: 'TWO-M' },
      ],
    });
    const id = at(created.body, 'id') as number;
    const [first, last] = w.shop.products.get(id)?.variantIds ?? [];
    expect((await json(`${base}/variants/${first}`, { method: 'DELETE' })).status).toBe(200);
    const refused = await json(`${base}/variants/${last}`, { method: 'DELETE' });
    expect(refused.status).toBe(422);
    expect(at(refused.body, 'message')).toBe('Cannot delete the last variant of a product');
    expect(w.shop.products.get(id)?.variantIds).toEqual([last]);
  });

  it('creates and deletes a product', async () => {
    const created = await post(`${base}/products`, {
      title: 'Brand new',
      variants: [{ price: '5.00', sku: 'NEW-1' }],
    });
    expect(created.status).toBe(201);
    const id = at(created.body, 'id') as number;
    expect(w.shop.products.get(id)?.title).toBe('Brand new');
    expect((await json(`${base}/products/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(w.shop.products.has(id)).toBe(false);
  });

  it('adjusts and sets stock by SKU', async () => {
    const v = firstVariant();
    const adjusted = await post(`${base}/inventory/set`, { sku: v.sku, quantity: 10 });
    expect(at(adjusted.body, 'inventory', 0, 'available')).toBe(10);
    const after = await post(`${base}/inventory/adjust`, { variantId: v.id, delta: -3 });
    expect(at(after.body, 'inventory', 0, 'available')).toBe(7);
  });

  it('places, refunds and cancels an order; stock follows', async () => {
    const v = firstVariant();
    await post(`${base}/inventory/set`, { variantId: v.id, quantity: 5 });
    const placed = await post(`${base}/orders`, { lines: [{ variantId: v.id, quantity: 2 }] });
    expect(placed.status).toBe(201);
    const orderId = at(placed.body, 'id') as number;
    expect(at(placed.body, 'name')).toMatch(/^#\d+$/);
    expect(at((await json(`${base}/variants/${v.id}`)).body, 'inventory', 0, 'available')).toBe(3);
    const lineItemId = at(placed.body, 'lineItems', 0, 'id') as number;
    const refunded = await post(`${base}/orders/${orderId}/refund`, {
      lines: [{ lineItemId, quantity: 1, restock: true }],
    });
    expect(at(refunded.body, 'financialStatus')).toBe('PARTIALLY_REFUNDED');
    const cancelled = await post(`${base}/orders/${orderId}/cancel`, { reason: 'customer' });
    expect(at(cancelled.body, 'cancelReason')).toBe('CUSTOMER');
    expect(at((await json(`${base}/variants/${v.id}`)).body, 'inventory', 0, 'available')).toBe(5);
  });

  it('creates, edits and deletes a customer', async () => {
    const created = await post(`${base}/customers`, { email: 'new@example.com', firstName: 'New' });
    const id = at(created.body, 'id') as number;
    expect((await patch(`${base}/customers/${id}`, { lastName: 'Person' })).status).toBe(200);
    expect(w.shop.customers.get(id)?.lastName).toBe('Person');
    expect((await json(`${base}/customers/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(w.shop.customers.has(id)).toBe(false);
  });

  it("adds tags to the ones a customer or an order has when the edit is made (the admin's Add tags)", async () => {
    const created = await post(`${base}/customers`, { email: 'tags@example.com', tags: ['vip'] });
    const id = at(created.body, 'id') as number;
    // Another app's tag, added after the merchant's screen was read: Add tags keeps it.
    w.shop.customers.get(id)!.tags = ['vip', 'from-app'];
    const added = await patch(`${base}/customers/${id}`, { addTags: ['merchant'] });
    expect(added.status).toBe(200);
    expect(at(added.body, 'tags')).toEqual(['from-app', 'merchant', 'vip']);
    const v = firstVariant();
    const placed = await post(`${base}/orders`, { lines: [{ variantId: v.id, quantity: 1 }] });
    const orderId = at(placed.body, 'id') as number;
    expect(at((await patch(`${base}/orders/${orderId}`, { addTags: ['gift'] })).body, 'tags')).toEqual([
      'gift',
    ]);
    // A whole list replaces: the form's save, as before.
    expect(at((await patch(`${base}/customers/${id}`, { tags: ['only'] })).body, 'tags')).toEqual(['only']);
  });

  it('refuses addTags that is not a list of strings, or given with tags, and changes nothing', async () => {
    const created = await post(`${base}/customers`, { email: 'bad-tags@example.com', tags: ['keep'] });
    const id = at(created.body, 'id') as number;
    for (const body of [{ addTags: 'x' }, { addTags: [1] }, { addTags: ['x'], tags: ['y'] }]) {
      expect((await patch(`${base}/customers/${id}`, body)).status).toBe(422);
    }
    expect(w.shop.customers.get(id)?.tags).toEqual(['keep']);
  });

  it('serves the admin page', async () => {
    const res = await fetch(`${w.running.url}/_emulator/admin`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Merchant admin');
  });
});

describe('control API: call log, faults, clock, reset', () => {
  it('logs API calls, filters by shop and operation, and clears', async () => {
    await json(`${w.running.url}/_emulator/calls`, { method: 'DELETE' });
    await graphql(w.origin, TOKEN, 'query Named { shop { name } }');
    await graphql(w.origin, TOKEN, '{ products(first: 1) { nodes { id } } }');
    const all = at((await json(`${w.running.url}/_emulator/calls?shop=${w.domain}`)).body, 'calls') as {
      rootFields: string[];
    }[];
    expect(all.map((c) => c.rootFields)).toEqual([['shop'], ['products']]);
    const named = at(
      (await json(`${w.running.url}/_emulator/calls?operation=Named`)).body,
      'calls',
    ) as unknown[];
    expect(named).toHaveLength(1);
    expect(at(named, 0)).toMatchObject({
      operationType: 'query',
      status: 200,
      requestedCost: 1,
      appKey: w.running.emulator.options.apiKey,
    });
    await json(`${w.running.url}/_emulator/calls`, { method: 'DELETE' });
    expect(at((await json(`${w.running.url}/_emulator/calls`)).body, 'calls')).toEqual([]);
  });

  it('outage answers 503 for the Admin API only', async () => {
    await post(`${w.running.url}/_emulator/faults`, { profile: 'outage' });
    expect((await graphql(w.origin, TOKEN, '{ shop { name } }')).status).toBe(503);
    expect((await json(`${base}/products`)).status).toBe(200);
    await json(`${w.running.url}/_emulator/faults`, { method: 'DELETE' });
    expect((await graphql(w.origin, TOKEN, '{ shop { name } }')).status).toBe(200);
  });

  it('a 5xx rate is reproducible from the fault seed', async () => {
    const run = async (): Promise<number[]> => {
      await post(`${w.running.url}/_emulator/faults`, { seed: 9, errorRate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await graphql(w.origin, TOKEN, '{ shop { name } }')).status);
      return statuses;
    };
    const first = await run();
    const second = await run();
    await json(`${w.running.url}/_emulator/faults`, { method: 'DELETE' });
    expect(first).toEqual(second);
    expect(first.some((s) => s >= 500)).toBe(true);
    expect(first.some((s) => s === 200)).toBe(true);
  });

  it('a throttle storm answers THROTTLED with HTTP 200, or 429 + Retry-After in 429 mode', async () => {
    await post(`${w.running.url}/_emulator/faults`, { throttleRate: 1 });
    const ok200 = await graphql(w.origin, TOKEN, '{ shop { name } }');
    expect(ok200.status).toBe(200);
    expect(at(ok200.body, 'errors', 0, 'extensions', 'code')).toBe('THROTTLED');
    expect(at(ok200.body, 'extensions', 'cost', 'actualQueryCost')).toBeNull();
    await post(`${w.running.url}/_emulator/faults`, { throttleStatus: 429 });
    const tooMany = await graphql(w.origin, TOKEN, '{ shop { name } }');
    expect(tooMany.status).toBe(429);
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const calls = at((await json(`${w.running.url}/_emulator/calls`)).body, 'calls') as {
      throttled: boolean;
    }[];
    expect(calls.at(-1)?.throttled).toBe(true);
    await json(`${w.running.url}/_emulator/faults`, { method: 'DELETE' });
  });

  it('an unknown fault profile is refused', async () => {
    const res = await post(`${w.running.url}/_emulator/faults`, { profile: 'nope' });
    expect(res.status).toBe(422);
  });

  it('advances the clock', async () => {
    const before = Date.parse(at((await json(`${w.running.url}/_emulator/clock`)).body, 'now') as string);
    const after = await post(`${w.running.url}/_emulator/clock/advance`, { seconds: 3600 });
    expect(Date.parse(at(after.body, 'now') as string) - before).toBe(3600 * 1000);
    expect((await post(`${w.running.url}/_emulator/clock/advance`, { ms: -1 })).status).toBe(422);
  });

  it('silently removes a subscription (fault) and reset rebuilds the same seeded store', async () => {
    const sub = w.subscribe('products/update', 'http://127.0.0.1:9/hooks');
    expect((await json(`${base}/webhook-subscriptions/${sub.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(w.shop.webhookSubscriptions.has(sub.id)).toBe(false);
    const titles = async () =>
      (at((await json(`${base}/products`)).body, 'products') as { title: string }[]).map((p) => p.title);
    await post(`${w.running.url}/_emulator/reset`, {});
    const once = await titles();
    await post(`${base}/products`, { title: 'Extra' });
    await post(`${w.running.url}/_emulator/reset`, {});
    expect(await titles()).toEqual(once);
    expect((await graphql(w.origin, TOKEN, '{ shop { name } }')).status).toBe(200);
  });
});
