// Reconciliation survives kill -9 of the real product: `retailos start` (bin/retailos.js) is SIGKILLed
// while its own worker repairs a run's differences, and started again. The run's job is taken up again
// (failed at the embedded start-up, or at its missed heartbeat on a Postgres server, then retried) and
// completes; nothing is repaired twice: one Sync History entry per repaired record, each stock change
// counted once, no write sent to Shopify for a change that came from Shopify.
// Runs on embedded PGlite, and on a fresh Postgres database when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../test-support/emulator.ts';
import {
  imported,
  restartUntilRunCompleted,
  startKillStore,
  type KillStore,
} from '../../test-support/kill-store.ts';
import {
  Browser,
  eventually,
  startRetailos,
  withStoppedDb,
  type RetailosProcess,
  type StartSetup,
} from '../../test-support/retailos-process.ts';

const SHOP = 'reconcile-kill.myshopify.com';
const PRODUCTS = 120;
/** Products renamed on Shopify with their webhooks lost, and stock levels moved there. */
const RENAMED = 80;
const RESTOCKED = 10;

interface EmuProduct {
  id: number;
  title: string;
  variants: { sku: string | null; inventory: { locationId: number; available: number }[] }[];
}
interface RunJson {
  id: string;
  state: string;
  phase: string;
  reason: string | null;
  differences: { entity: string; state: string }[];
}

let store: KillStore;
let emu: RunningEmulator;
let setup: StartSetup;
let current: RetailosProcess | undefined;

beforeAll(async () => {
  store = await startKillStore(SHOP, [
    ...['--seed', '41', '--products', String(PRODUCTS), '--customers', '5', '--orders', '5'],
    ...['--locations', '1'],
  ]);
  ({ emu, setup } = store);
}, 120_000);

afterAll(async () => {
  await store?.close(current);
});

const emuProducts = async (): Promise<EmuProduct[]> =>
  (await emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products;

describe('retailos start, killed with -9 while a reconciliation run repairs', () => {
  it(
    'takes the run up again after the restart and repairs each difference once',
    { timeout: 600_000 },
    async () => {
      current = await startRetailos(setup);
      const b = new Browser(current.url);
      await b.login();
      await b.connect(SHOP);
      await imported(b);

      const products = await emuProducts();
      await emu.control('POST', '/faults', { webhookDropRate: 1 });
      for (const p of products.slice(0, RENAMED))
        await emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: `${p.title} (killed run)` });
      const restocked = products.slice(RENAMED, RENAMED + RESTOCKED).map((p) => {
        const v = p.variants[0];
        const at = v?.inventory[0];
        if (!v?.sku || !at) throw new Error(`product ${p.id} has no stock level`);
        return { sku: v.sku, locationId: at.locationId, before: at.available };
      });
      for (const r of restocked)
        await emu.control('POST', `/shops/${SHOP}/inventory/adjust`, {
          sku: r.sku,
          locationId: r.locationId,
          delta: 5,
        });
      // The emulator turns changes into deliveries on its own timer: drain it while the drop is still on,
      // so no delivery of these edits is made after the faults are off.
      await emu.control('POST', '/webhooks/drain');
      await emu.control('DELETE', '/faults');
      const callsBefore = (await emu.control<{ calls: { seq: number }[] }>('GET', `/calls?shop=${SHOP}`))
        .calls;
      const since = callsBefore.at(-1)?.seq ?? 0;

      const started = await b.api<{ id: string }>('POST', '/api/shopify/reconcile', { dry_run: false });
      expect(started.status).toBe(202);
      const runId = started.json.id;
      const atKill = await eventually(
        'the run is in the middle of its repairs',
        async () => {
          const r = (await b.api<RunJson>('GET', `/api/shopify/reconcile/runs/${runId}`)).json;
          if (r.state !== 'running')
            throw new Error(`the run ${r.state} before it could be killed: ${r.reason}`);
          const settled = r.differences.filter((d) => d.state !== 'pending').length;
          return r.phase === 'repair' && settled > 0 ? settled : undefined;
        },
        120_000,
      );
      await current.kill();
      console.log(`kill -9 with ${atKill} of ${RENAMED + RESTOCKED} differences settled`);

      const restarted = await restartUntilRunCompleted<RunJson>(setup, runId);
      current = restarted.running;
      const done = restarted.run;
      // Every edit's delivery was dropped: each one is a difference, found once.
      expect(done.differences.length).toBe(RENAMED + RESTOCKED);
      expect(done.differences.filter((d) => d.state === 'pending' || d.state === 'failed')).toEqual([]);
      // Repairs went one way (Shopify → Retailos): nothing was written to Shopify, before or after the kill.
      const after = (
        await emu.control<{ calls: { operationType: string | null; rootFields: string[] }[] }>(
          'GET',
          `/calls?shop=${SHOP}&since=${since}`,
        )
      ).calls.filter(
        (c) => c.operationType === 'mutation' && !c.rootFields.includes('bulkOperationRunQuery'),
      );
      expect(after).toEqual([]);
      expect(await current.stop()).toBe(0);
      current = undefined;

      await withStoppedDb(setup, async (db) => {
        const titles = await db.query<{ title: string }>(
          `select title from products where title like '%(killed run)'`,
        );
        expect(titles.rows).toHaveLength(RENAMED);
        // One reconcile entry per repaired record: a repair made twice would show two. (A repair the kill
        // cut off after its write is left to live sync by the retry: its entry is the first life's.)
        const entries = await db.query<{ entity: string; local_id: string; n: number }>(
          `select entity, local_id, count(*)::int as n from shopify_sync_history where origin = 'reconcile'
         group by entity, local_id`,
        );
        expect(entries.rows.filter((e) => e.n !== 1)).toEqual([]);
        const written = done.differences.filter(
          (d) => d.state === 'repaired' || d.state === 'left_to_live_sync',
        );
        for (const entity of ['product', 'inventory_level'])
          expect(entries.rows.filter((e) => e.entity === entity).length, entity).toBe(
            written.filter((d) => d.entity === entity).length,
          );
        // Each stock change counted once: the level moved by Shopify's +5, not twice.
        for (const r of restocked) {
          const level = await db.query<{ available: number }>(
            `select l.available from inventory_levels l join variants v on v.id = l.variant_id where v.sku = $1`,
            [r.sku],
          );
          expect(
            level.rows.map((x) => x.available),
            r.sku,
          ).toEqual([r.before + 5]);
        }
      });
    },
  );
});
