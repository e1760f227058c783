import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_CONCURRENCY, RETRY_DELAYS_MS } from '../src/index.ts';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';
import { at, graphql, json } from './support/http.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';
import { shopifyLib } from './support/shopify-lib.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;
let receiver: Receiver;

beforeAll(async () => {
  w = await emulatorWorld('hooks-http');
  const { apiKey, apiSecret } = w.running.emulator.app();
  const shopify = shopifyLib(apiKey, apiSecret);
  receiver = await startReceiver((rawRequest, rawResponse, rawBody) =>
    shopify.webhooks.validate({ rawBody, rawRequest, rawResponse }),
  );
});
afterAll(async () => {
  await w.running.close();
  await receiver.close();
});
afterEach(() => {
  receiver.received.length = 0;
  receiver.status = 200;
  w.running.emulator.faults.reset();
  w.running.emulator.settings.timeScale = 1;
  w.running.emulator.settings.webhookConcurrency = DEFAULT_WEBHOOK_CONCURRENCY;
  w.running.emulator.webhooks.clear();
  for (const id of [...w.shop.webhookSubscriptions.keys()]) w.shop.webhookSubscriptions.delete(id);
});

const firstProduct = () => [...w.shop.products.values()][0]!;
const renameFirstProduct = (title: string) =>
  json(`${w.running.url}/_emulator/shops/${w.domain}/products/${firstProduct().id}`, {
    method: 'PATCH',
    body: JSON.stringify({ title }),
  });

describe('webhook delivery over HTTP', () => {
  it('a subscription created with webhookSubscriptionCreate receives the payload for its API version', async () => {
    const created = await graphql(
      w.origin,
      TOKEN,
      `
        mutation Sub($uri: String!) {
          webhookSubscriptionCreate(
            topic: PRODUCTS_UPDATE
            webhookSubscription: { uri: $uri, format: JSON, includeFields: ["id", "title", "updated_at"] }
          ) {
            webhookSubscription {
              id
            }
            userErrors {
              field
              message
            }
          }
        }
      `,
      { uri: `${receiver.url}/gql` },
      '2026-07',
    );
    expect(at(created.body, 'data', 'webhookSubscriptionCreate', 'userErrors')).toEqual([]);
    await renameFirstProduct('Via GraphQL subscription');
    await w.drain();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.verdict).toMatchObject({ valid: true, apiVersion: '2026-07' });
    expect(Object.keys(JSON.parse(receiver.received[0]!.rawBody) as object).sort()).toEqual([
      'id',
      'title',
      'updated_at',
    ]);
  });

  it('a merchant edit is delivered with Shopify’s headers and an HMAC that Shopify’s library accepts', async () => {
    w.subscribe('products/update', `${receiver.url}/webhooks`);
    expect((await renameFirstProduct('Renamed by merchant')).status).toBe(200);
    await w.drain();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.verdict).toMatchObject({
      valid: true,
      topic: 'PRODUCTS_UPDATE',
      domain: w.domain,
      apiVersion: '2026-04',
    });
    expect(got.headers['x-shopify-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.headers['x-shopify-event-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.headers['x-shopify-triggered-at']).toBe(w.clock.now().toISOString());
    expect(JSON.parse(got.rawBody)).toMatchObject({ id: firstProduct().id, title: 'Renamed by merchant' });
  });

  it('a failing endpoint gets 8 retries at the backoff times, same id and body, then the subscription is removed', async () => {
    const sub = w.subscribe('products/update', `${receiver.url}/failing`);
    receiver.status = 500;
    await renameFirstProduct('Will fail');
    await w.drain();
    expect(receiver.received).toHaveLength(1);
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      w.clock.advance(delay - 1);
      await w.drain();
      expect(receiver.received).toHaveLength(i + 1);
      w.clock.advance(1);
      await w.drain();
      expect(receiver.received).toHaveLength(i + 2);
    }
    expect(RETRY_DELAYS_MS).toHaveLength(8);
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBe(4 * 3600 * 1000);
    const ids = new Set(receiver.received.map((r) => r.headers['x-shopify-webhook-id']));
    const bodies = new Set(receiver.received.map((r) => r.rawBody));
    const triggered = new Set(receiver.received.map((r) => r.headers['x-shopify-triggered-at']));
    expect([ids.size, bodies.size, triggered.size]).toEqual([1, 1, 1]);
    expect(w.shop.webhookSubscriptions.has(sub.id)).toBe(false);
    const deliveries = await json(
      `${w.running.url}/_emulator/webhooks/deliveries?topic=products/update&state=failed`,
    );
    const last = (
      at(deliveries.body, 'deliveries') as { attempts: unknown[]; subscriptionRemoved: boolean }[]
    ).at(-1);
    expect(last?.attempts).toHaveLength(9);
    expect(last?.subscriptionRemoved).toBe(true);
    w.clock.advance(24 * 3600 * 1000);
    await w.drain();
    expect(receiver.received).toHaveLength(9);
  });

  it('a recovered endpoint stops the retries and keeps the subscription', async () => {
    const sub = w.subscribe('products/update', `${receiver.url}/flaky`);
    receiver.status = 503;
    await renameFirstProduct('Flaky');
    await w.drain();
    receiver.status = 200;
    w.clock.advance(RETRY_DELAYS_MS[0]!);
    await w.drain();
    w.clock.advance(RETRY_DELAYS_MS[1]!);
    await w.drain();
    expect(receiver.received.map((r) => r.path)).toEqual(['/flaky', '/flaky']);
    expect(w.shop.webhookSubscriptions.has(sub.id)).toBe(true);
  });

  it('the time scale compresses the retry schedule', async () => {
    await w.control('/clock/scale', { timeScale: 60 });
    w.subscribe('products/update', `${receiver.url}/scaled`);
    receiver.status = 500;
    await renameFirstProduct('Scaled');
    await w.drain();
    w.clock.advance(Math.ceil(RETRY_DELAYS_MS[0]! / 60));
    await w.drain();
    expect(receiver.received).toHaveLength(2);
  });

  it('fault: dropped webhooks are recorded but never sent; duplicated ones reuse the webhook id', async () => {
    w.subscribe('products/update', `${receiver.url}/faults`);
    await w.control('/faults', { webhookDropRate: 1 });
    await renameFirstProduct('Dropped');
    await w.drain();
    expect(receiver.received).toHaveLength(0);
    await w.control('/faults', { webhookDropRate: 0, webhookDuplicateRate: 1 });
    await renameFirstProduct('Duplicated');
    await w.drain();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]?.headers['x-shopify-webhook-id']).toBe(
      receiver.received[1]?.headers['x-shopify-webhook-id'],
    );
    const dropped = await json(`${w.running.url}/_emulator/webhooks/deliveries?state=dropped`);
    expect((at(dropped.body, 'deliveries') as unknown[]).length).toBeGreaterThan(0);
  });

  it('fault: reordered webhooks arrive out of order, reproducibly from the seed', async () => {
    // One at a time, so the arrival order is the send order (concurrent requests may overtake each other).
    await w.control('/webhooks/settings', { concurrency: 1 });
    w.subscribe('products/update', `${receiver.url}/reorder`);
    const products = [...w.shop.products.values()].slice(0, 3);
    let round = 0;
    const order = async (): Promise<number[]> => {
      round++;
      receiver.received.length = 0;
      await w.control('/faults', { seed: 5, webhookReorderRate: 1 });
      for (const p of products)
        await json(`${w.running.url}/_emulator/shops/${w.domain}/products/${p.id}`, {
          method: 'PATCH',
          body: JSON.stringify({ title: `Round ${round} ${p.id}` }),
        });
      await w.drain();
      return receiver.received.map((r) => (JSON.parse(r.rawBody) as { id: number }).id);
    };
    const first = await order();
    expect([...first].sort()).toEqual(products.map((p) => p.id).sort());
    expect(first).not.toEqual(products.map((p) => p.id));
    expect(await order()).toEqual(first);
  });

  it('fault: delayed webhooks wait for the clock', async () => {
    w.subscribe('products/update', `${receiver.url}/delayed`);
    await w.control('/faults', { webhookDelayRate: 1, webhookDelayMs: 60_000 });
    await renameFirstProduct('Delayed');
    await w.drain();
    expect(receiver.received).toHaveLength(0);
    await w.control('/clock/advance', { ms: 60_000 });
    await w.drain();
    expect(receiver.received).toHaveLength(1);
  });

  it('uninstall sends app/uninstalled to the app and deletes its subscriptions', async () => {
    w.subscribe('app/uninstalled', `${receiver.url}/uninstalled`);
    w.subscribe('products/update', `${receiver.url}/products`);
    const res = await w.control(`/shops/${w.domain}/uninstall`);
    expect(res.status).toBe(200);
    await w.drain();
    expect(receiver.received.map((r) => r.headers['x-shopify-topic'])).toEqual(['app/uninstalled']);
    expect(receiver.received[0]?.verdict).toMatchObject({ valid: true });
    expect(JSON.parse(receiver.received[0]!.rawBody)).toMatchObject({ myshopify_domain: w.domain });
    expect(w.shop.webhookSubscriptions.size).toBe(0);
    await w.control(`/shops/${w.domain}/install`, { accessToken: 'shpat_test_token' });
  });

  it('shop/redact follows 48 hours after uninstall when the app has a compliance URL', async () => {
    const apiKey = w.running.emulator.options.apiKey;
    await json(`${w.running.url}/_emulator/apps/${apiKey}`, {
      method: 'PATCH',
      body: JSON.stringify({ complianceUrl: `${receiver.url}/compliance` }),
    });
    await w.control(`/shops/${w.domain}/uninstall`);
    await w.drain();
    expect(receiver.received).toHaveLength(0);
    w.clock.advance(48 * 3600 * 1000);
    await w.drain();
    expect(receiver.received.map((r) => [r.path, r.headers['x-shopify-topic']])).toEqual([
      ['/compliance', 'shop/redact'],
    ]);
    expect(receiver.received[0]?.verdict).toMatchObject({ valid: true });
    await json(`${w.running.url}/_emulator/apps/${apiKey}`, {
      method: 'PATCH',
      body: JSON.stringify({ complianceUrl: null }),
    });
    await w.control(`/shops/${w.domain}/install`, { accessToken: TOKEN });
  });

  it('privacy webhooks go to the given compliance URL on demand', async () => {
    const customer = [...w.shop.customers.values()][0]!;
    const res = await w.control(`/shops/${w.domain}/privacy`, {
      topic: 'customers/redact',
      customerId: customer.id,
      url: `${receiver.url}/privacy`,
    });
    expect(res.status).toBe(200);
    await w.drain();
    expect(receiver.received[0]?.verdict).toMatchObject({ valid: true, topic: 'CUSTOMERS_REDACT' });
    expect(JSON.parse(receiver.received[0]!.rawBody)).toMatchObject({
      shop_domain: w.domain,
      customer: { id: customer.id },
    });
  });
});
