// A reconciliation's bulk repair survives kill -9 of the real product: `retailos start` is SIGKILLed while
// Shopify runs the run's bulk mutation (decision 0008), and started again. The run is taken up again, the
// group is found by its stored operation, its results are applied, and nothing is sent or repaired twice:
// one bulk mutation on Shopify, no single push of those records, one Sync History entry per record.
// Runs on embedded PGlite, and on a fresh Postgres database when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from '../../test-support/retailos-process.ts';

const SHOP = 'reconcile-bulk-kill.myshopify.com';
/** Customers edited in Retailos with their pushes lost: more than the bulk minimum (25). */
const EDITED = 30;

interface RunJson {
  id: string;
  state: string;
  phase: string;
  reason: string | null;
  differences: { entity: string; state: string; local_id: string | null }[];
}
interface EmuOperation {
  type: string;
  status: string;
}

let store: KillStore;
let current: RetailosProcess | undefined;

beforeAll(async () => {
  store = await startKillStore(SHOP, [
    ...['--seed', '43', '--products', '3', '--customers', String(EDITED + 5), '--orders', '3'],
    ...['--locations', '1'],
  ]);
}, 120_000);

afterAll(async () => {
  await store?.close(current);
});

const mutations = async (): Promise<EmuOperation[]> =>
  (
    await store.emu.control<{ operations: EmuOperation[] }>('GET', `/bulk/operations?shop=${SHOP}`)
  ).operations.filter((o) => o.type === 'MUTATION');

describe('retailos start, killed with -9 while Shopify runs a reconciliation bulk mutation', () => {
  it(
    'takes the group up again after the restart: one bulk mutation, each record repaired once',
    { timeout: 600_000 },
    async () => {
      const { emu, setup } = store;
      current = await startRetailos(setup);
      let b = new Browser(current.url);
      await b.login();
      await b.connect(SHOP);
      await imported(b);
      expect(await current.stop()).toBe(0);
      current = undefined;
      // Retailos edits whose pushes were lost: written while the product was down, no change rows.
      const edited = await withStoppedDb(setup, async (db) => {
        const { rows } = await db.query<{ id: string; email: string }>(
          `update customers set note = 'Killed bulk ' || email, version = version + 1, updated_at = now()
           where id in (select id from customers where email is not null order by email limit $1)
           returning id, email`,
          [EDITED],
        );
        return rows;
      });
      expect(edited).toHaveLength(EDITED);
      // Shopify runs bulk lines (and exports) at 10 a second: the mutation runs ~3 s, time to kill in.
      await emu.control('POST', '/bulk/settings', { pace: 10 });
      const since =
        (await emu.control<{ calls: { seq: number }[] }>('GET', `/calls?shop=${SHOP}`)).calls.at(-1)?.seq ??
        0;

      current = await startRetailos(setup);
      b = new Browser(current.url);
      await b.login();
      const started = await b.api<{ id: string }>('POST', '/api/shopify/reconcile', { dry_run: false });
      expect(started.status).toBe(202);
      const runId = started.json.id;
      await eventually(
        "the run's bulk mutation is running on Shopify",
        async () => {
          const ops = await mutations();
          if (ops.some((o) => o.status === 'COMPLETED'))
            throw new Error('the bulk mutation ended before the kill');
          return ops.some((o) => o.status === 'RUNNING') ? true : undefined;
        },
        120_000,
      );
      await current.kill();
      const atKill = (await mutations()).map((o) => o.status);

      const restarted = await restartUntilRunCompleted<RunJson>(setup, runId);
      current = restarted.running;
      const done = restarted.run;
      console.log(`kill -9 while the bulk mutation was ${atKill.join(', ')}`);
      const ids = new Set(edited.map((e) => e.id));
      const ours = done.differences.filter((d) => ids.has(d.local_id ?? ''));
      expect(ours.map((d) => d.state)).toEqual(edited.map(() => 'repaired'));
      // Sent once: one bulk mutation, and no single push of these records before or after the kill.
      expect((await mutations()).map((o) => o.status)).toEqual(['COMPLETED']);
      const calls = (
        await emu.control<{ calls: { operationType: string | null; rootFields: string[] }[] }>(
          'GET',
          `/calls?shop=${SHOP}&since=${since}`,
        )
      ).calls;
      expect(calls.filter((c) => c.rootFields.includes('customerSet'))).toEqual([]);
      expect(calls.filter((c) => c.rootFields.includes('bulkOperationRunMutation'))).toHaveLength(1);
      const onShopify = (
        await emu.control<{ customers: { email: string | null; note: string | null }[] }>(
          'GET',
          `/shops/${SHOP}/customers?limit=250`,
        )
      ).customers;
      for (const e of edited)
        expect(onShopify.find((c) => c.email === e.email)?.note).toBe(`Killed bulk ${e.email}`);
      expect(await current.stop()).toBe(0);
      current = undefined;

      await withStoppedDb(setup, async (db) => {
        // One reconcile entry per record, with its cause: a line settled twice would show two.
        const entries = await db.query<{ local_id: string; n: number; causes: string[] }>(
          `select local_id, count(*)::int as n, array_agg(distinct cause) as causes from shopify_sync_history
           where origin = 'reconcile' and entity = 'customer' group by local_id`,
        );
        expect(entries.rows.filter((e) => ids.has(e.local_id)).map((e) => [e.n, e.causes])).toEqual(
          edited.map(() => [1, ['push not delivered']]),
        );
        const bulk = await db.query<{ state: string }>(`select state from shopify_reconcile_bulk`);
        expect(bulk.rows).toEqual([{ state: 'done' }]);
      });
    },
  );
});
