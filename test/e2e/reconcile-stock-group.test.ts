import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReconcileRun } from '../../src/db/shopify-reconcile.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import { executeRun, type RunOptions } from '../../src/sync/reconcile/run.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import type { RunReport } from '../../src/sync/reconcile/report.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

// Stock levels changed in Retailos whose pushes were lost go back to Shopify together: one
// inventoryAdjustQuantities call, each change with its own compare-and-set, under one idempotency key.

const SHOP = 'reconcile-stock-group.myshopify.com';

interface EmuProduct {
  id: number;
  variants: { sku: string | null; inventory: { locationId: number; available: number }[] }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    '--seed',
    '43',
    '--products',
    '12',
    '--customers',
    '1',
    '--orders',
    '1',
    '--locations',
    '1',
  ]);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function open(): Promise<string> {
  return (await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: false, trigger: 'demand' })).id;
}

async function execute(id: string, onProgress?: RunOptions['onProgress']): Promise<ReconcileRun> {
  const done = await executeRun(h.t.deps, h.t.a.tenantId, id, {
    wait: yieldOnce,
    pollMs: 0,
    ...(onProgress ? { onProgress } : {}),
  });
  if (!done) throw new Error('the run is gone');
  return done;
}

const report = (r: ReconcileRun): RunReport => r.report as RunReport;
const dropWebhooks = () => h.emu.control('POST', '/faults', { webhookDropRate: 1 });
const faultsOff = () => h.emu.control('DELETE', '/faults');
/** Retailos edits whose pushes are lost: their changes are marked handed before the relay saw them. */
const losePushes = () =>
  h.t.db.query(`update changes set relayed_at = now() where tenant_id = $1 and relayed_at is null`, [
    h.t.a.tenantId,
  ]);

const skus = async (): Promise<string[]> =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products.map(
    (p) => p.variants[0]?.sku as string,
  );

async function local(sku: string): Promise<{ variant_id: string; location_id: string; available: number }> {
  const res = await h.api<{ items: { variant_id: string; location_id: string; available: number }[] }>(
    'GET',
    `/api/inventory?sku=${encodeURIComponent(sku)}`,
  );
  return res.body.items[0] as { variant_id: string; location_id: string; available: number };
}

async function remote(sku: string): Promise<number> {
  const { products } = await h.emu.control<{ products: EmuProduct[] }>(
    'GET',
    `/shops/${SHOP}/products?limit=250`,
  );
  const p = products.find((x) => x.variants[0]?.sku === sku);
  return p?.variants[0]?.inventory[0]?.available as number;
}

/** Both sides at `quantity`, then `delta` added in Retailos with its push lost. */
async function driftInRetailos(some: readonly string[], quantity: number, delta: number): Promise<void> {
  for (const sku of some) await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, { sku, quantity });
  await h.settle();
  for (const sku of some) {
    const l = await local(sku);
    expect(l.available).toBe(quantity);
    expectOk(
      await h.api('POST', '/api/inventory/adjust', {
        variant_id: l.variant_id,
        location_id: l.location_id,
        delta,
        reason: 'correction',
      }),
    );
  }
  await losePushes();
  await h.settle();
}

const reconcileEntries = async (): Promise<{ direction: string; cause: string | null }[]> =>
  (await listHistory(h.t.db, h.t.a.tenantId, { entity: 'inventory_level' }, 200))
    .filter((e) => e.origin === 'reconcile')
    .map((e) => ({ direction: e.direction, cause: e.cause ?? null }));

const adjustCalls = async (since: number) =>
  (await h.calls(since)).filter((c) => c.rootFields.includes('inventoryAdjustQuantities'));

describe('stock pushed back to Shopify together', () => {
  it('four levels whose pushes were lost go in one call, each counted once, each with its history entry', async () => {
    const some = (await skus()).slice(0, 4);
    await driftInRetailos(some, 10, 2);
    const entriesBefore = (await reconcileEntries()).length;
    const since = await h.lastCall();
    const run = await execute(await open());
    expect(report(run).kinds['inventory_level']?.repaired).toEqual({ 'push not delivered': 4 });
    expect(await adjustCalls(since)).toHaveLength(1);
    await h.settle();
    for (const sku of some) expect([(await local(sku)).available, await remote(sku)]).toEqual([12, 12]);
    const entries = (await reconcileEntries()).slice(0, (await reconcileEntries()).length - entriesBefore);
    expect(entries).toEqual(
      Array.from({ length: 4 }, () => ({ direction: 'outbound', cause: 'push not delivered' })),
    );
  });

  it('a sale on Shopify during the run still counts: the stale compare refuses the call, each level goes alone and rebases', async () => {
    const some = (await skus()).slice(4, 7);
    await driftInRetailos(some, 10, 2);
    const sold = some[1] as string;
    let saleMade = false;
    await dropWebhooks();
    const run = await execute(await open(), async (p) => {
      // After Shopify's stock was read, before any repair: one unit sold on Shopify (webhook lost).
      if (p.phase !== 'compare' || p.kind !== 'inventory_level' || saleMade) return;
      saleMade = true;
      await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku: sold, delta: -1 });
    });
    await h.settle();
    await faultsOff();
    expect(saleMade).toBe(true);
    expect(run.state).toBe('completed');
    await h.settle();
    for (const sku of some) {
      const want = sku === sold ? 11 : 12;
      expect([sku, (await local(sku)).available, await remote(sku)]).toEqual([sku, want, want]);
    }
  });

  it("the call's answer lost (Shopify applied it): the retry sends the very same call again, nothing counts twice", async () => {
    const some = (await skus()).slice(7, 11);
    await driftInRetailos(some, 10, 3);
    const entriesBefore = (await reconcileEntries()).length;
    const since = await h.lastCall();
    const orig = globalThis.fetch;
    let lost = false;
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const res = await orig(input, init);
      if (!lost && typeof init?.body === 'string' && init.body.includes('InventorySyncGroup')) {
        lost = true;
        throw new TypeError('fetch failed: the connection was reset');
      }
      return res;
    }) as typeof fetch;
    const id = await open();
    try {
      await expect(execute(id)).rejects.toThrow();
    } finally {
      globalThis.fetch = orig;
    }
    expect(lost).toBe(true);
    // Shopify applied the call; Retailos does not know yet.
    for (const sku of some) expect(await remote(sku)).toBe(13);
    const run = await execute(id);
    expect(run.state).toBe('completed');
    await h.settle();
    for (const sku of some) expect([(await local(sku)).available, await remote(sku)]).toEqual([13, 13]);
    const calls = await adjustCalls(since);
    expect(calls).toHaveLength(2);
    const entries = (await reconcileEntries()).slice(0, (await reconcileEntries()).length - entriesBefore);
    expect(entries).toEqual(
      Array.from({ length: 4 }, () => ({ direction: 'outbound', cause: 'push not delivered' })),
    );
    const again = await execute(await open());
    expect(report(again).kinds['inventory_level']?.differences).toBe(0);
  });
});
