import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'order-sync.myshopify.com';

interface ApiOrder {
  id: string;
  name: string;
  email: string | null;
  financial_status: string;
  fulfillment_status: string;
  note: string;
  tags: string[];
  line_items: { sku: string | null; quantity: number }[];
  cancelled_at: string | null;
  version: number;
}
interface EmuOrder {
  id: number;
  gid: string;
  name: string;
  note: string | null;
  tags: string[];
  financialStatus: string;
  fulfillmentStatus: string;
  cancelledAt: string | null;
}
interface EmuProduct {
  variants: { id: number; sku: string | null }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '41', '--products', '3', '--customers', '2', '--orders', '8']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function remoteOrders(): Promise<EmuOrder[]> {
  return (await h.emu.control<{ orders: EmuOrder[] }>('GET', `/shops/${SHOP}/orders?limit=250`)).orders;
}

async function pick(n: number): Promise<EmuOrder> {
  const o = (await remoteOrders())[n];
  if (!o) throw new Error(`no order #${n}`);
  return o;
}

/** A fresh open, unfulfilled order placed in Shopify and synced (so cancelling or fulfilling it is allowed). */
async function placed(extra: Record<string, unknown> = {}): Promise<EmuOrder> {
  const products = (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products`))
    .products;
  const variant = products[0]?.variants[0];
  if (!variant) throw new Error('no variant');
  const o = await h.emu.control<EmuOrder>('POST', `/shops/${SHOP}/orders`, {
    lines: [{ variantId: variant.id, quantity: 1 }],
    ...extra,
  });
  await h.settle();
  return o;
}

async function remoteById(id: number): Promise<EmuOrder> {
  return h.emu.control<EmuOrder>('GET', `/shops/${SHOP}/orders/${id}`);
}

async function localsByName(name: string): Promise<ApiOrder[]> {
  const res = await h.api<{ items: ApiOrder[] }>('GET', '/api/orders?limit=200');
  expectOk(res);
  return res.body.items.filter((o) => o.name === name);
}

async function localByName(name: string): Promise<ApiOrder> {
  const o = (await localsByName(name))[0];
  if (!o) throw new Error(`no local order ${name}`);
  return o;
}

const history = async (localId: string) =>
  (await listHistory(h.t.db, h.t.a.tenantId, { localId }, 20)).map((e) => [e.direction, e.origin, e.action]);

describe('order sync', () => {
  it('a note and tags edited in Retailos reach Shopify in one request (orderUpdate, the tags as deltas), and the echo changes nothing', async () => {
    const remote = await pick(0);
    const local = await localByName(remote.name);
    const since = await h.lastCall();
    expectOk(
      await h.api('PATCH', `/api/orders/${local.id}`, {
        note: 'gift wrap please',
        tags: ['gift', 'priority'],
      }),
    );
    await h.settle();
    const after = await remoteById(remote.id);
    expect(after.note).toBe('gift wrap please');
    expect([...after.tags].sort()).toEqual(['gift', 'priority']);
    const calls = (await h.calls(since)).filter((c) => c.operationType === 'mutation');
    // One request: orderUpdate, then the tags added (tagsAdd: orderUpdate's list would replace Shopify's).
    expect(calls.map((c) => c.rootFields)).toEqual([['orderUpdate', 'tagsAdd']]);
    // orderUpdate carries only the fields the edit changed (OrderInput's writable ones), beside the id.
    expect(Object.keys((calls[0]?.variables as { input: object }).input).sort()).toEqual(['id', 'note']);
    expect(await history(local.id)).toEqual([['outbound', 'push', 'update']]);
    const again = await localByName(remote.name);
    expect([again.note, again.tags, again.version]).toEqual([
      'gift wrap please',
      ['gift', 'priority'],
      local.version + 1,
    ]);
  });

  it('a note edited in Shopify reaches Retailos, with no call back', async () => {
    const remote = await pick(1);
    const since = await h.lastCall();
    await h.emu.control('PATCH', `/shops/${SHOP}/orders/${remote.id}`, { note: 'left at the door' });
    await h.settle();
    const local = await localByName(remote.name);
    expect(local.note).toBe('left at the door');
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    expect(await history(local.id)).toEqual([['inbound', 'webhook', 'update']]);
  });

  it('an order fulfilled and another cancelled in Shopify reach Retailos, with no call back', async () => {
    const toFulfil = await placed();
    const toCancel = await placed();
    const since = await h.lastCall();
    await h.emu.control('POST', `/shops/${SHOP}/orders/${toFulfil.id}/fulfill`);
    await h.emu.control('POST', `/shops/${SHOP}/orders/${toCancel.id}/cancel`, { reason: 'customer' });
    await h.settle();
    const fulfilled = await localByName(toFulfil.name);
    expect(fulfilled.fulfillment_status).toBe(
      (await remoteById(toFulfil.id)).fulfillmentStatus.toLowerCase(),
    );
    expect(fulfilled.fulfillment_status).toBe('fulfilled');
    const cancelled = await localByName(toCancel.name);
    expect(cancelled.cancelled_at).not.toBeNull();
    expect(new Date(cancelled.cancelled_at as string).toISOString()).toBe(
      new Date((await remoteById(toCancel.id)).cancelledAt as string).toISOString(),
    );
    expect(mutationsOf(await h.calls(since))).toEqual([]);
  });

  it('an order placed in Shopify shows up in Retailos once, with no call back', async () => {
    const products = (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products`))
      .products;
    const variant = products[0]?.variants[0];
    if (!variant) throw new Error('no variant');
    const since = await h.lastCall();
    const placed = await h.emu.control<EmuOrder>('POST', `/shops/${SHOP}/orders`, {
      lines: [{ variantId: variant.id, quantity: 2 }],
      email: 'walk.in@example.com',
      note: 'placed in Shopify',
    });
    await h.settle();
    const locals = await localsByName(placed.name);
    expect(locals).toHaveLength(1);
    expect(locals[0]).toMatchObject({ email: 'walk.in@example.com', note: 'placed in Shopify' });
    expect(locals[0]?.line_items.map((l) => [l.sku, l.quantity])).toEqual([[variant.sku, 2]]);
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    expect(await history(locals[0]?.id as string)).toEqual([['inbound', 'webhook', 'create']]);
  });

  it("a Shopify-owned field edited in Retailos never reaches Shopify and goes back to Shopify's value", async () => {
    const remote = await placed();
    const local = await localByName(remote.name);
    const before = local.fulfillment_status;
    const since = await h.lastCall();
    const edited = await h.api<ApiOrder>('PATCH', `/api/orders/${local.id}`, {
      fulfillment_status: before === 'fulfilled' ? 'unfulfilled' : 'fulfilled',
    });
    expectOk(edited);
    expect(edited.body.fulfillment_status).not.toBe(before);
    await h.settle();
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    expect((await remoteById(remote.id)).fulfillmentStatus).toBe(remote.fulfillmentStatus);
    expect((await localByName(remote.name)).fulfillment_status).toBe(before);
  });
});
