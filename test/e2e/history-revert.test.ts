import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listChangesAfter } from '../../src/db/changes.ts';
import { getSyncBase } from '../../src/db/shopify-sync-base.ts';
import { insertHistory, listHistory, type HistoryRow } from '../../src/db/shopify-sync-history.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

/**
 * Revert and Redo of Sync History entries, end to end against the emulator: each rule of
 * POST /api/shopify/history/:id/revert and …/redo, asserted on both sides and on the history.
 */

const SHOP = 'history-revert.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  vendor: string;
  variants: { id: number; sku: string | null; price: string }[];
}
interface EntryJson {
  id: number;
  origin: string;
  direction: string;
  linked_entry_id: number | null;
  diff: { path: string; before: unknown; after: unknown }[];
}
interface RevertJson {
  entry: EntryJson;
  fields: { path: string; from: unknown; to: unknown }[];
  skipped: { path: string; reason: string }[];
}
interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '77', '--products', '8', '--customers', '2', '--orders', '2', '--locations', '1'],
  ]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function remoteProducts(): Promise<EmuProduct[]> {
  return (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`))
    .products;
}

async function pick(n: number): Promise<EmuProduct> {
  const p = (await remoteProducts())[n];
  if (!p) throw new Error(`no product #${n}`);
  return p;
}

async function remoteById(id: number): Promise<EmuProduct> {
  return h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${id}`);
}

async function localBySku(sku: string): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  const p = res.body.items[0];
  if (!p) throw new Error(`no local product with SKU ${sku}`);
  return p;
}

/** How many changes rows a record has. */
async function changesOf(id: string): Promise<number> {
  return (await listChangesAfter(h.t.db, h.t.a.tenantId, 0, 100_000)).filter((c) => c.entityId === id).length;
}

const firstSku = (p: EmuProduct): string => p.variants[0]?.sku as string;

/** The newest entry of a record (with an origin, when given). */
async function newest(localId: string, origin?: string): Promise<HistoryRow> {
  const rows = await listHistory(h.t.db, h.t.a.tenantId, { localId }, 50);
  const e = rows.find((r) => origin === undefined || r.origin === origin);
  if (!e) throw new Error(`no ${origin ?? ''} entry for ${localId}`);
  return e;
}

const revert = (id: number, body?: object) =>
  h.api<RevertJson & ErrorJson>('POST', `/api/shopify/history/${id}/revert`, body ?? {});
const redo = (id: number, body?: object) =>
  h.api<RevertJson & ErrorJson>('POST', `/api/shopify/history/${id}/redo`, body ?? {});

/** A price changed on Shopify and synced: the product and the webhook's entry. */
async function priceChangedOnShopify(n: number, price: string) {
  const remote = await pick(n);
  const variant = remote.variants[0];
  if (!variant) throw new Error('no variant');
  await h.emu.control('PATCH', `/shops/${SHOP}/variants/${variant.id}`, { price });
  await h.settle();
  const local = await localBySku(firstSku(remote));
  expect(local.variants[0]?.price).toBe(price);
  return { remote, oldPrice: variant.price, local, entry: await newest(local.id, 'webhook') };
}

describe('Revert and Redo of Sync History entries', () => {
  it('a price changed on Shopify is reverted on both sides with one mutation, then Redo puts it back', async () => {
    const { remote, oldPrice, local, entry } = await priceChangedOnShopify(0, '91.50');
    const since = await h.lastCall();
    const res = await revert(entry.id);
    expectOk(res);
    expect(res.body.entry).toMatchObject({
      origin: 'revert',
      direction: 'outbound',
      linked_entry_id: entry.id,
    });
    expect(res.body.fields).toEqual([
      { path: `variants[${firstSku(remote)}].price`, from: '91.50', to: oldPrice },
    ]);
    await h.settle();
    expect((await remoteById(remote.id)).variants[0]?.price).toBe(oldPrice);
    expect((await localBySku(firstSku(remote))).variants[0]?.price).toBe(oldPrice);
    // Pushed like any edit: one productSet, and its echo changed nothing.
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
    const listed = await h.api<{ items: EntryJson[] }>('GET', `/api/shopify/history?local_id=${local.id}`);
    expect(listed.body.items.map((e) => [e.origin, e.linked_entry_id])).toEqual([
      ['push', null],
      ['revert', entry.id],
      ['webhook', null],
      ['import', null], // the import batch that brought the product
    ]);
    const imported = listed.body.items[3] as EntryJson;
    const refused = await revert(imported.id);
    expect([refused.status, refused.body.error.code]).toEqual([422, 'nothing_to_revert']);

    const again = await redo(entry.id); // Redo asked of the reverted entry acts on its revert
    expectOk(again);
    expect(again.body.entry).toMatchObject({ origin: 'redo', linked_entry_id: res.body.entry.id });
    await h.settle();
    expect((await remoteById(remote.id)).variants[0]?.price).toBe('91.50');
    expect((await localBySku(firstSku(remote))).variants[0]?.price).toBe('91.50');
  });

  it("a customer's name and note changed on Shopify are reverted on both sides with one customerSet", async () => {
    type EmuCustomer = { id: number; email: string | null; firstName: string | null; note: string | null };
    type LocalCustomer = { id: string; first_name: string | null; note: string | null };
    const listed = await h.emu.control<{ customers: EmuCustomer[] }>(
      'GET',
      `/shops/${SHOP}/customers?limit=250`,
    );
    const remote = listed.customers.find((c) => c.email);
    if (!remote?.email) throw new Error('no customer with an e-mail');
    const local = async (): Promise<LocalCustomer> => {
      const res = await h.api<{ items: LocalCustomer[] }>(
        'GET',
        `/api/customers?email=${encodeURIComponent(remote.email as string)}`,
      );
      expectOk(res);
      return res.body.items[0] as LocalCustomer;
    };
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${remote.id}`, {
      firstName: 'Reverted-Not',
      note: 'note to take back',
    });
    await h.settle();
    const changed = await local();
    expect([changed.first_name, changed.note]).toEqual(['Reverted-Not', 'note to take back']);
    const entry = await newest(changed.id, 'webhook');
    const since = await h.lastCall();
    const res = await revert(entry.id);
    expectOk(res);
    expect(res.body.fields.map((f) => f.path).sort()).toEqual(['firstName', 'note']);
    await h.settle();
    const back = await local();
    // The snapshot holds no note as '' (Shopify answers null for it): compare them as the sync does.
    expect([back.first_name, back.note ?? '']).toEqual([remote.firstName, remote.note ?? '']);
    const onShopify = await h.emu.control<EmuCustomer>('GET', `/shops/${SHOP}/customers/${remote.id}`);
    expect([onShopify.firstName, onShopify.note ?? '']).toEqual([remote.firstName, remote.note ?? '']);
    expect(mutationsOf(await h.calls(since))).toEqual(['customerSet']);
  });

  it('a double click makes one change: the second revert (and redo) answers 409 naming the first', async () => {
    const { local, entry } = await priceChangedOnShopify(1, '12.25');
    const before = await changesOf(local.id);
    const [a, b] = await Promise.all([revert(entry.id), revert(entry.id)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const first = a.status === 200 ? a : b;
    const second = a.status === 200 ? b : a;
    expect(second.body.error).toMatchObject({
      code: 'already_reverted',
      details: { entry_id: first.body.entry.id },
    });
    expect((await changesOf(local.id)) - before).toBe(1);
    const redos = await Promise.all([redo(first.body.entry.id), redo(first.body.entry.id)]);
    expect(redos.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(redos.find((r) => r.status === 409)?.body.error.code).toBe('already_redone');
    await h.settle();
  });

  it('a field changed again since the entry is shown with its current value and needs confirmation', async () => {
    const { remote, oldPrice, local } = await priceChangedOnShopify(2, '40.00');
    const entry = await newest(local.id, 'webhook');
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, {
        variants: variantsBody(local, (_v, i) => (i === 0 ? { price: '45.00' } : {})),
      }),
    );
    await h.settle();
    const path = `variants[${firstSku(remote)}].price`;
    const refused = await revert(entry.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'changed_since',
      details: { fields: [{ path, entry_value: '40.00', current: '45.00', revert_to: oldPrice }] },
    });
    expect((await localBySku(firstSku(remote))).variants[0]?.price).toBe('45.00');
    // A dry run (what the dialog shows first) lists the same, and writes nothing.
    const dry = await h.api<{ entry: null; changed_since: unknown[]; fields: unknown[] }>(
      'POST',
      `/api/shopify/history/${entry.id}/revert`,
      { dry_run: true },
    );
    expectOk(dry);
    expect(dry.body).toMatchObject({
      entry: null,
      fields: [{ path, from: '45.00', to: oldPrice }],
      changed_since: [{ path, entry_value: '40.00', current: '45.00', revert_to: oldPrice }],
    });
    expect((await localBySku(firstSku(remote))).variants[0]?.price).toBe('45.00');
    expectOk(await revert(entry.id, { confirm: true }));
    await h.settle();
    expect((await remoteById(remote.id)).variants[0]?.price).toBe(oldPrice);
  });

  it("another tenant's entry is not found, for revert and redo", async () => {
    const { entry } = await priceChangedOnShopify(3, '8.80');
    for (const path of ['revert', 'redo']) {
      const res = await h.t.app.inject({
        method: 'POST',
        url: `/api/shopify/history/${entry.id}/${path}`,
        headers: h.t.bearer(h.t.b),
        payload: {},
      });
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorJson>().error.code).toBe('not_found');
    }
  });

  it('a failed entry, an import, a creation and an entry never reverted are refused with the reason', async () => {
    const remote = await pick(4);
    const local = await localBySku(firstSku(remote));
    const base = {
      entity: 'product' as const,
      localId: local.id,
      gid: `gid://shopify/Product/${remote.id}`,
      displayName: remote.title,
      direction: 'outbound' as const,
      action: 'update' as const,
      before: { title: remote.title },
      after: { title: 'Never applied' },
      diff: [{ path: 'title', before: remote.title, after: 'Never applied' }],
      conflicts: [],
      searchWords: [],
    };
    const [failed, imported, created] = await insertHistory(
      h.t.db,
      h.t.a.tenantId,
      [
        { ...base, origin: 'push', outcome: 'failed', error: 'Shopify refused it' },
        { ...base, origin: 'import', action: 'create', before: null, outcome: 'applied', error: null },
        { ...base, origin: 'webhook', action: 'create', before: null, outcome: 'applied', error: null },
      ],
      h.t.clock.now(),
    );
    const codes = async (id: number | undefined, call = revert) => {
      const res = await call(id as number);
      return [res.status, res.body.error?.code, res.body.error?.message];
    };
    expect(await codes(failed)).toEqual([
      422,
      'entry_failed',
      expect.stringMatching(/failed .* nothing to roll back/),
    ]);
    expect(await codes(imported)).toEqual([422, 'nothing_to_revert', expect.stringMatching(/import/)]);
    expect(await codes(created)).toEqual([
      422,
      'nothing_to_revert',
      expect.stringMatching(/created the record/),
    ]);
    expect(await codes(created, redo)).toEqual([422, 'not_reverted', expect.stringMatching(/not reverted/)]);
    expect(local.title).toBe((await localBySku(firstSku(remote))).title);
  });

  it("an order's line items and totals are refused with the reason; its note is reverted", async () => {
    const orders = await h.api<{ items: { id: string }[] }>('GET', '/api/orders');
    const id = orders.body.items[0]?.id as string;
    const order = await h.api<Record<string, unknown>>('GET', `/api/orders/${id}`);
    expectOk(order);
    const o = order.body as { name: string; number: number; email: string | null; note: string };
    const base = await getSyncBase(h.t.db, h.t.a.tenantId, 'order', id);
    if (!base) throw new Error('the order has no sync base');
    const gid = base.gid;
    const after = base.snapshot as Record<string, unknown>;
    const before = { ...after, totalPrice: '1.00', lineItems: [] };
    const entry = {
      entity: 'order' as const,
      localId: id,
      gid,
      displayName: o.name,
      direction: 'inbound' as const,
      origin: 'webhook' as const,
      action: 'update' as const,
      outcome: 'applied' as const,
      conflicts: [],
      error: null,
      searchWords: [],
    };
    const [totals, withNote] = await insertHistory(
      h.t.db,
      h.t.a.tenantId,
      [
        { ...entry, before, after, diff: [] },
        { ...entry, before: { ...before, note: 'earlier note' }, after, diff: [] },
      ],
      h.t.clock.now(),
    );
    const refused = await revert(totals as number);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('fields_not_writable');
    expect(refused.body.error.message).toMatch(/Shopify does not let an app change an order's line items/);
    expect(refused.body.error.message).toMatch(/total price/);
    const partly = await revert(withNote as number);
    expectOk(partly);
    expect(partly.body.fields).toEqual([{ path: 'note', from: after['note'], to: 'earlier note' }]);
    expect(partly.body.skipped.map((s) => s.path)).toEqual(['lineItems', 'totalPrice']);
    await h.settle();
    const emu = await h.emu.control<{ note: string | null }>(
      'GET',
      `/shops/${SHOP}/orders/${gid.split('/').pop()}`,
    );
    expect(emu.note).toBe('earlier note');
  });
  it('a stock change is reverted by its delta: sales made since on both sides still count', async () => {
    const remote = await pick(5);
    const sku = firstSku(remote);
    const emuLoc = (await h.emu.control<{ locations: { id: number }[] }>('GET', `/shops/${SHOP}`))
      .locations[0]?.id;
    const setShopify = (path: string, body: object) =>
      h.emu.control('POST', `/shops/${SHOP}/inventory/${path}`, { sku, locationId: emuLoc, ...body });
    const level = async () => {
      const res = await h.api<{
        items: { id: string; variant_id: string; location_id: string; available: number }[];
      }>('GET', `/api/inventory?sku=${encodeURIComponent(sku)}`);
      return res.body.items[0] as { id: string; variant_id: string; location_id: string; available: number };
    };
    const shopifyAvailable = async () => {
      const p = await remoteById(remote.id);
      const v = (p as unknown as { variants: { inventory: { available: number }[] }[] }).variants[0];
      return v?.inventory[0]?.available;
    };
    await setShopify('set', { quantity: 10 });
    await h.settle();
    await setShopify('adjust', { delta: 5 }); // a delivery counted on Shopify: the entry to revert
    await h.settle();
    const l = await level();
    expect(l.available).toBe(15);
    const entry = (await listHistory(h.t.db, h.t.a.tenantId, { localId: l.id }, 10)).find(
      (e) => e.origin === 'webhook' && (e.after as { available: number }).available === 15,
    );
    if (!entry) throw new Error('no stock entry');
    await setShopify('adjust', { delta: -2 }); // a sale on Shopify since
    expectOk(
      await h.api('POST', '/api/inventory/adjust', {
        variant_id: l.variant_id,
        location_id: l.location_id,
        delta: -1,
        reason: 'sale in the shop',
      }),
    );
    await h.settle();
    expect([await shopifyAvailable(), (await level()).available]).toEqual([12, 12]);
    const since = await h.lastCall();
    const res = await revert(entry.id);
    expectOk(res);
    expect(res.body.fields).toContainEqual({ path: 'available', from: 12, to: 7 });
    await h.settle();
    // 10 + 5 − 2 − 1, with the +5 taken back: 7 on both sides, not the 10 the entry started from.
    expect([await shopifyAvailable(), (await level()).available]).toEqual([7, 7]);
    const adjusts = (await h.calls(since)).filter((c) => c.rootFields.includes('inventoryAdjustQuantities'));
    expect(
      adjusts.map(
        (c) =>
          (c.variables as { input: { changes: { delta: number; changeFromQuantity: number }[] } }).input
            .changes[0],
      ),
    ).toEqual([expect.objectContaining({ delta: -5, changeFromQuantity: 12 })]);
  });

  it('a revert while the store is disconnected is refused and changes nothing', async () => {
    const { local, entry } = await priceChangedOnShopify(6, '66.60');
    expectOk(await h.api('POST', '/api/shopify/disconnect'));
    const res = await revert(entry.id);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'not_syncing', details: { state: 'disconnected' } });
    expect(res.body.error.message).toMatch(/disconnected/);
    expect((await redo(entry.id)).status).toBe(422); // never reverted: nothing to redo
    expect((await localBySku(local.variants[0]?.sku as string)).variants[0]?.price).toBe('66.60');
  });
});
