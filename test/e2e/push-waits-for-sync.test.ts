// A push that cannot run now is never completed with nothing pushed and nothing pending: it hands the
// record's change back to the outbox, and the relay queues it again once the store syncs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyOutboxJob } from '../../src/jobs/shopify-sync.ts';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'push-waits.myshopify.com';

interface ApiProduct {
  id: string;
  title: string;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '52', '--products', '2', '--customers', '0', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function product(i: number): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', '/api/products?limit=100');
  expectOk(res);
  const p = [...res.body.items].sort((a, b) => a.id.localeCompare(b.id))[i];
  if (!p) throw new Error(`no product ${i}`);
  return p;
}

async function titlesOnShopify(): Promise<string[]> {
  const { products } = await h.emu.control<{ products: { title: string }[] }>(
    'GET',
    `/shops/${SHOP}/products?limit=250`,
  );
  return products.map((p) => p.title);
}

async function outboxWaiting(): Promise<number> {
  const res = await h.api<{ outbox: { waiting: number } }>('GET', '/api/shopify/health');
  expectOk(res);
  return res.body.outbox.waiting;
}

describe('a push that finds nothing to push with', () => {
  it('run by a worker before the Shopify wiring exists (start-up), waits in the outbox and is pushed once it does', async () => {
    const p = await product(0);
    const wiring = h.t.deps.shopify.get();
    const since = await h.lastCall();
    h.t.deps.shopify.set(undefined); // what a worker saw when it took a job before start-up wired Shopify
    try {
      expectOk(await h.api('PATCH', `/api/products/${p.id}`, { title: 'Pushed once wired' }));
      await h.settle();
      expect(await titlesOnShopify()).not.toContain('Pushed once wired');
      expect(await outboxWaiting()).toBe(1); // pending, and visibly so
    } finally {
      h.t.deps.shopify.set(wiring);
    }
    await h.t.deps.enqueue('shopify.outbox-relay', {}); // the minute sweep
    await h.settle();
    expect(await titlesOnShopify()).toContain('Pushed once wired');
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
    expect(await outboxWaiting()).toBe(0);
  });

  it("queued while syncing, run while the store imports again: waits in the outbox, and the import's end carries it", async () => {
    const p = await product(1);
    const since = await h.lastCall();
    expectOk(await h.api('PATCH', `/api/products/${p.id}`, { title: 'Waited for the import' }));
    await drainQueue(h.boss, shopifyOutboxJob as never, h.t.deps as never); // handed: one push queued
    expect(await outboxWaiting()).toBe(0);
    // Before the push runs, the store stops syncing (a new import after a reconnect, say).
    await h.t.db.query(`update shopify_connections set state = 'importing' where tenant_id = $1`, [
      h.t.a.tenantId,
    ]);
    await h.settle();
    expect(await titlesOnShopify()).not.toContain('Waited for the import');
    expect(await outboxWaiting()).toBe(1);
    await h.t.db.query(`update shopify_connections set state = 'syncing' where tenant_id = $1`, [
      h.t.a.tenantId,
    ]);
    await h.t.deps.enqueue(
      'shopify.outbox-relay',
      { tenantId: h.t.a.tenantId },
      { singletonKey: h.t.a.tenantId },
    ); // as the import's end does
    await h.settle();
    expect(await titlesOnShopify()).toContain('Waited for the import');
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
    expect(await outboxWaiting()).toBe(0);
  });
});
