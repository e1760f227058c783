import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { productAdapter } from '../../src/sync/entities/product.ts';
import { syncEntity } from '../../src/sync/continuous/sync-entity.ts';
import { shopSessionFor } from '../../src/sync/shop-session.ts';
import { applyInbox } from '../../src/sync/continuous/apply-inbox.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type ApiVariant,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'product-sync.myshopify.com';

interface EmuProduct {
  id: number;
  gid: string;
  title: string;
  handle: string;
  vendor: string;
  tags: string[];
  variants: { id: number; sku: string | null; price: string }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '21', '--products', '6', '--customers', '2', '--orders', '2', '--locations', '2'],
  ]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function localBySku(sku: string): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  const p = res.body.items[0];
  if (!p) throw new Error(`no local product with SKU ${sku}`);
  return p;
}

async function remoteProducts(): Promise<EmuProduct[]> {
  return (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`))
    .products;
}

async function remoteBySku(sku: string): Promise<EmuProduct> {
  const p = (await remoteProducts()).find((x) => x.variants.some((v) => v.sku === sku));
  if (!p) throw new Error(`no Shopify product with SKU ${sku}`);
  return p;
}

async function pick(n: number): Promise<EmuProduct> {
  const p = (await remoteProducts())[n];
  if (!p) throw new Error(`no product #${n}`);
  return p;
}

const firstSku = (p: EmuProduct): string => p.variants[0]?.sku as string;

function editLocal(p: ApiProduct, patch: Record<string, unknown>) {
  return h.api<ApiProduct>('PATCH', `/api/products/${p.id}`, patch);
}

describe('product sync', () => {
  it('a title edited in Shopify shows up in Retailos, with one history entry and no call back to Shopify', async () => {
    const remote = await pick(0);
    const since = await h.lastCall();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Edited in Shopify' });
    await h.settle();
    const local = await localBySku(firstSku(remote));
    expect(local.title).toBe('Edited in Shopify');
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 10);
    expect(history.map((e) => [e.direction, e.origin, e.action])).toEqual([['inbound', 'webhook', 'update']]);
    expect(history[0]?.diff).toEqual([{ path: 'title', before: remote.title, after: 'Edited in Shopify' }]);
  });

  it('a price edited in Retailos reaches Shopify with exactly one mutation, and its echo changes nothing', async () => {
    const remote = await pick(1);
    const local = await localBySku(firstSku(remote));
    const since = await h.lastCall();
    expectOk(
      await editLocal(local, {
        variants: variantsBody(local, (_v, i) => (i === 0 ? { price: '77.70' } : {})),
      }),
    );
    await h.settle();
    const after = await remoteBySku(firstSku(remote));
    expect(after.variants[0]?.price).toBe('77.70');
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 10);
    // One outbound entry; the echo webhook (same hash as the base) wrote none.
    expect(history.map((e) => [e.direction, e.origin])).toEqual([['outbound', 'push']]);
    const again = await localBySku(firstSku(remote));
    expect(again.variants[0]?.price).toBe('77.70');
  });

  it('a title edited in Shopify and a price edited in Retailos both survive', async () => {
    const remote = await pick(2);
    const local = await localBySku(firstSku(remote));
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Shopify title' });
    expectOk(
      await editLocal(local, {
        variants: variantsBody(local, (_v, i) => (i === 0 ? { price: '12.34' } : {})),
      }),
    );
    await h.settle();
    const r = await remoteBySku(firstSku(remote));
    const l = await localBySku(firstSku(remote));
    expect([r.title, r.variants[0]?.price]).toEqual(['Shopify title', '12.34']);
    expect([l.title, l.variants[0]?.price]).toEqual(['Shopify title', '12.34']);
  });

  it('the same field edited on both sides: the later edit wins and the losing value is kept in history', async () => {
    const remote = await pick(3);
    const local = await localBySku(firstSku(remote));
    // Shopify's edit first, ours a minute later (both clocks moved on purpose).
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { vendor: 'Shopify Vendor' });
    h.t.clock.set(new Date(Date.now() + 60_000));
    expectOk(await editLocal(local, { vendor: 'Retailos Vendor' }));
    await h.settle();
    expect((await remoteBySku(firstSku(remote))).vendor).toBe('Retailos Vendor');
    expect((await localBySku(firstSku(remote))).vendor).toBe('Retailos Vendor');
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 10);
    const conflicts = history.flatMap(
      (e) => e.conflicts as { path: string; lost: unknown; winner: string }[],
    );
    expect(conflicts).toContainEqual(
      expect.objectContaining({ path: 'vendor', lost: 'Shopify Vendor', winner: 'local' }),
    );
    h.t.clock.set(new Date());
  });

  it('a product created in Retailos is created once in Shopify and linked, and a product deleted in Shopify goes', async () => {
    const since = await h.lastCall();
    const created = await h.api<ApiProduct>('POST', '/api/products', {
      title: 'Made in Retailos',
      variants: [{ sku: 'RTL-NEW-1', price: '5.00' }],
    });
    expectOk(created, 201);
    await h.settle();
    const remote = await remoteBySku('RTL-NEW-1');
    expect(remote.title).toBe('Made in Retailos');
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
    await h.emu.control('DELETE', `/shops/${SHOP}/products/${remote.id}`);
    await h.settle();
    const res = await h.api<{ items: ApiProduct[] }>('GET', '/api/products?sku=RTL-NEW-1');
    expect(res.body.items).toEqual([]);
  });

  it('stock of a product created in Retailos is stocked on Shopify at the same location once the product exists there', async () => {
    const created = await h.api<ApiProduct>('POST', '/api/products', {
      title: 'Stocked in Retailos',
      variants: [{ sku: 'RTL-STOCK-1', price: '9.00' }],
    });
    expectOk(created, 201);
    const locations = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
    expect(locations.body.items).toHaveLength(2);
    for (const [i, location] of locations.body.items.entries()) {
      expectOk(
        await h.api('POST', '/api/inventory/set', {
          variant_id: created.body.variants[0]?.id,
          location_id: location.id,
          available: 7 + i,
          reason: 'first delivery',
        }),
      );
    }
    const since = await h.lastCall();
    await h.settle();
    const remote = await h.emu.control<{
      products: { variants: { sku: string; inventory: { available: number }[] }[] }[];
    }>('GET', `/shops/${SHOP}/products?limit=250`);
    const variant = remote.products.flatMap((p) => p.variants).find((v) => v.sku === 'RTL-STOCK-1');
    expect(variant?.inventory.map((l) => l.available).sort()).toEqual([7, 8]);
    // Shopify stocks a new variant at one location itself (adjusted from 0); the other is activated.
    expect(mutationsOf(await h.calls(since)).sort()).toEqual([
      'inventoryActivate',
      'inventoryAdjustQuantities',
      'productSet',
    ]);
  });

  it('an edit made in Retailos while the previous push is on its way is pushed next, never overwritten by our own push', async () => {
    const remote = await pick(5);
    const local = await localBySku(firstSku(remote));
    const price = (p: string) => (_v: ApiVariant, i: number) => (i === 0 ? { price: p } : {});
    expectOk(await editLocal(local, { variants: variantsBody(local, price('31.00')) }));
    const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
    if (!session) throw new Error('no session');
    const real = productAdapter(() => randomUUID());
    let raced = false;
    const racing: typeof real = {
      ...real,
      async pushRemote(s, merged, at) {
        const pushed = await real.pushRemote(s, merged, at);
        if (!raced) {
          raced = true; // the merchant saves again while Shopify is answering our push
          const now = await localBySku(firstSku(remote));
          expectOk(await editLocal(now, { variants: variantsBody(now, price('32.00')) }));
        }
        return pushed;
      },
    };
    await syncEntity(h.t.deps, session, racing, h.t.a.tenantId, { localId: local.id }, { origin: 'push' });
    await h.settle();
    expect((await remoteBySku(firstSku(remote))).variants[0]?.price).toBe('32.00');
    expect((await localBySku(firstSku(remote))).variants[0]?.price).toBe('32.00');
  });

  it('a product deleted in Retailos is deleted in Shopify', async () => {
    const remote = await pick(4);
    const local = await localBySku(firstSku(remote));
    const since = await h.lastCall();
    expect((await h.api('DELETE', `/api/products/${local.id}`)).status).toBe(204);
    await h.settle();
    expect((await remoteProducts()).some((p) => p.id === remote.id)).toBe(false);
    expect(mutationsOf(await h.calls(since))).toEqual(['productDelete']);
  });

  it('a products/update older than our deletion of the product does not bring it back (chaos seed 1, op 94)', async () => {
    await h.emu.control('POST', `/shops/${SHOP}/products`, {
      title: 'Soon gone',
      variants: [{ sku: 'SOON-GONE', price: '5.00' }],
    });
    await h.settle();
    const local = await localBySku('SOON-GONE');
    const remote = (await remoteProducts()).find((p) => firstSku(p) === 'SOON-GONE');
    if (!remote) throw new Error('no Shopify product');
    // A title edited in Shopify's admin: its products/update reaches Retailos and waits in the inbox.
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Soon gone, renamed' });
    await h.emu.control('POST', '/webhooks/drain');
    // The merchant deletes the product in Retailos; the push deletes it on Shopify before the delivery
    // is applied.
    // Its products/delete is held back (the emulator drops it, as a delayed or lost delivery would).
    expect((await h.api('DELETE', `/api/products/${local.id}`)).status).toBe(204);
    const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
    if (!session) throw new Error('no session');
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    try {
      const adapter = productAdapter(() => randomUUID());
      const pushed = { localId: local.id };
      await syncEntity(h.t.deps, session, adapter, h.t.a.tenantId, pushed, { origin: 'push' });
    } finally {
      await h.emu.control('DELETE', '/faults');
    }
    expect((await remoteProducts()).some((p) => p.id === remote.id)).toBe(false);
    // The older delivery is applied now: Shopify no longer has the product, so it stays gone.
    await applyInbox(h.t.deps, h.t.a.tenantId);
    expect((await h.api<{ items: ApiProduct[] }>('GET', '/api/products?sku=SOON-GONE')).body.items).toEqual(
      [],
    );
    await h.settle();
    const found = await h.api<{ items: ApiProduct[] }>('GET', '/api/products?sku=SOON-GONE');
    expect(found.body.items).toEqual([]);
    const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 10);
    expect(entries.map((e) => [e.direction, e.action])).toEqual([
      ['outbound', 'delete'],
      ['inbound', 'create'],
    ]);
  });
});
