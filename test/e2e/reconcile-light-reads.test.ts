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
