// A Shopify edit a push carried along keeps its own time: a Retailos edit of the same field made after
// it, while that push was being answered, wins. The push leaves the Retailos state it started from as the
// base, stamped with its write's time (the record was edited meanwhile), so the Shopify edit's delivery
// is older than the base and tells nothing; the state the push read, with the edit already in it, is
// what bounds the edit's time. Before, the edit took the record's time (our write's) and the newer
// Retailos price was overwritten on both sides (issue 16, chaos seed 3 × 300, op 231).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import type { Conflict } from '../../src/domain/merge.ts';
import {
  duringShopifyCall as during,
  expectOk,
  pushOnly,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'field-time-after-push.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  updatedAt: string;
  variants: { id: number; sku: string | null; price: string }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '87', '--products', '2', '--customers', '1', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

/** The outbox relay and the push jobs only, the queue's clock brought to Retailos's (set ahead of the wall clock here). */
const push = (): Promise<void> => pushOnly(h, Math.max(Date.now(), h.t.clock.now().getTime()));

async function conflictsOf(localId: string): Promise<Conflict[]> {
  const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId }, 20);
  return entries.flatMap((e) => (Array.isArray(e.conflicts) ? (e.conflicts as Conflict[]) : []));
}

describe('a Shopify edit carried along by a push', () => {
  it('loses to a Retailos edit of the same field made after it, while the push was answered', async () => {
    const remote = (
      await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
    ).products[0];
    const variant = remote?.variants[0];
    if (!remote || !variant?.sku) throw new Error('no product');
    const found = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${variant.sku}`);
    const local = found.body.items[0] as ApiProduct;
    const mine = local.variants.find((v) => v.sku === variant.sku)?.id;

    // T0: the price in Shopify's admin; its delivery reaches Retailos and waits in the inbox.
    const edited = await h.emu.control<{ updatedAt: string }>(
      'PATCH',
      `/shops/${SHOP}/variants/${variant.id}`,
      {
        price: '55.00',
      },
    );
    const t0 = Date.parse(edited.updatedAt);
    h.t.clock.set(new Date(t0 + 1_500));
    await h.emu.control('POST', '/webhooks/drain');
    // T0 + 3 s: the title in Retailos. Its push reads Shopify (the new price in it) and writes the title
    // with that price, ten seconds later on Shopify's clock.
    h.t.clock.set(new Date(t0 + 3_000));
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title: 'Retailos title' }));
    await h.emu.control('POST', '/clock/advance', { seconds: 10 });
    // T0 + 5 s, while productSet is answered: the same price in Retailos, after Shopify's.
    const race = during('PushProduct', async () => {
      h.t.clock.set(new Date(t0 + 5_000));
      const now = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
      const body = variantsBody(now, (v) => (v.id === mine ? { price: '66.00' } : {}));
      expectOk(await h.api('PATCH', `/api/products/${local.id}`, { variants: body, version: now.version }));
    });
    try {
      await push();
    } finally {
      race.restore();
    }
    expect(race.raced()).toBe(true);
    h.t.clock.set(new Date(t0 + 20_000));
    await h.settle();

    const after = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
    const ours = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    expect([after.title, after.variants.find((v) => v.id === variant.id)?.price]).toEqual([
      'Retailos title',
      '66.00',
    ]);
    expect([ours.title, ours.variants.find((v) => v.id === mine)?.price]).toEqual([
      'Retailos title',
      '66.00',
    ]);
    expect((await conflictsOf(local.id)).find((c) => c.path.endsWith('].price'))).toMatchObject({
      winner: 'local',
      local: '66.00',
      remote: '55.00',
    });
  });
});
