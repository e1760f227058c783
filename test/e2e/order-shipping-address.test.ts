// An order's shipping address, both ways: imported, edited in Retailos (one orderUpdate, no echo),
// changed on Shopify (orders/updated), reverted from Sync History, and an order synced before Retailos
// kept addresses takes Shopify's without any push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSyncBase, upsertSyncBase } from '../../src/db/shopify-sync-base.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import type { ShippingAddress } from '../../src/domain/entities.ts';
import { mapShippingAddress } from '../../src/domain/shopify-map/order.ts';
import { snapshotHash, type Json, type ShopifyAddress } from '../../src/domain/shopify-map/index.ts';
import { BULK_QUERIES, POLL_BULK, RUN_BULK } from '../../src/sync/import/bulk-queries.ts';
import { shopSessionFor } from '../../src/sync/shop-session.ts';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'order-shipping.myshopify.com';

/** The emulator's MailingAddress record (every line present, null when blank). */
interface EmuAddress {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  provinceCode: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}
interface EmuOrder {
  id: number;
  gid: string;
  name: string;
  shippingAddress: EmuAddress | null;
}
type WireAddress = Record<string, string>;
interface ApiOrder {
  id: string;
  name: string;
  note: string;
  shipping_address: WireAddress | null;
  version: number;
}

const WIRE: [keyof EmuAddress, string][] = [
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['company', 'company'],
  ['address1', 'address1'],
  ['address2', 'address2'],
  ['city', 'city'],
  ['provinceCode', 'province_code'],
  ['countryCode', 'country_code'],
  ['zip', 'zip'],
  ['phone', 'phone'],
];

/** What Retailos should show for Shopify's address: its lines with a value, codes as Shopify has them. */
function expected(a: EmuAddress | null): WireAddress | null {
  if (a === null) return null;
  const out: WireAddress = {};
  for (const [emu, wire] of WIRE) {
    const v = a[emu]?.trim();
    if (v) out[wire] = v;
  }
  return Object.keys(out).length === 0 ? null : out;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '23', '--products', '3', '--customers', '3', '--orders', '8']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const remoteOrders = async (): Promise<EmuOrder[]> =>
  (await h.emu.control<{ orders: EmuOrder[] }>('GET', `/shops/${SHOP}/orders?limit=250`)).orders;
const remoteById = (id: number): Promise<EmuOrder> =>
  h.emu.control<EmuOrder>('GET', `/shops/${SHOP}/orders/${id}`);

async function localByName(name: string): Promise<ApiOrder> {
  const res = await h.api<{ items: ApiOrder[] }>('GET', '/api/orders?limit=200');
  expectOk(res);
  const o = res.body.items.find((x) => x.name === name);
  if (!o) throw new Error(`no local order ${name}`);
  return o;
}

/** The n-th order Shopify holds with a shipping address. */
async function withAddress(n: number): Promise<EmuOrder> {
  const o = (await remoteOrders()).filter((x) => x.shippingAddress !== null)[n];
  if (!o) throw new Error(`no order with an address #${n}`);
  return o;
}

/** A Retailos address (camelCase lines) in the API's wire form. */
function wire(a: ShippingAddress): WireAddress {
  const out: WireAddress = {};
  for (const [emu, key] of WIRE) {
    const v = a[emu];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const history = async (localId: string) =>
  (await listHistory(h.t.db, h.t.a.tenantId, { localId }, 20)).map((e) => [e.direction, e.origin, e.action]);

const ROME = {
  first_name: 'Giulia',
  last_name: 'Conti',
  address1: 'Via del Corso 12',
  address2: 'Scala B',
  city: 'Roma',
  province_code: 'RM',
  country_code: 'IT',
  zip: '00186',
  phone: '+39 06 000 0000',
};

describe('an order’s shipping address', () => {
  it('the import brings every order’s shipping address as Shopify holds it', async () => {
    // A store this small is imported page by page (the bulk read is checked below).
    const { rows } = await h.t.db.query<{ mode: string }>(
      "select mode from shopify_import_resources where resource = 'orders'",
    );
    expect(rows.map((r) => r.mode)).toEqual(['paged']);
    const remote = await remoteOrders();
    expect(remote.filter((o) => o.shippingAddress !== null).length).toBeGreaterThan(0);
    for (const o of remote) {
      expect((await localByName(o.name)).shipping_address, o.name).toEqual(expected(o.shippingAddress));
    }
  });

  it('the import’s bulk read of orders brings the same addresses', async () => {
    const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
    if (!session) throw new Error('the store is not connected');
    const origin = h.emu.shopOriginTemplate.replace('{shop}', SHOP);
    const gql = async <T>(query: string, variables: object): Promise<T> => {
      const res = await fetch(`${origin}/admin/api/2026-04/graphql.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-access-token': session.accessToken },
        body: JSON.stringify({ query, variables }),
      });
      return ((await res.json()) as { data: T }).data;
    };
    const run = await gql<{ bulkOperationRunQuery: { bulkOperation: { id: string } } }>(RUN_BULK, {
      query: BULK_QUERIES.orders,
    });
    const id = run.bulkOperationRunQuery.bulkOperation.id;
    let op: { status: string; url: string | null } = { status: 'CREATED', url: null };
    for (let i = 0; i < 100 && op.status !== 'COMPLETED'; i++) {
      op = (await gql<{ bulkOperation: typeof op }>(POLL_BULK, { id })).bulkOperation;
      if (op.status === 'FAILED' || op.status === 'CANCELED') throw new Error(`bulk read ${op.status}`);
      if (op.status !== 'COMPLETED') await h.settle();
    }
    expect(op.status).toBe('COMPLETED');
    const text = await (await fetch(op.url as string)).text();
    const orders = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { id: string; __parentId?: string; shippingAddress?: unknown })
      .filter((l) => l.__parentId === undefined);
    const remote = await remoteOrders();
    expect(orders).toHaveLength(remote.length);
    for (const o of remote) {
      const line = orders.find((l) => l.id === o.gid);
      expect(line, o.gid).toBeDefined();
      const mapped = mapShippingAddress(line?.shippingAddress as ShopifyAddress | null);
      expect(mapped === null ? null : wire(mapped), o.name).toEqual(expected(o.shippingAddress));
    }
  });

  it('an address edited in Retailos reaches Shopify with one orderUpdate, its echo changes nothing, and a revert puts the old one back on both sides', async () => {
    const remote = await withAddress(0);
    const local = await localByName(remote.name);
    const since = await h.lastCall();
    expectOk(await h.api('PATCH', `/api/orders/${local.id}`, { shipping_address: ROME }));
    await h.settle();
    const after = await remoteById(remote.id);
    expect(expected(after.shippingAddress)).toEqual(ROME);
    const calls = (await h.calls(since)).filter((c) => c.operationType === 'mutation');
    expect(calls.flatMap((c) => c.rootFields)).toEqual(['orderUpdate']);
    // The whole address goes (a line Retailos left blank as null), so none of Shopify's old lines stays.
    const input = (calls[0]?.variables as { input: { shippingAddress: Record<string, unknown> } }).input;
    expect(input.shippingAddress).toEqual({
      firstName: 'Giulia',
      lastName: 'Conti',
      company: null,
      address1: 'Via del Corso 12',
      address2: 'Scala B',
      city: 'Roma',
      provinceCode: 'RM',
      countryCode: 'IT',
      zip: '00186',
      phone: '+39 06 000 0000',
    });
    expect(await history(local.id)).toEqual([['outbound', 'push', 'update']]);
    expect((await localByName(remote.name)).version).toBe(local.version + 1);

    // Revert the push from Sync History: the address Shopify had before, on both sides, one mutation.
    const [entry] = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 1);
    const revertSince = await h.lastCall();
    const res = await h.api<{ entry: { origin: string; linked_entry_id: number } }>(
      'POST',
      `/api/shopify/history/${entry?.id}/revert`,
      {},
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.entry).toMatchObject({ origin: 'revert', linked_entry_id: entry?.id });
    await h.settle();
    expect(expected((await remoteById(remote.id)).shippingAddress)).toEqual(expected(remote.shippingAddress));
    expect((await localByName(remote.name)).shipping_address).toEqual(expected(remote.shippingAddress));
    expect(mutationsOf(await h.calls(revertSince))).toEqual(['orderUpdate']);
    // The revert's own entry, then the push that carried it (its echo wrote nothing).
    expect(await history(local.id)).toEqual([
      ['outbound', 'push', 'update'],
      ['outbound', 'revert', 'update'],
      ['outbound', 'push', 'update'],
    ]);
  });

  it('a new address set on Shopify reaches Retailos from orders/updated, with no call back', async () => {
    const remote = await withAddress(1);
    const since = await h.lastCall();
    await h.emu.control('PATCH', `/shops/${SHOP}/orders/${remote.id}`, {
      shippingAddress: { firstName: 'Ines', address1: 'Rua Augusta 1', city: 'Lisboa', countryCode: 'PT' },
    });
    await h.settle();
    const local = await localByName(remote.name);
    expect(local.shipping_address).toEqual({
      first_name: 'Ines',
      address1: 'Rua Augusta 1',
      city: 'Lisboa',
      country_code: 'PT',
    });
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    expect(await history(local.id)).toEqual([['inbound', 'webhook', 'update']]);
  });

  it('an order synced before Retailos kept addresses is equal to its base, then takes Shopify’s address at its next webhook and pushes nothing', async () => {
    const remote = await withAddress(2);
    const local = await localByName(remote.name);
    // What the sync held for it before migration 0030: no address on the record, a base without the key.
    const base = await getSyncBase(h.t.db, h.t.a.tenantId, 'order', local.id);
    if (!base) throw new Error('no sync base');
    const { shippingAddress: _dropped, ...older } = base.snapshot as Record<string, Json>;
    await h.t.db.transaction(async (tx) => {
      await tx.query('update orders set shipping_address = null where tenant_id = $1 and id = $2', [
        h.t.a.tenantId,
        local.id,
      ]);
      await upsertSyncBase(
        tx,
        h.t.a.tenantId,
        'order',
        [{ ...base, snapshot: older, hash: snapshotHash(older) }],
        base.syncedAt,
      );
    });
    const state = await h.api<{ push_pending: boolean }>('GET', `/api/shopify/sync-state/order/${local.id}`);
    expect(state.body.push_pending).toBe(false);

    const since = await h.lastCall();
    await h.emu.control('PATCH', `/shops/${SHOP}/orders/${remote.id}`, { note: 'ring twice' });
    await h.settle();
    const now = await localByName(remote.name);
    expect([now.note, now.shipping_address]).toEqual(['ring twice', expected(remote.shippingAddress)]);
    expect(mutationsOf(await h.calls(since))).toEqual([]);
  });
});
