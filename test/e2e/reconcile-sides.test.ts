// Reconciliation beyond products, customers and orders: locations, stock levels on one side only, run
// order, the points a run spends (its repairs' calls included), and live pushes before the run's calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDifferences, type ReconcileRun } from '../../src/db/shopify-reconcile.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { snapshotHash, type Json } from '../../src/domain/shopify-map/index.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import { createShopLimiter } from '../../src/shopify/limiter.ts';
import { executeRun } from '../../src/sync/reconcile/run.ts';
import type { RunReport } from '../../src/sync/reconcile/report.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  type EmuCall,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'reconcile-sides.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  variants: {
    id: number;
    sku: string | null;
    inventory: { locationId: number; available: number }[];
  }[];
}
interface ApiLocation {
  id: string;
  name: string;
  active: boolean;
}

let h: SyncHarness;
let tenantId: string;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '37', '--products', '4'],
    ...['--customers', '2', '--orders', '2', '--locations', '2'],
  ]);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
  tenantId = h.t.a.tenantId;
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function reconcile(dryRun = false): Promise<ReconcileRun> {
  const run = await requestRun(h.t.deps, tenantId, { dryRun, trigger: 'demand' });
  const done = await executeRun(h.t.deps, tenantId, run.id, { wait: yieldOnce, pollMs: 0 });
  if (!done) throw new Error('the run is gone');
  return done;
}

const report = (r: ReconcileRun): RunReport => r.report as RunReport;
const dropWebhooks = () => h.emu.control('POST', '/faults', { webhookDropRate: 1 });
const faultsOff = () => h.emu.control('DELETE', '/faults');
/** Retailos edits whose pushes are lost: their changes are marked handed before the relay saw them. */
const losePushes = () =>
  h.t.db.query(`update changes set relayed_at = now() where tenant_id = $1 and relayed_at is null`, [
    tenantId,
  ]);

const locations = async (): Promise<ApiLocation[]> =>
  (await h.api<{ items: ApiLocation[] }>('GET', '/api/locations')).body.items;
const emuProducts = async (): Promise<EmuProduct[]> =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products;

describe('reconciliation of locations, one-sided stock, run order, points and priority', () => {
  it('runs opened in the same millisecond are listed in the order they were opened', async () => {
    await h.settle();
    const at = h.t.clock.now();
    h.t.clock.set(at);
    const first = await reconcile(true);
    h.t.clock.set(at);
    const second = await reconcile(true);
    expect(second.startedAt.getTime()).toBe(first.startedAt.getTime());
    expect(second.seq).toBeGreaterThan(first.seq);
    const runs = await h.api<{ items: { id: string }[] }>('GET', '/api/shopify/reconcile/runs');
    expect(runs.body.items.slice(0, 2).map((r) => r.id)).toEqual([second.id, first.id]);
    const health = await h.api<{ reconciliation: { last: { id: string } | null } }>(
      'GET',
      '/api/shopify/health',
    );
    expect(health.body.reconciliation.last?.id).toBe(second.id);
  });

  it('locations are repaired from Shopify: its change applied, a Retailos edit undone, one gone deactivated, one only in Retailos kept', async () => {
    const [a, b] = await locations();
    if (!a || !b) throw new Error('two locations expected');
    // Shopify renamed `a` and its webhook was lost: Retailos and its base still hold the name before.
    const base = await h.t.db.query<{ snapshot: Record<string, Json> }>(
      `select snapshot from shopify_links where tenant_id = $1 and entity = 'location' and local_id = $2`,
      [tenantId, a.id],
    );
    const before = {
      ...(base.rows[0]?.snapshot as Record<string, Json>),
      name: 'Name before Shopify renamed it',
    };
    await h.t.db.query(
      `update shopify_links set snapshot = $3, snapshot_hash = $4 where tenant_id = $1 and entity = 'location' and local_id = $2`,
      [tenantId, a.id, JSON.stringify(before), snapshotHash(before)],
    );
    await h.t.db.query(`update locations set name = $3 where tenant_id = $1 and id = $2`, [
      tenantId,
      a.id,
      before.name,
    ]);
    expectOk(await h.api('PATCH', `/api/locations/${b.id}`, { name: 'Renamed in Retailos' }));
    const backRoom = await h.api<ApiLocation>('POST', '/api/locations', { name: 'Back room' });
    expectOk(backRoom, 201);
    // A location linked to Shopify that Shopify no longer has.
    const closed = await h.api<ApiLocation>('POST', '/api/locations', { name: 'Closed store' });
    expectOk(closed, 201);
    const gone = { name: 'Closed store', address: {}, active: true };
    await h.t.db.query(
      `insert into shopify_links (tenant_id, entity, local_id, gid, snapshot_hash, snapshot, synced_at)
       values ($1, 'location', $2, $3, $4, $5, now())`,
      [
        tenantId,
        closed.body.id,
        'gid://shopify/Location/987654321',
        snapshotHash(gone),
        JSON.stringify(gone),
      ],
    );
    await losePushes();
    const since = await h.lastCall();

    const run = await reconcile();
    const after = new Map((await locations()).map((l) => [l.id, l]));
    expect(after.get(a.id)?.name).toBe(a.name);
    expect(after.get(b.id)?.name).toBe(b.name);
    expect(after.get(backRoom.body.id)).toMatchObject({ name: 'Back room', active: true });
    expect(after.get(closed.body.id)).toMatchObject({ name: 'Closed store', active: false });
    const links = await h.t.db.query(`select 1 from shopify_links where tenant_id = $1 and local_id = $2`, [
      tenantId,
      closed.body.id,
    ]);
    expect(links.rows).toEqual([]);
    expect(report(run).kinds['location']?.repaired).toEqual({
      'Shopify change not received': 1,
      'edited in Retailos: locations are kept as Shopify has them': 1,
      'deleted on Shopify, deletion not received': 1,
    });
    const kept = (await listDifferences(h.t.db, tenantId, run.id, 100)).find(
      (d) => d.localId === backRoom.body.id,
    );
    expect(kept).toMatchObject({
      state: 'unchanged',
      outcome: 'kept in Retailos only: Retailos never creates locations on Shopify',
    });
    const entries = await listHistory(h.t.db, tenantId, { entity: 'location' }, 10);
    expect(
      entries
        .filter((e) => e.origin === 'reconcile')
        .map((e) => [e.displayName, e.cause])
        .sort(),
    ).toEqual(
      [
        [a.name, 'Shopify change not received'],
        [b.name, 'edited in Retailos: locations are kept as Shopify has them'],
        ['Closed store', 'deleted on Shopify, deletion not received'],
      ].sort(),
    );
    // Retailos never writes a location to Shopify.
    expect(mutationsOf(await h.calls(since)).filter((m) => m !== 'bulkOperationRunQuery')).toEqual([]);
  });

  it('stock on one side only: a level created on Shopify is applied, a level only Retailos counted is pushed', async () => {
    const [loc] = (await emuProducts())[0]?.variants[0]?.inventory ?? [];
    if (!loc) throw new Error('no stock level on the emulator');
    await dropWebhooks();
    await h.emu.control('POST', `/shops/${SHOP}/products`, {
      title: 'Made on Shopify',
      variants: [{ sku: 'MADE-ON-SHOPIFY', price: '3.00' }],
    });
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
      sku: 'MADE-ON-SHOPIFY',
      locationId: loc.locationId,
      quantity: 7,
    });
    await h.settle();
    await faultsOff();
    const made = await h.api<{ id: string; variants: { id: string }[] }>('POST', '/api/products', {
      title: 'Made in Retailos',
      variants: [{ sku: 'MADE-IN-RETAILOS', price: '4.00' }],
    });
    expectOk(made, 201);
    const [place] = (await locations()).filter((l) => l.active && l.name !== 'Back room');
    expectOk(
      await h.api('POST', '/api/inventory/adjust', {
        variant_id: made.body.variants[0]?.id,
        location_id: place?.id,
        delta: 4,
        reason: 'received',
      }),
    );
    await losePushes();
    await h.settle();

    const run = await reconcile();
    const level = async (sku: string) =>
      (
        await h.api<{ items: { available: number; location_id: string }[] }>(
          'GET',
          `/api/inventory?sku=${encodeURIComponent(sku)}`,
        )
      ).body.items.filter((l) => l.available !== 0);
    expect((await level('MADE-ON-SHOPIFY')).map((l) => l.available)).toEqual([7]);
    const remote = (await emuProducts()).find((p) => p.title === 'Made in Retailos');
    expect(remote?.variants[0]?.inventory.map((i) => i.available).filter((n) => n !== 0)).toEqual([4]);
    expect(report(run).kinds['inventory_level']?.repaired).toEqual({
      'created on Shopify, never received': 1,
      'created in Retailos, never pushed': 1,
    });
    const entries = (await listHistory(h.t.db, tenantId, { entity: 'inventory_level' }, 20)).filter(
      (e) => e.origin === 'reconcile',
    );
    expect(entries.map((e) => [e.direction, e.cause]).sort()).toEqual(
      [
        ['inbound', 'created on Shopify, never received'],
        ['outbound', 'created in Retailos, never pushed'],
      ].sort(),
    );
    // Both sides hold the same now: the next run finds no stock difference.
    const again = await reconcile();
    expect(report(again).kinds['inventory_level']?.differences).toBe(0);
    expect(report(again).kinds['inventory_level']?.shopify).toEqual(
      report(again).kinds['inventory_level']?.retailos,
    );
  });

  it("points spent are every call of the run, its repairs' included", async () => {
    const p = (await emuProducts())[1] as EmuProduct;
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Counted title' });
    await h.settle();
    await faultsOff();
    const since = await h.lastCall();
    const run = await reconcile();
    expect(report(run).kinds['product']?.repaired).toEqual({ 'Shopify change not received': 1 });
    const calls = (await h.calls(since)) as (EmuCall & { actualCost: number | null })[];
    const spent = calls.reduce((n, c) => n + (c.throttled ? 0 : Math.round(c.actualCost ?? 0)), 0);
    expect(calls.some((c) => c.operationType === 'query' && !c.rootFields.includes('bulkOperation'))).toBe(
      true,
    );
    expect(report(run).points_spent).toBe(spent);
    expect(run.pointsSpent).toBe(spent);
  });

  it("a live push goes before the run's calls when the shared budget is low", async () => {
    // pg-boss's job priority orders the jobs of one queue; pushes and runs are different queues, each
    // with its own worker. What keeps pushes first is the shared cost budget: a run's calls are
    // background calls, which leave a quarter of the bucket for live ones.
    const product = (await h.api<{ items: { id: string }[] }>('GET', '/api/products?limit=1')).body.items[0];
    expectOk(await h.api('PATCH', `/api/products/${product?.id}`, { vendor: 'Pushed while the run waits' }));
    await h.t.db.query(
      `update shopify_throttle set currently_available = 300, observed_at = $2 where tenant_id = $1`,
      [tenantId, h.t.clock.now()],
    );
    const since = await h.lastCall();
    const waits: { ms: number; pushedFirst: boolean }[] = [];
    const shared = h.t.deps.limiter;
    h.t.deps.limiter = createShopLimiter({
      db: h.t.db,
      clock: h.t.clock,
      sleep: async (ms) => {
        // The run waits for its points: the merchant's edit is pushed meanwhile.
        if (waits.length === 0) await h.settle();
        waits.push({ ms, pushedFirst: mutationsOf(await h.calls(since)).includes('productSet') });
        h.t.clock.advance(ms);
      },
    });
    try {
      await reconcile(true);
    } finally {
      h.t.deps.limiter = shared;
    }
    expect(waits[0]?.ms).toBeGreaterThan(0);
    expect(waits[0]?.pushedFirst).toBe(true);
    const order = (await h.calls(since))
      .filter((c) => c.operationType === 'mutation')
      .map((c) => c.rootFields[0]);
    expect(order.indexOf('productSet')).toBeLessThan(order.indexOf('bulkOperationRunQuery'));
    expect(order.indexOf('productSet')).toBeGreaterThanOrEqual(0);
  });
});
