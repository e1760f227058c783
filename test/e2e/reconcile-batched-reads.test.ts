import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDifferences, type ReconcileRun } from '../../src/db/shopify-reconcile.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import { executeRun } from '../../src/sync/reconcile/run.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import type { RunReport } from '../../src/sync/reconcile/report.ts';
import { expectOk, startSyncHarness, type ApiProduct, type SyncHarness } from '../../test-support/sync.ts';

// The reconciliation's repairs read what the records are now on Shopify once per batch (`nodes(ids:)`),
// not once per record, and a record that moves after that read is still never repaired backwards.

const SHOP = 'reconcile-batched.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  variants: { id: number; sku: string | null; inventory: { locationId: number; available: number }[] }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    '--seed',
    '41',
    '--products',
    '8',
    '--customers',
    '4',
    '--orders',
    '4',
    '--locations',
    '1',
  ]);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function reconcile(): Promise<ReconcileRun> {
  const run = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: false, trigger: 'demand' });
  const done = await executeRun(h.t.deps, h.t.a.tenantId, run.id, { wait: yieldOnce, pollMs: 0 });
  if (!done) throw new Error('the run is gone');
  return done;
}

const report = (r: ReconcileRun): RunReport => r.report as RunReport;
const dropWebhooks = () => h.emu.control('POST', '/faults', { webhookDropRate: 1 });
const faultsOff = () => h.emu.control('DELETE', '/faults');
const products = async (): Promise<EmuProduct[]> =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products;
async function pick(n: number): Promise<EmuProduct> {
  const p = (await products())[n];
  if (!p) throw new Error(`no product #${n}`);
  return p;
}
const sku0 = (p: EmuProduct): string => p.variants[0]?.sku as string;

async function localBySku(sku: string): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  return res.body.items[0] as ApiProduct;
}

async function localAvailable(sku: string): Promise<number> {
  const res = await h.api<{ items: { available: number }[] }>(
    'GET',
    `/api/inventory?sku=${encodeURIComponent(sku)}`,
  );
  return res.body.items[0]?.available as number;
}

async function remoteAvailable(n: number): Promise<number> {
  const p = await pick(n);
  return p.variants[0]?.inventory[0]?.available as number;
}

/**
 * Runs `then` once, right after the first Admin API call whose document contains `marker` is answered
 * (before its caller reads the answer): a change made "after the run read it". Undone by the result.
 */
function afterCall(marker: string, then: () => Promise<void>): { undo: () => void; met: () => boolean } {
  const orig = globalThis.fetch;
  let done = false;
  globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const res = await orig(input, init);
    if (!done && typeof init?.body === 'string' && init.body.includes(marker)) {
      done = true;
      await then();
    }
    return res;
  }) as typeof fetch;
  return {
    undo: () => {
      globalThis.fetch = orig;
    },
    met: () => done,
  };
}

describe('reconciliation repairs read Shopify once per batch', () => {
  it('changes on Shopify whose webhooks were lost (orders, customers, stock) are read in batches, no read per record', async () => {
    const orders = (await h.emu.control<{ orders: { id: number }[] }>('GET', `/shops/${SHOP}/orders`)).orders;
    const customers = (
      await h.emu.control<{ customers: { id: number }[] }>('GET', `/shops/${SHOP}/customers`)
    ).customers;
    await dropWebhooks();
    for (const o of orders.slice(0, 3))
      await h.emu.control('PATCH', `/shops/${SHOP}/orders/${o.id}`, { note: 'changed on Shopify' });
    for (const c of customers.slice(0, 3))
      await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c.id}`, { note: 'changed on Shopify' });
    for (const n of [0, 1, 2])
      await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku: sku0(await pick(n)), delta: 4 });
    await h.settle();
    await faultsOff();
    // Shopify's clock past the edits' second: their updatedAt then proves the export's records current
    // (read-nodes.ts stampHolds), so orders and customers are read again by `id updatedAt` alone.
    await h.emu.control('POST', '/clock/advance', { seconds: 2 });
    const since = await h.lastCall();
    const run = await reconcile();
    const kinds = report(run).kinds;
    expect(kinds['order']?.repaired).toEqual({ 'Shopify change not received': 3 });
    expect(kinds['customer']?.repaired).toEqual({ 'Shopify change not received': 3 });
    expect(kinds['inventory_level']?.repaired).toEqual({ 'Shopify change not received': 3 });
    const calls = await h.calls(since);
    const count = (field: string) => calls.filter((c) => c.rootFields.includes(field)).length;
    // One batched read per kind repaired (orders, customers, stock levels); none record by record.
    expect(count('nodes')).toBe(3);
    expect([count('order'), count('customer'), count('inventoryItem')]).toEqual([0, 0, 0]);
    for (const n of [0, 1, 2])
      expect(await localAvailable(sku0(await pick(n)))).toBe(await remoteAvailable(n));
  });

  it('never backwards, stock: a sale on Shopify applied by live sync after the batched read is not undone', async () => {
    const n = 5;
    const sku = sku0(await pick(n));
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, { sku, quantity: 10 });
    await h.settle();
    expect(await localAvailable(sku)).toBe(10);
    await dropWebhooks();
    await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku, delta: 5 });
    await h.settle();
    await faultsOff();
    // After the run read the level (15; by its updatedAt, or whole), Shopify sells 3 and live sync
    // counts it (12, its base moves).
    const hook = afterCall('RetailosReconcileLevel', async () => {
      await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku, delta: -3 });
      await h.settle();
    });
    let run: ReconcileRun;
    try {
      run = await reconcile();
    } finally {
      hook.undo();
    }
    expect(hook.met()).toBe(true);
    await h.settle();
    // The read of 15 is not counted against the newer base: both sides hold 12.
    expect([await localAvailable(sku), await remoteAvailable(n)]).toEqual([12, 12]);
    const diffs = await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100);
    // Not repaired from the older read: found equal, or left to live sync (it holds the later change).
    const states = diffs.filter((d) => d.entity === 'inventory_level').map((d) => d.state);
    expect(states).toHaveLength(1);
    expect(['unchanged', 'left_to_live_sync']).toContain(states[0]);
  });

  it('never backwards, records: edits on both sides after the batched read are merged with Shopify as it is then', async () => {
    const n = 6;
    const p = await pick(n);
    const local = await localBySku(sku0(p));
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'First Shopify title' });
    await h.settle();
    // After the run read the product (its title the first one): the merchant retitles it in Retailos,
    // a minute later Shopify's title changes again (its webhook lost too). The later edit must win.
    const hook = afterCall('RetailosReconcileRead', async () => {
      h.t.clock.set(new Date(Math.max(h.t.clock.now().getTime(), Date.now()) + 60_000));
      expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title: 'Retailos title' }));
      await h.emu.control('POST', '/clock/advance', { seconds: 180 });
      await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Second Shopify title' });
    });
    let run: ReconcileRun;
    try {
      run = await reconcile();
    } finally {
      hook.undo();
    }
    expect(hook.met()).toBe(true);
    await faultsOff();
    await h.settle();
    expect([(await pick(n)).title, (await localBySku(sku0(p))).title]).toEqual([
      'Second Shopify title',
      'Second Shopify title',
    ]);
    expect(run.state).toBe('completed');
  });
});
