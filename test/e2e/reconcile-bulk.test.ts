// Reconciliation repairs by bulk mutation (decision 0008): a kind's pushing repairs, when there are at
// least the minimum, go by one bulk mutation; the result equals the one-at-a-time path's; a record that
// moved on either side after the run read it is left to live sync; a line Shopify refuses is a dead
// letter and the run goes on; a group is never submitted twice, whatever point an attempt stopped at.
// Runs on embedded PGlite, and on a fresh Postgres database when TEST_DATABASE_URL is set.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDifferences, type ReconcileRun } from '../../src/db/shopify-reconcile.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import type { RunReport } from '../../src/sync/reconcile/report.ts';
import { executeRun, type RunOptions } from '../../src/sync/reconcile/run.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'reconcile-bulk.myshopify.com';
const STORE = ['--seed', '23', '--products', '4', '--customers', '30', '--orders', '30', '--locations', '1'];
/** Both harnesses' groups go by bulk from this many pushes (the one-at-a-time one never). */
const BULK = 3;
const NEVER = Number.MAX_SAFE_INTEGER;

interface EmuCustomer {
  id: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  note: string | null;
  tags: string[];
}
interface EmuOrder {
  id: number;
  name: string;
  note: string | null;
  tags: string[];
}
interface ApiCustomer {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  note: string;
  tags: string[];
}
interface ApiOrder {
  id: string;
  name: string;
  note: string;
  tags: string[];
}

let bulk: SyncHarness;
let single: SyncHarness;

beforeAll(async () => {
  [bulk, single] = [await startSyncHarness(SHOP, STORE), await startSyncHarness(SHOP, STORE)];
  for (const h of [bulk, single]) await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 300_000);
afterAll(async () => {
  await bulk?.close();
  await single?.close();
});

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function reconcile(
  h: SyncHarness,
  bulkMin: number,
  more: Partial<RunOptions> = {},
  dryRun = false,
): Promise<ReconcileRun> {
  const run = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun, trigger: 'demand' });
  const done = await executeRun(h.t.deps, h.t.a.tenantId, run.id, {
    wait: yieldOnce,
    pollMs: 0,
    bulkMin,
    ...more,
  });
  if (!done) throw new Error('the run is gone');
  return done;
}

const byKey = <T>(items: T[], key: (t: T) => string | null): T[] =>
  [...items].sort((a, b) => (key(a) ?? '').localeCompare(key(b) ?? ''));
const customers = async (h: SyncHarness) =>
  byKey(
    (await h.api<{ items: ApiCustomer[] }>('GET', '/api/customers?limit=100')).body.items,
    (c) => c.email,
  );
const orders = async (h: SyncHarness) =>
  byKey((await h.api<{ items: ApiOrder[] }>('GET', '/api/orders?limit=100')).body.items, (o) => o.name);
const emuCustomers = async (h: SyncHarness) =>
  byKey(
    (await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`))
      .customers,
    (c) => c.email,
  );
const emuOrders = async (h: SyncHarness) =>
  byKey(
    (await h.emu.control<{ orders: EmuOrder[] }>('GET', `/shops/${SHOP}/orders?limit=250`)).orders,
    (o) => o.name,
  );

/** Edits whose webhooks (Shopify) and pushes (Retailos) are lost, so only a reconciliation finds them. */
interface Edits {
  customerNotes: { i: number; note: string }[];
  shopifyFirstNames: { i: number; firstName: string }[];
  orderNotes: { i: number; note: string; tags: string[] }[];
}

async function lostEdits(h: SyncHarness, e: Edits): Promise<void> {
  await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
  const [cs, ecs, os] = [await customers(h), await emuCustomers(h), await orders(h)];
  for (const { i, firstName } of e.shopifyFirstNames) {
    const email = cs[i % cs.length]?.email;
    const emu = ecs.find((c) => c.email === email) as EmuCustomer;
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${emu.id}`, { firstName });
  }
  for (const { i, note } of e.customerNotes)
    expectOk(await h.api('PATCH', `/api/customers/${(cs[i % cs.length] as ApiCustomer).id}`, { note }));
  for (const { i, note, tags } of e.orderNotes)
    expectOk(await h.api('PATCH', `/api/orders/${(os[i % os.length] as ApiOrder).id}`, { note, tags }));
  await h.t.db.query(`update changes set relayed_at = now() where tenant_id = $1 and relayed_at is null`, [
    h.t.a.tenantId,
  ]);
  await h.emu.control('POST', '/webhooks/drain');
  await h.settle();
  await h.emu.control('DELETE', '/faults');
}

/** What a run did, comparable across two stores: both sides' records, the report, the history. */
async function outcome(h: SyncHarness, run: ReconcileRun) {
  const cs = await customers(h);
  const os = await orders(h);
  const name = new Map<string, string>([
    ...cs.map((c): [string, string] => [c.id, c.email ?? '']),
    ...os.map((o): [string, string] => [o.id, o.name]),
  ]);
  const history = (await listHistory(h.t.db, h.t.a.tenantId, {}, 10_000))
    .filter((e) => e.origin === 'reconcile' && (e.entity === 'customer' || e.entity === 'order'))
    .map(
      (e) => `${e.entity} ${name.get(e.localId ?? '')} ${e.direction} ${e.cause} ${JSON.stringify(e.diff)}`,
    )
    .sort();
  const report = run.report as RunReport;
  return {
    retailos: {
      cs: cs.map((c) => [c.email, c.first_name, c.last_name, c.note, c.tags]),
      os: os.map((o) => [o.name, o.note, o.tags]),
    },
    shopify: {
      cs: (await emuCustomers(h)).map((c) => [c.email, c.firstName, c.lastName, c.note, c.tags]),
      os: (await emuOrders(h)).map((o) => [o.name, o.note, o.tags]),
    },
    // Checksums hash each store's own times and ids: the counts are what compare.
    report: ['customer', 'order'].map((k) => {
      const { shopify, retailos, ...counts } = report.kinds[k] as NonNullable<(typeof report.kinds)[string]>;
      return { ...counts, shopify: shopify.count, retailos: retailos.count };
    }),
    history,
  };
}

const word = fc.stringMatching(/^[a-z]{1,8}( [a-z]{1,8})?$/);
const edits: fc.Arbitrary<Edits> = fc.record({
  customerNotes: fc.uniqueArray(fc.record({ i: fc.nat(29), note: word }), {
    selector: (r) => r.i,
    maxLength: 10,
  }),
  shopifyFirstNames: fc.uniqueArray(fc.record({ i: fc.nat(29), firstName: word }), {
    selector: (r) => r.i,
    maxLength: 4,
  }),
  orderNotes: fc.uniqueArray(
    fc.record({ i: fc.nat(29), note: word, tags: fc.uniqueArray(word, { maxLength: 2 }) }),
    { selector: (r) => r.i, maxLength: 10 },
  ),
});

describe('reconciliation repairs by bulk mutation', () => {
  it('the bulk path repairs exactly what the one-at-a-time path repairs (fast-check over lost edits)', async () => {
    let bulkLines = 0;
    await fc.assert(
      fc.asyncProperty(edits, async (e) => {
        for (const h of [bulk, single]) await lostEdits(h, e);
        const since = await bulk.lastCall();
        const [b, s] = [await reconcile(bulk, BULK), await reconcile(single, NEVER)];
        expect([b.state, s.state]).toEqual(['completed', 'completed']);
        for (const h of [bulk, single]) await h.settle();
        expect(await outcome(bulk, b)).toEqual(await outcome(single, s));
        // Converged: the lines' echoes applied by live sync, a dry run finds nothing left.
        const dry = await reconcile(bulk, BULK, {}, true);
        expect(await listDifferences(bulk.t.db, bulk.t.a.tenantId, dry.id, 100)).toEqual([]);
        // The pure pushes of a kind with at least BULK of them went as lines, not as calls of their own.
        const pushed = (await listDifferences(bulk.t.db, bulk.t.a.tenantId, b.id, 1000)).filter(
          (d) => d.cause === 'retailos_changed',
        );
        const { rows } = await bulk.t.db.query<{ entity: string; n: number }>(
          `select entity, sum(jsonb_array_length(lines))::int as n from shopify_reconcile_bulk
           where run_id = $1 group by entity`,
          [b.id],
        );
        for (const kind of ['customer', 'order']) {
          const n = pushed.filter((d) => d.entity === kind).length;
          expect(rows.find((r) => r.entity === kind)?.n ?? 0, kind).toBe(n >= BULK ? n : 0);
          bulkLines += n >= BULK ? n : 0;
        }
        const calls = await bulk.calls(since);
        const ops = calls.filter((c) => c.rootFields.includes('bulkOperationRunMutation')).length;
        expect(ops).toBe(rows.length);
      }),
      { numRuns: 4, seed: 1607 },
    );
    // The property is about the bulk path: it was taken.
    expect(bulkLines).toBeGreaterThan(0);
  });
});
