import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'bad-payloads.myshopify.com';
const SECRET = 'shpss_sync_secret';

interface Letter {
  id: number;
  direction: string;
  entity: string;
  error_class: string;
  last_error: string;
  state: string;
  attempts: number;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '55', '--products', '2', '--customers', '1', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function deliver(topic: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await h.t.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
    },
    payload: body,
  });
  return res.statusCode;
}

describe('webhook payloads that cannot be applied', () => {
  it('a payload that fails mapping is dead-lettered with its reason, and the deliveries after it still apply', async () => {
    expect(await deliver('products/update', { id: 'not-a-number', title: 'Broken' })).toBe(200);
    const [p] = (await h.emu.control<{ products: { id: number }[] }>('GET', `/shops/${SHOP}/products`))
      .products;
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p?.id}`, {
      title: 'Applied after the broken one',
    });
    await h.settle();

    const letters = await h.api<{ items: Letter[] }>('GET', '/api/shopify/dead-letters?direction=inbound');
    expectOk(letters);
    expect(letters.body.items).toHaveLength(1);
    expect(letters.body.items[0]).toMatchObject({
      direction: 'inbound',
      entity: 'product',
      state: 'open',
      error_class: 'mapping',
    });
    expect(letters.body.items[0]?.last_error).toMatch(/not an id|not-a-number/);
    const { rows } = await h.t.db.query<{ state: string; last_error: string | null }>(
      `select state, last_error from shopify_webhook_inbox where tenant_id = $1 and body->>'title' = 'Broken'`,
      [h.t.a.tenantId],
    );
    expect(rows).toEqual([{ state: 'failed', last_error: expect.stringMatching(/not an id|not-a-number/) }]);
    const list = await h.api<{ items: { title: string }[] }>('GET', '/api/products?q=Applied%20after');
    expect(list.body.items.map((x) => x.title)).toEqual(['Applied after the broken one']);
  });

  it('replaying it runs the same payload again: still refused, so the same letter opens again with the attempt counted (no crash loop)', async () => {
    const [letter] = (await h.api<{ items: Letter[] }>('GET', '/api/shopify/dead-letters?state=open')).body
      .items;
    expectOk(await h.api('POST', `/api/shopify/dead-letters/${letter?.id}/replay`, {}));
    await h.settle();
    const open = (await h.api<{ items: Letter[] }>('GET', '/api/shopify/dead-letters?state=open')).body.items;
    expect(open).toHaveLength(1);
    expect(open[0]?.id).toBe(letter?.id);
    expect(open[0]?.attempts).toBeGreaterThan(letter?.attempts ?? Infinity);
    expect(open[0]?.last_error).toBe(letter?.last_error);
    const discarded = await h.api<{ settled: Letter[] }>(
      'POST',
      `/api/shopify/dead-letters/${open[0]?.id}/discard`,
      {},
    );
    expectOk(discarded);
    expect(discarded.body.settled[0]?.state).toBe('discarded');
    expect(
      (await h.api<{ items: Letter[] }>('GET', '/api/shopify/dead-letters?state=open')).body.items,
    ).toEqual([]);
  });

  it('an unknown topic is acknowledged and ignored; a deletion of something we never had changes nothing', async () => {
    expect(await deliver('carts/update', { id: 1 })).toBe(200);
    expect(await deliver('products/delete', { id: 999999999 })).toBe(200);
    const before = (await h.api<{ items: unknown[] }>('GET', '/api/products?limit=100')).body.items.length;
    await h.settle();
    expect((await h.api<{ items: unknown[] }>('GET', '/api/products?limit=100')).body.items.length).toBe(
      before,
    );
    const { rows } = await h.t.db.query<{ topic: string; state: string }>(
      `select topic, state from shopify_webhook_inbox where tenant_id = $1 and topic in ('carts/update', 'products/delete')`,
      [h.t.a.tenantId],
    );
    expect(rows.sort((a, b) => a.topic.localeCompare(b.topic))).toEqual([
      { topic: 'carts/update', state: 'ignored' },
      { topic: 'products/delete', state: 'applied' },
    ]);
  });
});
