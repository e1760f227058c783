// The comparison overlaps the exports: a kind whose export file is ready is compared while Shopify is
// still building another's, instead of each kind waiting for the one before it (issue 16: a no-drift
// run should take little more than the bare export). The emulator's exports are paced on its own clock,
// which the run's poll waits move on — no sleep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueues } from '../../src/jobs/install.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import { executeRun, type Progress } from '../../src/sync/reconcile/run.ts';
import type { RunReport } from '../../src/sync/reconcile/report.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import { startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'reconcile-overlap.myshopify.com';
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '23', '--products', '8', '--variants-per-product', '3'],
    ...['--customers', '2', '--orders', '2', '--locations', '1'],
  ]);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 240_000);
afterAll(async () => {
  await h?.emu.control('POST', '/bulk/settings', { pace: null });
  await h?.close();
});

interface Operation {
  status: string;
  query: string;
}

describe('reconciliation overlaps its comparing with the exports', () => {
  it('a kind whose export is ready is compared while another export is still being built', async () => {
    await h.settle();
    // 2 objects a second of the emulator's clock: the product export (8 products, 24 variants) takes
    // 16 s, the customer export (2) 1 s; each poll's wait moves the emulator's clock half a second.
    await h.emu.control('POST', '/bulk/settings', { pace: 2 });
    const running = async (): Promise<number> =>
      (
        await h.emu.control<{ operations: Operation[] }>('GET', `/bulk/operations?shop=${SHOP}`)
      ).operations.filter((o) => o.status === 'CREATED' || o.status === 'RUNNING').length;
    const seen: { kind: string; exportsRunning: number }[] = [];
    const run = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: true, trigger: 'demand' });
    const done = await executeRun(h.t.deps, h.t.a.tenantId, run.id, {
      pollMs: 0,
      wait: async () => {
        await h.emu.control('POST', '/clock/advance', { ms: 500 });
      },
      onProgress: async (p: Progress) => {
        if (p.phase === 'compare' && p.kind !== 'location')
          seen.push({ kind: p.kind, exportsRunning: await running() });
      },
    });
    await h.emu.control('POST', '/bulk/settings', { pace: null });
    expect(done?.state).toBe('completed');
    // Customers were compared while the product export was still running.
    expect(seen.filter((s) => s.kind === 'customer' && s.exportsRunning > 0)).not.toEqual([]);
    const kinds = (done?.report as RunReport).kinds;
    for (const kind of ['location', 'product', 'customer', 'order', 'inventory_level'])
      expect(kinds[kind]?.equal, kind).toBe(kinds[kind]?.compared);
    expect(kinds['product']?.compared).toBe(8);
  });
});
