// The reconciliation's repairs read orders and customers again by `id updatedAt` only (1 point a record):
// a record whose `updatedAt` is still the one the run's export read is the export's record (kept with its
// difference), so its full read (an order's line items: ~20 points) is not made. A record that changed on
// Shopify after the export read it shows a later `updatedAt`, is read whole, and is left to live sync:
// never repaired to the older value. Runs on embedded PGlite, and on Postgres when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDifferences, type ReconcileRun } from '../../src/db/shopify-reconcile.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import type { RunReport } from '../../src/sync/reconcile/report.ts';
import { executeRun } from '../../src/sync/reconcile/run.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'reconcile-light.myshopify.com';

interface EmuOrder {
  id: number;
  name: string;
  note: string | null;
}
interface ApiOrder {
  id: string;
  name: string;
  note: string;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '43', '--products', '6', '--customers', '6', '--orders', '10', '--locations', '1'],
    ...['--plan', 'enterprise'],
  ]);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function reconcile(bulkMin?: number): Promise<ReconcileRun> {
  const run = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: false, trigger: 'demand' });
  const done = await executeRun(h.t.deps, h.t.a.tenantId, run.id, {
    wait: yieldOnce,
    pollMs: 0,
    ...(bulkMin === undefined ? {} : { bulkMin }),
  });
  if (!done) throw new Error('the run is gone');
  return done;
}

const report = (r: ReconcileRun): RunReport => r.report as RunReport;
const emuOrders = async (): Promise<EmuOrder[]> =>
  (await h.emu.control<{ orders: EmuOrder[] }>('GET', `/shops/${SHOP}/orders?limit=250`)).orders;
const localOrders = async (): Promise<ApiOrder[]> =>
  (await h.api<{ items: ApiOrder[] }>('GET', '/api/orders?limit=100')).body.items;
const localOrder = async (name: string): Promise<ApiOrder> =>
  (await localOrders()).find((o) => o.name === name) as ApiOrder;
const emuCustomers = async (): Promise<{ id: number }[]> =>
  (await h.emu.control<{ customers: { id: number }[] }>('GET', `/shops/${SHOP}/customers`)).customers;

/** Shopify's clock moves past the second of the edits just made (Shopify's times have whole seconds). */
const nextSecond = () => h.emu.control('POST', '/clock/advance', { seconds: 2 });

/**
 * Every GraphQL document Retailos sends while `body` runs; `before` runs once, just before the first
 * call whose document contains `marker` is sent.
 */
async function documents<T>(
  body: () => Promise<T>,
  hook?: { marker: string; before: () => Promise<void> },
): Promise<{ result: T; docs: string[]; met: boolean }> {
  const orig = globalThis.fetch;
  const docs: string[] = [];
  let met = false;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    if (typeof init?.body === 'string' && init.body.startsWith('{')) {
      const query = (JSON.parse(init.body) as { query?: unknown }).query;
      if (typeof query === 'string') {
        docs.push(query);
        if (hook && !met && query.includes(hook.marker)) {
          met = true;
          await hook.before();
        }
      }
    }
    return orig(input, init);
  }) as typeof fetch;
  try {
    return { result: await body(), docs, met };
  } finally {
    globalThis.fetch = orig;
  }
}

const reads = (docs: string[]) => docs.filter((d) => d.includes('nodes(ids:'));

describe('reconciliation repairs read updatedAt, not whole records', () => {
  it('orders and customers changed on either side are repaired from the export, read again by id updatedAt only', async () => {
    const [os, cs] = [await emuOrders(), await emuCustomers()];
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    for (const o of os.slice(0, 3))
      await h.emu.control('PATCH', `/shops/${SHOP}/orders/${o.id}`, { note: `Shopify ${o.name}` });
    for (const c of cs.slice(0, 2))
      await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c.id}`, { note: 'Shopify note' });
    // Retailos edits whose pushes are lost: three orders, pushed by one bulk mutation (minimum 3 below).
    const pushed = os.slice(5, 8);
    for (const o of pushed)
      expectOk(
        await h.api('PATCH', `/api/orders/${(await localOrder(o.name)).id}`, { note: `Retailos ${o.name}` }),
      );
    await h.t.db.query(`update changes set relayed_at = now() where tenant_id = $1 and relayed_at is null`, [
      h.t.a.tenantId,
    ]);
    await h.emu.control('POST', '/webhooks/drain');
    await h.settle();
    await h.emu.control('DELETE', '/faults');
    await nextSecond();
    const { result: run, docs } = await documents(() => reconcile(3));
    const kinds = report(run).kinds;
    expect(kinds['order']?.repaired).toEqual({ 'Shopify change not received': 3, 'push not delivered': 3 });
    expect(kinds['customer']?.repaired).toEqual({ 'Shopify change not received': 2 });
    // The batched reads asked for updatedAt only: no order's line items, no customer's fields.
    const batched = reads(docs);
    expect(batched.length).toBeGreaterThan(0);
    for (const d of batched) {
      expect(d).toContain('updatedAt');
      expect(d).not.toContain('lineItems');
      expect(d).not.toContain('firstName');
    }
    await h.settle();
    const [emu, local] = [await emuOrders(), await localOrders()];
    for (const o of [...os.slice(0, 3), ...pushed]) {
      const want = os.slice(0, 3).includes(o) ? `Shopify ${o.name}` : `Retailos ${o.name}`;
      expect([emu.find((e) => e.id === o.id)?.note, local.find((l) => l.name === o.name)?.note]).toEqual([
        want,
        want,
      ]);
    }
  });

  it('never backwards: an order changed on Shopify after the export read it is read whole and left to live sync', async () => {
    const o = (await emuOrders())[9] as EmuOrder;
    const before = (await localOrder(o.name)).note;
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    await h.emu.control('PATCH', `/shops/${SHOP}/orders/${o.id}`, { note: 'First Shopify note' });
    await h.settle();
    await nextSecond();
    // After the export read the first note, before the repair reads the order again: a second note on
    // Shopify, its webhook lost too. The export's record is older than Shopify's now.
    const { result: run, met } = await documents(() => reconcile(), {
      marker: 'RetailosReconcileStamps',
      before: async () => {
        await h.emu.control('PATCH', `/shops/${SHOP}/orders/${o.id}`, { note: 'Second Shopify note' });
      },
    });
    await h.emu.control('DELETE', '/faults');
    expect(met).toBe(true);
    const diff = (await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100)).find(
      (d) => d.entity === 'order',
    );
    expect([diff?.state, diff?.outcome]).toEqual([
      'left_to_live_sync',
      'left to live sync: changed on Shopify after the run read it',
    ]);
    // Retailos never took the first note from the run's older read.
    expect((await localOrder(o.name)).note).toBe(before);
  });
});

interface EmuProduct {
  id: number;
  variants: { sku: string | null; inventory: { available: number }[] }[];
}

const emuProducts = async (): Promise<EmuProduct[]> =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products;
const skuOf = async (n: number): Promise<string> => (await emuProducts())[n]?.variants[0]?.sku as string;
const remoteAvailable = async (sku: string): Promise<number> =>
  (await emuProducts()).find((p) => p.variants[0]?.sku === sku)?.variants[0]?.inventory[0]
    ?.available as number;
const localAvailable = async (sku: string): Promise<number> =>
  (await h.api<{ items: { available: number }[] }>('GET', `/api/inventory?sku=${encodeURIComponent(sku)}`))
    .body.items[0]?.available as number;

describe('stock levels are read again by id updatedAt too', () => {
  it('levels moved on Shopify are counted from the export, their quantities not read again', async () => {
    const skus = [await skuOf(0), await skuOf(1), await skuOf(2)];
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    for (const sku of skus) await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku, delta: 4 });
    await h.settle();
    await h.emu.control('DELETE', '/faults');
    await nextSecond();
    const { result: run, docs } = await documents(() => reconcile());
    expect(report(run).kinds['inventory_level']?.repaired).toEqual({ 'Shopify change not received': 3 });
    const levelReads = reads(docs).filter((d) => d.includes('InventoryLevel'));
    expect(levelReads.length).toBeGreaterThan(0);
    for (const d of levelReads) expect(d).not.toContain('quantities');
    for (const sku of skus) expect(await localAvailable(sku)).toBe(await remoteAvailable(sku));
  });

  it('never backwards: a sale on Shopify after the export read the level (its webhook lost) is counted too', async () => {
    const sku = await skuOf(3);
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, { sku, quantity: 10 });
    await h.settle();
    expect(await localAvailable(sku)).toBe(10);
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku, delta: 5 });
    await nextSecond();
    // The export read 15; before the repair reads the level again Shopify sells 2 (its webhook lost).
    const { met } = await documents(() => reconcile(), {
      marker: 'RetailosReconcileLevelStamps',
      before: async () => {
        await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku, delta: -2 });
      },
    });
    await h.emu.control('DELETE', '/faults');
    expect(met).toBe(true);
    await h.settle();
    // Retailos holds what Shopify holds now (13), not the export's older 15.
    expect([await localAvailable(sku), await remoteAvailable(sku)]).toEqual([13, 13]);
  });
});
