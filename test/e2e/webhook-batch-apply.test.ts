import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeadLetters } from '../../src/db/shopify-dead-letters.ts';
import { getSyncBase } from '../../src/db/shopify-sync-base.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { productAdapter } from '../../src/sync/entities/product.ts';
import { applyInboundBatch } from '../../src/sync/continuous/inbound-batch.ts';
import { shopSessionFor } from '../../src/sync/shop-session.ts';
import type { ProductFromShopify } from '../../src/domain/shopify-map/index.ts';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

// Rule: the everyday webhook (Shopify changed a record Retailos did not) is applied for many records
// in one set-based write, and gives exactly what the one-by-one decision gives; everything else is
// left to the one-by-one decision.
const SHOP = 'webhook-batch.myshopify.com';

interface ApiProduct {
  id: string;
  title: string;
  vendor: string;
  version: number;
  variants: { sku: string | null }[];
}
interface EmuProduct {
  id: number;
  gid: string;
  title: string;
  vendor: string;
  variants: { id: number; sku: string | null }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '33', '--products', '17', '--customers', '1', '--orders', '1', '--locations', '1'],
  ]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const remoteProducts = async (): Promise<EmuProduct[]> =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products;

async function local(gid: string): Promise<ApiProduct> {
  const { rows } = await h.t.db.query<{ local_id: string }>(
    `select local_id from shopify_links where tenant_id = $1 and entity = 'product' and gid = $2`,
    [h.t.a.tenantId, gid],
  );
  const id = rows[0]?.local_id;
  if (!id) throw new Error(`no local product for ${gid}`);
  const res = await h.api<ApiProduct>('GET', `/api/products/${id}`);
  expectOk(res);
  return res.body;
}

async function readRemote(gid: string): Promise<ProductFromShopify> {
  const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
  if (!session) throw new Error('no shop session');
  const r = await productAdapter(() => 'unused').readRemote(session, gid);
  if (!r) throw new Error(`Shopify has no ${gid}`);
  return r;
}

const adapter = productAdapter(() => {
  throw new Error('the batch never creates records');
});
const later = (r: ProductFromShopify, ms: number, patch: Partial<ProductFromShopify> = {}) => ({
  ...r,
  ...patch,
  updatedAt: new Date(r.updatedAt.getTime() + ms),
});

describe('batched webhook apply', () => {
  it('writes what only Shopify changed, settles stale and echoed states, and leaves the rest to the one-by-one decision', async () => {
    const [a, b, c, d, e] = (await remoteProducts()).slice(0, 5) as EmuProduct[];
    const [ra, rb, rc, rd, re] = await Promise.all(
      [a, b, c, d, e].map((p) => readRemote((p as EmuProduct).gid)),
    );
    const localD = await local(d!.gid);
    expectOk(await h.api('PATCH', `/api/products/${localD.id}`, { vendor: 'Edited in Retailos' }));
    const before = await Promise.all([a, b, c, e].map((p) => local((p as EmuProduct).gid)));
    const baseB = await getSyncBase(h.t.db, h.t.a.tenantId, 'product', before[1]!.id);

    const result = await applyInboundBatch(h.t.deps, adapter, h.t.a.tenantId, [
      { remote: later(ra!, 5_000, { title: 'Batch A' }), inboxIds: [] }, // written
      { remote: later(rb!, -60_000, { title: 'Older than the base' }), inboxIds: [] }, // stale: settled
      { remote: rc!, inboxIds: [] }, // what we hold (an echo): settled
      { remote: later(rd!, 5_000, { title: 'Batch D' }), inboxIds: [] }, // local edit: decide
      { remote: later(re!, 0, { title: 'Same second, other content' }), inboxIds: [] }, // ambiguous: decide
      { remote: later(ra!, 0, { gid: 'gid://shopify/Product/999999999', title: 'New' }), inboxIds: [] }, // unknown
    ]);

    expect(result.rest.map((r) => r.remote.title)).toEqual(['Batch D', 'Same second, other content', 'New']);
    expect((await local(a!.gid)).title).toBe('Batch A');
    expect((await local(a!.gid)).version).toBe(before[0]!.version + 1);
    const after = await Promise.all([b, c, e].map((p) => local((p as EmuProduct).gid)));
    expect(after.map((p) => [p.title, p.version])).toEqual(
      [before[1], before[2], before[3]].map((p) => [p!.title, p!.version]),
    );
    expect((await getSyncBase(h.t.db, h.t.a.tenantId, 'product', before[1]!.id))?.hash).toBe(baseB?.hash);
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: before[0]!.id }, 10);
    expect(history.map((x) => [x.direction, x.origin, x.action])).toEqual([['inbound', 'webhook', 'update']]);
    expect(history[0]?.diff).toEqual([{ path: 'title', before: a!.title, after: 'Batch A' }]);
    const baseA = await getSyncBase(h.t.db, h.t.a.tenantId, 'product', before[0]!.id);
    expect((baseA?.snapshot as { title: string }).title).toBe('Batch A');
  });

  it('a burst of Shopify edits to many products reaches Retailos once each, a local edit among them is merged, and only that one is pushed', async () => {
    await h.settle(); // what earlier tests left to push
    const products = (await remoteProducts()).slice(5, 14);
    const merged = await local(products[0]!.gid);
    const since = await h.lastCall();
    expectOk(await h.api('PATCH', `/api/products/${merged.id}`, { vendor: 'Vendor from Retailos' }));
    for (const [i, p] of products.entries())
      await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: `Burst ${i}` });
    await h.settle();
    for (const [i, p] of products.entries()) {
      const l = await local(p.gid);
      expect(l.title).toBe(`Burst ${i}`);
      const inbound = (await listHistory(h.t.db, h.t.a.tenantId, { localId: l.id }, 20)).filter(
        (x) => x.direction === 'inbound' && x.origin === 'webhook',
      );
      expect(inbound).toHaveLength(1);
    }
    expect((await local(products[0]!.gid)).vendor).toBe('Vendor from Retailos');
    const remote = (await remoteProducts()).find((p) => p.id === products[0]!.id);
    expect([remote?.title, remote?.vendor]).toEqual(['Burst 0', 'Vendor from Retailos']);
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
  });

  it('a Shopify SKU that Retailos cannot hold is dead-lettered with the reason, and the other edits of the batch still apply', async () => {
    const [p, q, r] = (await remoteProducts()).slice(14, 17) as EmuProduct[];
    const taken = q!.variants[0]!.sku as string;
    await h.emu.control('PATCH', `/shops/${SHOP}/variants/${p!.variants[0]!.id}`, { sku: taken });
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${r!.id}`, {
      title: 'Applied beside the refused one',
    });
    await h.settle();
    expect((await local(r!.gid)).title).toBe('Applied beside the refused one');
    expect((await local(p!.gid)).variants.map((v) => v.sku)).not.toContain(taken);
    const letters = await listDeadLetters(h.t.db, h.t.a.tenantId, {}, 10);
    const letter = letters.find((l) => l.gid === p!.gid);
    expect(letter?.direction).toBe('inbound');
    expect(letter?.errorClass).toBe('constraint');
    expect(letter?.lastError).toMatch(/another variant already has this SKU/);
    const state = await h.t.db.query<{ state: string }>(
      `select state from shopify_webhook_inbox where body->>'admin_graphql_api_id' = $1 order by id desc limit 1`,
      [p!.gid],
    );
    expect(state.rows[0]?.state).toBe('failed');
  });
});
