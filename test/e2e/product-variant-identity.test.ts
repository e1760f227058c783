import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gidsOf } from '../../src/db/shopify-id-map.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

/**
 * A variant is the same variant on both sides whatever its SKU: the sync matches variants by their link
 * (Shopify variant GID ⇄ Retailos variant id), so a SKU edit is an edit of that variant, and edits made
 * on the other side meanwhile are kept (issue 16's chaos run found them lost: variants were keyed by SKU).
 * Through the real paths: the emulator's merchant edits and webhooks, Retailos's API and its push.
 */

const SHOP = 'variant-identity.myshopify.com';

interface EmuVariant {
  id: number;
  sku: string | null;
  price: string;
}
interface EmuProduct {
  id: number;
  variants: EmuVariant[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '33', '--products', '6', '--customers', '1', '--orders', '1', '--locations', '1'],
  ]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function remoteProducts(): Promise<EmuProduct[]> {
  return (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`))
    .products;
}

async function remoteProduct(id: number): Promise<EmuProduct> {
  const p = (await remoteProducts()).find((x) => x.id === id);
  if (!p) throw new Error(`no Shopify product ${id}`);
  return p;
}

async function local(id: string): Promise<ApiProduct> {
  const res = await h.api<ApiProduct>('GET', `/api/products/${id}`);
  expectOk(res);
  return res.body;
}

/** Shopify's product #n and its Retailos product (found by its first variant's link). */
async function pair(n: number): Promise<{ remote: EmuProduct; local: ApiProduct }> {
  const remote = (await remoteProducts())[n];
  if (!remote) throw new Error(`no product #${n}`);
  const sku = remote.variants[0]?.sku as string;
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  const found = res.body.items[0];
  if (!found) throw new Error(`no Retailos product with SKU ${sku}`);
  return { remote, local: found };
}

const variantGid = (id: number) => `gid://shopify/ProductVariant/${id}`;

/** The GID each Retailos variant is linked to, in the product's order. */
async function linksOf(p: ApiProduct): Promise<(string | undefined)[]> {
  const links = await gidsOf(
    h.t.db,
    h.t.a.tenantId,
    'variant',
    p.variants.map((v) => v.id),
  );
  return p.variants.map((v) => links.get(v.id));
}

describe('variants matched by link across a SKU change', () => {
  it('a SKU changed on Shopify updates the same Retailos variant (same id, same link)', async () => {
    const { remote, local: before } = await pair(0);
    const v = remote.variants[0] as EmuVariant;
    await h.emu.control('PATCH', `/shops/${SHOP}/variants/${v.id}`, { sku: 'SHOPIFY-RENAMED-1' });
    await h.settle();
    const after = await local(before.id);
    expect(after.variants.map((x) => x.id)).toEqual(before.variants.map((x) => x.id));
    expect(after.variants[0]?.sku).toBe('SHOPIFY-RENAMED-1');
    expect((await linksOf(after))[0]).toBe(variantGid(v.id));
    expect((await remoteProduct(remote.id)).variants.map((x) => x.id)).toEqual(
      remote.variants.map((x) => x.id),
    );
  });

  it('reverting that SKU change (Sync History) puts the SKU back on the same variant on both sides', async () => {
    const { remote, local: before } = await pair(0);
    const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId: before.id }, 10);
    const entry = entries.find((e) => e.origin === 'webhook');
    if (!entry) throw new Error('no webhook entry');
    expectOk(await h.api('POST', `/api/shopify/history/${entry.id}/revert`, {}));
    await h.settle();
    const after = await local(before.id);
    const r = await remoteProduct(remote.id);
    expect(after.variants.map((x) => x.id)).toEqual(before.variants.map((x) => x.id));
    expect(r.variants.map((x) => x.id)).toEqual(remote.variants.map((x) => x.id));
    expect(after.variants[0]?.sku).not.toBe('SHOPIFY-RENAMED-1');
    expect(r.variants[0]?.sku).toBe(after.variants[0]?.sku);
  });

  // With a base that keeps its variants' GIDs, and one stored before bases kept them.
  for (const [n, oldBase] of [
    [1, false],
    [2, true],
  ] as const) {
    it(`a SKU changed in Retailos and a price changed on Shopify meanwhile both survive on both sides${oldBase ? ' (a base in the old shape)' : ''}`, async () => {
      const { remote, local: before } = await pair(n);
      const v = remote.variants[0] as EmuVariant;
      const linksBefore = await linksOf(before);
      if (oldBase) {
        const res = await h.t.db.query(
          `update shopify_links set snapshot = snapshot - '$links'
            where tenant_id = $1 and entity = 'product' and local_id = $2 and snapshot ? '$links'`,
          [h.t.a.tenantId, before.id],
        );
        expect(res.rowCount).toBe(1);
      }
      await h.emu.control('PATCH', `/shops/${SHOP}/variants/${v.id}`, { price: '41.50' });
      expectOk(
        await h.api('PATCH', `/api/products/${before.id}`, {
          variants: variantsBody(before, (_x, i) => (i === 0 ? { sku: `RTL-RENAMED-${n}` } : {})),
        }),
      );
      const since = await h.lastCall();
      await h.settle();
      const r = await remoteProduct(remote.id);
      const l = await local(before.id);
      expect([r.variants[0]?.sku, r.variants[0]?.price]).toEqual([`RTL-RENAMED-${n}`, '41.50']);
      expect([l.variants[0]?.sku, l.variants[0]?.price]).toEqual([`RTL-RENAMED-${n}`, '41.50']);
      // Every variant kept its ids on both sides and its link.
      expect(r.variants.map((x) => x.id)).toEqual(remote.variants.map((x) => x.id));
      expect(l.variants.map((x) => x.id)).toEqual(before.variants.map((x) => x.id));
      expect(await linksOf(l)).toEqual(linksBefore);
      expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
    });
  }

  it('a SKU changed on Shopify and a price changed in Retailos meanwhile both survive on both sides', async () => {
    const { remote, local: before } = await pair(3);
    const v = remote.variants[0] as EmuVariant;
    await h.emu.control('PATCH', `/shops/${SHOP}/variants/${v.id}`, { sku: 'SHOPIFY-RENAMED-3' });
    expectOk(
      await h.api('PATCH', `/api/products/${before.id}`, {
        variants: variantsBody(before, (_x, i) => (i === 0 ? { price: '63.25' } : {})),
      }),
    );
    await h.settle();
    const r = await remoteProduct(remote.id);
    const l = await local(before.id);
    expect([r.variants[0]?.sku, r.variants[0]?.price]).toEqual(['SHOPIFY-RENAMED-3', '63.25']);
    expect([l.variants[0]?.sku, l.variants[0]?.price]).toEqual(['SHOPIFY-RENAMED-3', '63.25']);
    expect(r.variants.map((x) => x.id)).toEqual(remote.variants.map((x) => x.id));
    expect(l.variants.map((x) => x.id)).toEqual(before.variants.map((x) => x.id));
    expect((await linksOf(l))[0]).toBe(variantGid(v.id));
  });
});
