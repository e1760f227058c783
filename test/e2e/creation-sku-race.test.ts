import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gidsOf } from '../../src/db/shopify-id-map.ts';
import { applyInbox } from '../../src/sync/continuous/apply-inbox.ts';
import {
  duringShopifyCall as during,
  expectOk,
  loseShopifyAnswer,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

/**
 * A product created in Retailos whose variant's SKU the merchant edits while the creating productSet is
 * answered: Shopify made the variant with the SKU sent, Retailos's variant now has another. The variant
 * is still linked to the one Shopify made (by its place in the product), so the SKU edit is pushed onto
 * that same variant. Unlinked, the next push named it by no id, and productSet (which deletes the
 * variants its list leaves out) deleted Shopify's variant and made another: Shopify's variant, its
 * edits and its stock gone with no deletion by anyone (issue 16, chaos: "a record on neither side with
 * no deletion in the ledger"). Through the real paths: Retailos's API, its push, the emulator's webhooks.
 */

const SHOP = 'creation-sku-race.myshopify.com';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '43', '--products', '1', '--customers', '1', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

interface EmuProduct {
  id: number;
  title: string;
  tags: string[];
  variants: { id: number; sku: string | null; price: string }[];
}

async function remoteByTitle(title: string): Promise<EmuProduct[]> {
  const all = await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`);
  return all.products.filter((p) => p.title === title);
}

let made = 0;

describe('a variant SKU edited in Retailos while its product is being created on Shopify', () => {
  // Shopify's webhooks about the new product applied while productSet answers (they link it before the
  // push does) or after the push linked it.
  for (const webhooksFirst of [false, true]) {
    it(`stays the same variant on Shopify, with the new SKU${webhooksFirst ? ' (webhooks applied first)' : ''}`, async () => {
      made += 1;
      const title = `SKU race ${made}`;
      const created = await h.api<ApiProduct>('POST', '/api/products', {
        title,
        variants: [{ sku: `RACE-${made}-A`, price: '3.00' }],
      });
      expectOk(created, 201);
      const since = await h.lastCall();
      let made1: EmuProduct | undefined;
      const race = during('PushProduct', async () => {
        [made1] = await remoteByTitle(title);
        const now = await h.api<ApiProduct>('GET', `/api/products/${created.body.id}`);
        expectOk(
          await h.api('PATCH', `/api/products/${created.body.id}`, {
            variants: variantsBody(now.body, () => ({ sku: `RACE-${made}-B` })),
            version: now.body.version,
          }),
        );
        if (webhooksFirst) {
          await h.emu.control('POST', '/webhooks/drain');
          await applyInbox(h.t.deps, h.t.a.tenantId);
        }
      });
      try {
        await h.settle();
      } finally {
        race.restore();
      }
      expect(race.raced()).toBe(true);
      const first = made1?.variants.map((v) => [v.id, v.sku]);
      expect(first).toEqual([[expect.any(Number), `RACE-${made}-A`]]);

      // One product on Shopify, still holding the variant the creation made, now with the new SKU.
      const remote = await remoteByTitle(title);
      expect(remote.map((p) => p.variants.map((v) => [v.id, v.sku]))).toEqual([
        [[made1?.variants[0]?.id, `RACE-${made}-B`]],
      ]);
      // Retailos's variant is the one it made, linked to that Shopify variant.
      const local = await h.api<ApiProduct>('GET', `/api/products/${created.body.id}`);
      const variantId = created.body.variants[0]?.id as string;
      expect(local.body.variants.map((v) => [v.id, v.sku])).toEqual([[variantId, `RACE-${made}-B`]]);
      const links = await gidsOf(h.t.db, h.t.a.tenantId, 'variant', [variantId]);
      expect(links.get(variantId)).toBe(`gid://shopify/ProductVariant/${made1?.variants[0]?.id}`);
      expect(mutationsOf(await h.calls(since))).toEqual(['productSet', 'productSet']);
    });
  }
});

describe('a product creation retried after Shopify made the product but its answer was lost', () => {
  const shopifyNow = async () => Date.parse((await h.emu.control<{ now: string }>('GET', '/clock')).now);

  it('takes the product the first attempt made: the same Shopify variant, linked, and the edits of both sides since kept', async () => {
    made += 1;
    const title = `Lost answer ${made}`;
    // Shopify's webhooks about the product are dropped: only the push's own retry can find it.
    await h.emu.control('POST', '/faults', { profile: 'none', webhookDropRate: 1 });
    h.t.clock.set(new Date(await shopifyNow()));
    const created = await h.api<ApiProduct>('POST', '/api/products', {
      title,
      variants: [{ sku: `LOST-${made}`, price: '2.00' }],
    });
    expectOk(created, 201);
    const since = await h.lastCall();
    // The first productSet reaches Shopify, which makes the product; its answer never comes back.
    const answer = loseShopifyAnswer('PushProduct');
    let first: EmuProduct[];
    try {
      await h.settle();
      first = await remoteByTitle(title);
      // Then, before the retry: the title edited on Shopify, the price in Retailos five seconds later.
      await h.emu.control('POST', '/clock/advance', { seconds: 5 });
      await h.emu.control('PATCH', `/shops/${SHOP}/products/${first[0]?.id}`, {
        title: `${title} on Shopify`,
      });
      h.t.clock.set(new Date((await shopifyNow()) + 5_000));
      const now = (await h.api<ApiProduct>('GET', `/api/products/${created.body.id}`)).body;
      expectOk(
        await h.api('PATCH', `/api/products/${created.body.id}`, {
          variants: variantsBody(now, () => ({ price: '7.00' })),
          version: now.version,
        }),
      );
      await h.settleWithRetries();
    } finally {
      answer.restore();
      await h.emu.control('DELETE', '/faults');
    }
    expect(answer.lost()).toBe(true);
    expect(first.map((p) => p.variants.map((v) => v.sku))).toEqual([[`LOST-${made}`]]);
    const remote = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${first[0]?.id}`);
    expect(await remoteByTitle(title)).toEqual([]);
    expect([remote.title, remote.variants.map((v) => [v.id, v.sku, v.price])]).toEqual([
      `${title} on Shopify`,
      [[first[0]?.variants[0]?.id, `LOST-${made}`, '7.00']],
    ]);
    const local = (await h.api<ApiProduct>('GET', `/api/products/${created.body.id}`)).body;
    const variantId = created.body.variants[0]?.id as string;
    expect([local.title, local.variants.map((v) => [v.id, v.price])]).toEqual([
      `${title} on Shopify`,
      [[variantId, '7.00']],
    ]);
    const links = await gidsOf(h.t.db, h.t.a.tenantId, 'variant', [variantId]);
    expect(links.get(variantId)).toBe(`gid://shopify/ProductVariant/${first[0]?.variants[0]?.id}`);
    // The creation, then the merged edits: never a second creation over the first.
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet', 'productSet']);
  });

  // Issue 16, chaos seed 16 op 931 (seen on a customer, the same path): Retailos's edits made before
  // Shopify's were lost, linked with no base every field went to Shopify's later record time. Linked with
  // what the creation sent as its base, the retry merges three ways.
  for (const webhooksFirst of [false, true]) {
    it(`keeps a tag and a price edited in Retailos before a title edited on Shopify${webhooksFirst ? ' (its creation webhook linked it first)' : ''}`, async () => {
      made += 1;
      const title = `Lost answer ${made}`;
      await h.emu.control('POST', '/faults', { profile: 'none', webhookDropRate: webhooksFirst ? 0 : 1 });
      h.t.clock.set(new Date(await shopifyNow()));
      const created = await h.api<ApiProduct>('POST', '/api/products', {
        title,
        variants: [{ sku: `LOST-${made}`, price: '2.00' }],
      });
      expectOk(created, 201);
      const answer = loseShopifyAnswer('PushProduct');
      let first: EmuProduct[];
      try {
        await h.settle();
        first = await remoteByTitle(title);
        if (webhooksFirst)
          expect(
            (await gidsOf(h.t.db, h.t.a.tenantId, 'product', [created.body.id])).get(created.body.id),
          ).toBe(`gid://shopify/Product/${first[0]?.id}`);
        // Retailos's edits first, then Shopify's.
        h.t.clock.set(new Date((await shopifyNow()) + 1_000));
        const now = (await h.api<ApiProduct>('GET', `/api/products/${created.body.id}`)).body;
        expectOk(
          await h.api('PATCH', `/api/products/${created.body.id}`, {
            tags: ['t931'],
            variants: variantsBody(now, () => ({ price: '7.00' })),
            version: now.version,
          }),
        );
        // Two minutes on: the creation's webhook (it carried the tags and price before Retailos's edit)
        // no longer bounds Shopify's edit times of them (shopify-edit-time.ts's clock slack).
        await h.emu.control('POST', '/clock/advance', { seconds: 120 });
        await h.emu.control('PATCH', `/shops/${SHOP}/products/${first[0]?.id}`, {
          title: `${title} on Shopify`,
        });
        h.t.clock.set(new Date(await shopifyNow()));
        await h.settleWithRetries();
      } finally {
        answer.restore();
        await h.emu.control('DELETE', '/faults');
      }
      expect(answer.lost()).toBe(true);
      expect(first.map((p) => [p.tags, p.variants.map((v) => v.price)])).toEqual([[[], ['2.00']]]);
      const remote = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${first[0]?.id}`);
      expect([remote.title, remote.tags, remote.variants.map((v) => [v.id, v.price])]).toEqual([
        `${title} on Shopify`,
        ['t931'],
        [[first[0]?.variants[0]?.id, '7.00']],
      ]);
      const local = (await h.api<ApiProduct>('GET', `/api/products/${created.body.id}`)).body;
      expect([local.title, local.tags, local.variants.map((v) => v.price)]).toEqual([
        `${title} on Shopify`,
        ['t931'],
        ['7.00'],
      ]);
    });
  }
});
