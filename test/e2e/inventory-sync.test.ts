import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeShopDelivery } from '../../src/db/shopify-webhook-inbox.ts';
import { applyInbox, FETCHED_FOR_LEVEL } from '../../src/sync/continuous/apply-inbox.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { getSyncBase } from '../../src/db/shopify-sync-base.ts';
import type { AnyJobDefinition } from '../../src/jobs/define.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyPushJob } from '../../src/jobs/shopify-sync.ts';
import { relayOutbox } from '../../src/sync/continuous/outbox-relay.ts';
import {
  duringShopifyCall,
  expectOk,
  mutationsOf,
  startSyncHarness,
  type EmuCall,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'inventory-sync.myshopify.com';

interface ApiLevel {
  id: string;
  variant_id: string;
  location_id: string;
  sku: string | null;
  available: number;
  on_hand: number;
}
interface EmuVariant {
  id: number;
  sku: string | null;
  inventory: { locationId: number; available: number; onHand: number; committed: number }[];
}
interface EmuProduct {
  id: number;
  variants: EmuVariant[];
}
interface Spot {
  sku: string;
  emuLocation: number;
  level: ApiLevel;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '51', '--products', '6', '--customers', '1', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

/** The n-th stocked (SKU, location) pair, as the emulator and Retailos each name it. */
async function spot(n: number): Promise<Spot> {
  const products = (
    await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
  ).products;
  const shop = await h.emu.control<{ locations: { id: number; name: string }[] }>('GET', `/shops/${SHOP}`);
  const locals = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
  expectOk(locals);
  const pairs = products.flatMap((p) =>
    p.variants.flatMap((v) => v.inventory.map((i) => ({ sku: v.sku, emuLocation: i.locationId }))),
  );
  const pair = pairs.filter((p) => p.sku)[n];
  if (!pair) throw new Error(`no stocked variant #${n}`);
  const name = shop.locations.find((l) => l.id === pair.emuLocation)?.name;
  const localLocation = locals.body.items.find((l) => l.name === name);
  if (!localLocation) throw new Error(`no local location ${name}`);
  const sku = pair.sku as string;
  return { sku, emuLocation: pair.emuLocation, level: await localLevel(sku, localLocation.id) };
}

async function localLevel(sku: string, locationId: string): Promise<ApiLevel> {
  const res = await h.api<{ items: ApiLevel[] }>(
    'GET',
    `/api/inventory?sku=${encodeURIComponent(sku)}&location_id=${locationId}`,
  );
  expectOk(res);
  const level = res.body.items[0];
  if (!level) throw new Error(`no local level for ${sku}`);
  return level;
}

const local = async (s: Spot): Promise<number> => (await localLevel(s.sku, s.level.location_id)).available;

async function shopifyLevel(s: Spot): Promise<{ variantId: number; level: EmuVariant['inventory'][number] }> {
  const products = (
    await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
  ).products;
  const v = products.flatMap((p) => p.variants).find((x) => x.sku === s.sku);
  const level = v?.inventory.find((i) => i.locationId === s.emuLocation);
  if (!v || !level) throw new Error(`no Shopify level for ${s.sku}`);
  return { variantId: v.id, level };
}

const remote = async (s: Spot): Promise<number> => (await shopifyLevel(s)).level.available;

/** Available and on hand, as Shopify and as Retailos hold them. */
async function bothSides(s: Spot) {
  const { level } = await shopifyLevel(s);
  const mine = await localLevel(s.sku, s.level.location_id);
  return {
    shopify: { available: level.available, onHand: level.onHand },
    retailos: { available: mine.available, onHand: mine.on_hand },
  };
}

const shopifyAdjust = (s: Spot, delta: number) =>
  h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku: s.sku, locationId: s.emuLocation, delta });

const retailosAdjust = async (s: Spot, delta: number) =>
  expectOk(
    await h.api('POST', '/api/inventory/adjust', {
      variant_id: s.level.variant_id,
      location_id: s.level.location_id,
      delta,
      reason: 'sale',
    }),
  );

/** Both sides at `quantity`, agreed on (the sync base) before the scenario starts. */
async function startAt(s: Spot, quantity: number): Promise<void> {
  await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
    sku: s.sku,
    locationId: s.emuLocation,
    quantity,
  });
  await h.settle();
  expect([await remote(s), await local(s)]).toEqual([quantity, quantity]);
}

type AdjustChange = { delta: number; changeFromQuantity: number };
const adjustChanges = (calls: EmuCall[]): AdjustChange[] =>
  calls
    .filter((c) => c.rootFields.includes('inventoryAdjustQuantities'))
    .map((c) => {
      const input = (c.variables as { input: { changes: AdjustChange[] } }).input;
      const change = input.changes[0] as AdjustChange;
      return { delta: change.delta, changeFromQuantity: change.changeFromQuantity };
    });

describe('inventory sync', () => {
  it('a stock change in Shopify reaches Retailos, with no call back', async () => {
    const s = await spot(0);
    await startAt(s, 20);
    const since = await h.lastCall();
    await shopifyAdjust(s, -4);
    await h.settle();
    expect([await remote(s), await local(s)]).toEqual([16, 16]);
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: s.level.id }, 1);
    expect(history[0]).toMatchObject({ direction: 'inbound', origin: 'webhook' });
    // An available adjustment moves on hand by the same delta, on Shopify and so in Retailos.
    const onHand = (await bothSides(s)).shopify.onHand;
    expect(history[0]?.diff).toEqual([
      { path: 'available', before: 20, after: 16 },
      { path: 'onHand', before: onHand + 4, after: onHand },
    ]);
  });

  it('a stock change in Retailos reaches Shopify as one compare-and-set adjustment, and its echo changes nothing', async () => {
    const s = await spot(1);
    await startAt(s, 12);
    const since = await h.lastCall();
    await retailosAdjust(s, -3);
    await h.settle();
    expect([await remote(s), await local(s)]).toEqual([9, 9]);
    const calls = await h.calls(since);
    expect(mutationsOf(calls)).toEqual(['inventoryAdjustQuantities']);
    expect(adjustChanges(calls)).toEqual([{ delta: -3, changeFromQuantity: 12 }]);
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: s.level.id }, 1);
    expect(history[0]).toMatchObject({ direction: 'outbound', origin: 'push' });
    // One snapshot shape: the entry's after is what the level's sync base now holds.
    const base = await getSyncBase(h.t.db, h.t.a.tenantId, 'inventory_level', s.level.id);
    expect(history[0]?.after).toEqual(base?.snapshot);
    expect(Object.keys(base?.snapshot ?? {}).sort()).toEqual(['available', 'onHand']);
  });

  it('sales on both sides before any sync both count', async () => {
    const s = await spot(2);
    await startAt(s, 10);
    const since = await h.lastCall();
    await shopifyAdjust(s, -2);
    await retailosAdjust(s, -3);
    await h.settle();
    expect([await remote(s), await local(s)]).toEqual([5, 5]);
    const calls = await h.calls(since);
    expect(mutationsOf(calls)).toEqual(['inventoryAdjustQuantities']);
    // The Shopify sale arrived first, so our push already compares against Shopify's 8.
    expect(adjustChanges(calls)).toEqual([{ delta: -3, changeFromQuantity: 8 }]);
  });

  it('sales on both sides both count when our push meets a stale compare: it rebases and sends again', async () => {
    const s = await spot(3);
    await startAt(s, 10);
    const since = await h.lastCall();
    // Shopify sells 2; its webhook is not delivered yet, so our base still says 10.
    await shopifyAdjust(s, -2);
    await retailosAdjust(s, -3);
    // Only the push runs: it compares against 10 while Shopify holds 8.
    await relayOutbox(h.t.deps, h.t.a.tenantId);
    // The push job was inserted at the database's now(): bring the queue's clock up to it.
    await h.bossClock.tick(Math.max(0, Date.now() - h.bossClock.now()) + 1_000);
    expect(await drainQueue(h.boss, shopifyPushJob as AnyJobDefinition<never>, h.t.deps as never)).toBe(1);
    expect(await remote(s)).toBe(5);
    expect(await local(s)).toBe(5);
    const pushed = await h.calls(since);
    expect(mutationsOf(pushed)).toEqual(['inventoryAdjustQuantities', 'inventoryAdjustQuantities']);
    expect(adjustChanges(pushed)).toEqual([
      { delta: -3, changeFromQuantity: 10 }, // refused: CHANGE_FROM_QUANTITY_STALE
      { delta: -3, changeFromQuantity: 8 }, // rebased on Shopify's 8
    ]);
    // The late webhooks (Shopify's sale, then our own adjustment) change nothing and push nothing.
    const after = await h.lastCall();
    await h.settle();
    expect([await remote(s), await local(s)]).toEqual([5, 5]);
    expect(mutationsOf(await h.calls(after))).toEqual([]);
  });

  it('sales on both sides with several rounds in between end equal on both sides, with no ping-pong', async () => {
    const s = await spot(4);
    await startAt(s, 30);
    const since = await h.lastCall();
    await shopifyAdjust(s, -1);
    await retailosAdjust(s, -2);
    await h.settle();
    await retailosAdjust(s, -4);
    await shopifyAdjust(s, -5);
    await h.settle();
    await h.settle();
    expect([await remote(s), await local(s)]).toEqual([18, 18]);
    // One push per local sale; the Shopify sales and every echo push nothing.
    expect(mutationsOf(await h.calls(since))).toEqual([
      'inventoryAdjustQuantities',
      'inventoryAdjustQuantities',
    ]);
  });
  it("after a Shopify order, on hand and available in Retailos both equal Shopify's: the order commits stock, so available drops and on hand stays until fulfilment", async () => {
    const s = await spot(5);
    await startAt(s, 70);
    const before = await bothSides(s);
    expect(before.retailos).toEqual(before.shopify);
    const since = await h.lastCall();
    const { variantId } = await shopifyLevel(s);
    const order = await h.emu.control<{ id: number }>('POST', `/shops/${SHOP}/orders`, {
      lines: [{ variantId, quantity: 2 }],
      locationId: s.emuLocation,
    });
    await h.settle();
    const placed = await bothSides(s);
    expect(placed.shopify).toEqual({ available: 68, onHand: before.shopify.onHand });
    expect(placed.retailos).toEqual(placed.shopify);
    const lastEntry = async () =>
      (await listHistory(h.t.db, h.t.a.tenantId, { localId: s.level.id }, 1))[0]?.diff;
    expect(await lastEntry()).toEqual([{ path: 'available', before: 70, after: 68 }]);
    await h.emu.control('POST', `/shops/${SHOP}/orders/${order.id}/fulfill`, {});
    await h.settle();
    const fulfilled = await bothSides(s);
    expect(fulfilled.shopify).toEqual({ available: 68, onHand: before.shopify.onHand - 2 });
    expect(fulfilled.retailos).toEqual(fulfilled.shopify);
    const onHand = before.shopify.onHand;
    expect(await lastEntry()).toEqual([{ path: 'onHand', before: onHand, after: onHand - 2 }]);
    // Shopify's own changes: nothing is pushed back.
    expect(mutationsOf(await h.calls(since))).toEqual([]);
  });

  it('a product created in Shopify and stocked there reaches Retailos with its stock at each location', async () => {
    const shop = await h.emu.control<{ locations: { id: number; name: string }[] }>('GET', `/shops/${SHOP}`);
    const [first, second] = shop.locations;
    await h.emu.control('POST', `/shops/${SHOP}/products`, {
      title: 'Made in Shopify',
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { sku: 'SHOPIFY-NEW-S', price: '10.00', selectedOptions: [{ name: 'Size', value: 'S' }] },
        { sku: 'SHOPIFY-NEW-M', price: '12.00', selectedOptions: [{ name: 'Size', value: 'M' }] },
      ],
    });
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
      sku: 'SHOPIFY-NEW-S',
      locationId: first?.id,
      quantity: 7,
    });
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
      sku: 'SHOPIFY-NEW-M',
      locationId: second?.id ?? first?.id,
      quantity: 3,
    });
    await h.settle();
    const locals = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
    const localOf = (name: string | undefined) =>
      locals.body.items.find((l) => l.name === name)?.id as string;
    expect((await localLevel('SHOPIFY-NEW-S', localOf(first?.name))).available).toBe(7);
    expect((await localLevel('SHOPIFY-NEW-M', localOf((second ?? first)?.name))).available).toBe(3);
  });
  it("a stock level for an item whose product's webhooks were lost fetches the product from Shopify, then applies the level (PGlite chaos seed 1 never settled)", async () => {
    const shop = await h.emu.control<{ locations: { id: number }[] }>('GET', `/shops/${SHOP}`);
    // On Shopify, but its webhooks are lost (for the whole test): the item exists there, not in Retailos.
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    try {
      await unknownItemFetchesItsProduct(shop);
    } finally {
      await h.emu.control('DELETE', '/faults');
    }
  });

  async function unknownItemFetchesItsProduct(shop: { locations: { id: number }[] }): Promise<void> {
    const created = await h.emu.control<{ id: number; variants: { inventoryItemId: number }[] }>(
      'POST',
      `/shops/${SHOP}/products`,
      { title: 'Not here yet', variants: [{ sku: 'NOT-HERE-YET', price: '1.00' }] },
    );
    const itemId = created.variants[0]?.inventoryItemId as number;
    const locationId = shop.locations[0]?.id as number;
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
      sku: 'NOT-HERE-YET',
      locationId,
      quantity: 9,
    });
    const now = h.t.clock.now();
    const { tenantId, stored } = await storeShopDelivery(h.t.db, {
      webhookId: randomUUID(),
      eventId: null,
      topic: 'inventory_levels/update',
      shop: SHOP,
      apiVersion: '2026-04',
      triggeredAt: now,
      receivedAt: now,
      rawBody: JSON.stringify({
        inventory_item_id: itemId,
        location_id: locationId,
        available: 9,
        updated_at: now.toISOString(),
      }),
      state: 'pending',
    });
    expect([tenantId, stored]).toEqual([h.t.a.tenantId, true]);
    // One round: the product is fetched from Shopify and applied, then the level — no wait.
    expect(await applyInbox(h.t.deps, h.t.a.tenantId)).toMatchObject({ waiting: 0, applied: 1, failed: 0 });
    const state = await h.t.db.query<{ state: string }>(
      `select state from shopify_webhook_inbox where body->>'inventory_item_id' = $1`,
      [String(itemId)],
    );
    expect(state.rows).toEqual([{ state: 'applied' }]);
    const found = await h.api<{ items: { id: string; title: string }[] }>(
      'GET',
      '/api/products?sku=NOT-HERE-YET',
    );
    expect(found.body.items.map((p) => p.title)).toEqual(['Not here yet']);
    const locals = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
    const name = (
      await h.emu.control<{ locations: { id: number; name: string }[] }>('GET', `/shops/${SHOP}`)
    ).locations.find((l) => l.id === locationId)?.name;
    const localLocation = locals.body.items.find((l) => l.name === name)?.id as string;
    expect((await localLevel('NOT-HERE-YET', localLocation)).available).toBe(9);
    // Visible: the product's entry says why it came without its webhook.
    const productId = found.body.items[0]?.id as string;
    const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId: productId }, 10);
    expect(entries.map((e) => [e.direction, e.action, e.origin, e.cause])).toEqual([
      ['inbound', 'create', 'webhook', FETCHED_FOR_LEVEL],
    ]);
  }

  // Issue 16's chaos CI step (seed 2): a push met a stale compare, and its product was deleted on
  // Shopify before the push read the level again (a retry meets the stale answer Shopify kept for its
  // key, however long after). Reading "no level" was taken as the level gone for good: a dead letter.
  // The item is gone with its product, as when Shopify answers INVALID_INVENTORY_ITEM: the push follows
  // the variant, finds it gone, and stops; the product's deletion reaches Retailos by its webhook.
  it('a push that meets a stale compare, its product then deleted on Shopify, ends without a dead letter', async () => {
    const s = await spot(5);
    await startAt(s, 10);
    await shopifyAdjust(s, -2);
    await retailosAdjust(s, -3);
    await relayOutbox(h.t.deps, h.t.a.tenantId);
    const { variantId } = await shopifyLevel(s);
    const products = (
      await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
    ).products;
    const product = products.find((p) => p.variants.some((v) => v.id === variantId)) as EmuProduct;
    const race = duringShopifyCall('inventoryAdjustQuantities', async () => {
      await h.emu.control('DELETE', `/shops/${SHOP}/products/${product.id}`);
    });
    try {
      await h.bossClock.tick(Math.max(0, Date.now() - h.bossClock.now()) + 1_000);
      expect(await drainQueue(h.boss, shopifyPushJob as AnyJobDefinition<never>, h.t.deps as never)).toBe(1);
    } finally {
      race.restore();
    }
    expect(race.raced()).toBe(true);
    const letters = await h.api<{ items: unknown[] }>('GET', '/api/shopify/dead-letters?state=open');
    expectOk(letters);
    expect(letters.body.items).toEqual([]);
    await h.settle();
    const gone = await h.api<{ items: unknown[] }>('GET', `/api/products?sku=${encodeURIComponent(s.sku)}`);
    expectOk(gone);
    expect(gone.body.items).toEqual([]);
  });
});
