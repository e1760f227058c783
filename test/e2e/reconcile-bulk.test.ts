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
// Enterprise's bucket: the one-at-a-time twin reads twice per push, on the emulator's real clock.
const STORE = [
  ...['--seed', '23', '--products', '4', '--customers', '30', '--orders', '30', '--locations', '1'],
  ...['--plan', 'enterprise'],
];
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

/** Makes `edit`'s changes lost: Shopify's webhooks dropped, Retailos's pushes never made. */
async function lost(h: SyncHarness, edit: () => Promise<void>): Promise<void> {
  await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
  await edit();
  await h.t.db.query(`update changes set relayed_at = now() where tenant_id = $1 and relayed_at is null`, [
    h.t.a.tenantId,
  ]);
  await h.emu.control('POST', '/webhooks/drain');
  await h.settle();
  await h.emu.control('DELETE', '/faults');
}

async function lostEdits(h: SyncHarness, e: Edits): Promise<void> {
  await lost(h, async () => {
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
  });
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

/** The newest Sync History entry's id: entries after it are the next run's. */
const lastEntry = async (h: SyncHarness): Promise<number> =>
  (await listHistory(h.t.db, h.t.a.tenantId, {}, 1))[0]?.id ?? 0;

/** A run with edits made at its first repair progress (products go first): after it read, before any bulk line. */
async function reconcileWith(h: SyncHarness, atRepair: () => Promise<void>): Promise<ReconcileRun> {
  let hooked = false;
  const run = await reconcile(h, BULK, {
    onProgress: async (p) => {
      if (p.phase !== 'repair' || hooked) return;
      hooked = true;
      await atRepair();
    },
  });
  expect(hooked).toBe(true);
  return run;
}

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
        // The pure pushes of a kind with at least BULK of them went as lines, not as calls of their own;
        // those that change tags went one at a time (a line would replace Shopify's list: bulk-repair.ts).
        const pushed = (await listDifferences(bulk.t.db, bulk.t.a.tenantId, b.id, 1000)).filter(
          (d) =>
            d.cause === 'retailos_changed' &&
            !(d.fields as { path: string }[]).some((f) => /^tags\b/.test(f.path)),
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

  it('never backwards, and a refused line: a record moved on either side after the run read it is left to live sync; a line Shopify refuses is a dead letter; the other lines are repaired', async () => {
    const h = bulk;
    const cs = (await customers(h)).slice(0, 7);
    const [x, y, bad, ...rest] = cs as [ApiCustomer, ApiCustomer, ApiCustomer, ...ApiCustomer[]];
    const emuY = (await emuCustomers(h)).find((c) => c.email === y.email) as EmuCustomer;
    const product = (
      await h.emu.control<{ products: { id: number }[] }>('GET', `/shops/${SHOP}/products?limit=1`)
    ).products[0] as { id: number };
    await lost(h, async () => {
      // A product difference repaired first gives the run's first repair progress (the hook below).
      await h.emu.control('PATCH', `/shops/${SHOP}/products/${product.id}`, { title: 'Bulk race product' });
      for (const c of cs)
        expectOk(await h.api('PATCH', `/api/customers/${c.id}`, { note: `Lost push ${c.email}` }));
      expectOk(await h.api('PATCH', `/api/customers/${bad.id}`, { phone: 'not a phone' }));
    });
    const before = await lastEntry(h);
    const run = await reconcileWith(h, async () => {
      // After the run read both sides, before the customers' group is read again and built.
      expectOk(await h.api('PATCH', `/api/customers/${x.id}`, { last_name: 'Edited during the run' }));
      await h.emu.control('PATCH', `/shops/${SHOP}/customers/${emuY.id}`, {
        firstName: 'Shopify during run',
      });
    });
    expect(run.state).toBe('completed');
    const diffs = (await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100)).filter(
      (d) => d.entity === 'customer',
    );
    const of = (c: ApiCustomer) => diffs.find((d) => d.localId === c.id);
    expect([of(x)?.state, of(x)?.outcome]).toEqual([
      'left_to_live_sync',
      'left to live sync: edited in Retailos after the run read it',
    ]);
    expect([of(y)?.state, of(y)?.outcome]).toEqual([
      'left_to_live_sync',
      'left to live sync: changed on Shopify after the run read it',
    ]);
    expect(of(bad)?.state).toBe('failed');
    expect(of(bad)?.outcome).toMatch(/Phone is invalid/);
    for (const c of rest) expect([c.email, of(c)?.state]).toEqual([c.email, 'repaired']);
    // The group went as one bulk mutation of the lines not left: the refused one among them.
    const { rows } = await h.t.db.query<{ keys: string[] }>(
      `select array(select l->>'localId' from jsonb_array_elements(lines) l) as keys from shopify_reconcile_bulk
       where run_id = $1 and entity = 'customer'`,
      [run.id],
    );
    expect(rows.map((r) => [...r.keys].sort())).toEqual([[bad.id, ...rest.map((c) => c.id)].sort()]);
    const letters = await h.api<{ items: { local_id: string | null; last_error: string }[] }>(
      'GET',
      '/api/shopify/dead-letters',
    );
    expect(letters.body.items.find((l) => l.local_id === bad.id)?.last_error).toMatch(/Phone is invalid/);
    // One reconcile entry per repaired record, with its cause; none for the records left.
    for (const c of [x, y, bad, ...rest]) {
      const entries = (await listHistory(h.t.db, h.t.a.tenantId, { localId: c.id }, 20)).filter(
        (e) => e.origin === 'reconcile' && e.id > before,
      );
      const repaired = rest.includes(c);
      expect(entries.map((e) => [e.direction, e.cause])).toEqual(
        repaired ? [['outbound', 'push not delivered']] : [],
      );
    }
    const onShopify = await emuCustomers(h);
    for (const c of rest)
      expect(onShopify.find((e) => e.email === c.email)?.note).toBe(`Lost push ${c.email}`);
    // Live sync then carries the moved records: nothing went backwards.
    await h.settle();
    const after = await customers(h);
    expect(after.find((c) => c.id === x.id)?.last_name).toBe('Edited during the run');
    expect(after.find((c) => c.id === y.id)?.first_name).toBe('Shopify during run');
    expect((await emuCustomers(h)).find((c) => c.email === x.email)?.lastName).toBe('Edited during the run');
  });

  it('a group left staging by a kill after Shopify took it is found again by its operation name: adopted, nothing applied twice', async () => {
    const h = bulk;
    const os = (await orders(h)).slice(0, 4);
    await lost(h, async () => {
      for (const o of os)
        expectOk(await h.api('PATCH', `/api/orders/${o.id}`, { note: `Found again ${o.name}` }));
    });
    const before = await lastEntry(h);
    const run = await reconcile(h, BULK);
    expect(run.state).toBe('completed');
    const { rows } = await h.t.db.query<{ id: string; operation_id: string }>(
      `select id::text, operation_id from shopify_reconcile_bulk where run_id = $1`,
      [run.id],
    );
    expect(rows).toHaveLength(1);
    const entries = async () =>
      (await listHistory(h.t.db, h.t.a.tenantId, { entity: 'order' }, 1000)).filter(
        (e) => e.origin === 'reconcile' && e.id > before && os.some((o) => o.id === e.localId),
      ).length;
    expect(await entries()).toBe(os.length);
    // As a kill right after bulkOperationRunMutation answered leaves it: the id not stored yet.
    await h.t.db.query(
      `update shopify_reconcile_bulk set state = 'staging', operation_id = null where id = $1`,
      [rows[0]?.id],
    );
    await h.t.db.query(
      `update shopify_reconcile_runs set state = 'running', phase = 'repair', finished_at = null where id = $1`,
      [run.id],
    );
    const since = await h.lastCall();
    const resumed = await executeRun(h.t.deps, h.t.a.tenantId, run.id, {
      wait: yieldOnce,
      pollMs: 0,
      bulkMin: BULK,
    });
    expect(resumed?.state).toBe('completed');
    const again = await h.t.db.query<{ state: string; operation_id: string }>(
      `select state, operation_id from shopify_reconcile_bulk where run_id = $1`,
      [run.id],
    );
    expect(again.rows).toEqual([{ state: 'done', operation_id: rows[0]?.operation_id }]);
    const calls = await h.calls(since);
    expect(calls.filter((c) => c.operationType === 'mutation').flatMap((c) => c.rootFields)).toEqual([]);
    expect(calls.some((c) => c.rootFields.includes('bulkOperations'))).toBe(true);
    expect(await entries()).toBe(os.length);
  });

  it("a line's echo applied by live sync before the run reads the results is recorded once, as the reconciliation's with its cause", async () => {
    const h = bulk;
    const cs = (await customers(h)).slice(10, 16);
    const product = (
      await h.emu.control<{ products: { id: number }[] }>('GET', `/shops/${SHOP}/products?limit=1`)
    ).products[0] as { id: number };
    await lost(h, async () => {
      // A product difference repaired first: its progress marks the repairs' start.
      await h.emu.control('PATCH', `/shops/${SHOP}/products/${product.id}`, { title: 'Echo first product' });
      for (const c of cs)
        expectOk(await h.api('PATCH', `/api/customers/${c.id}`, { note: `Echo first ${c.email}` }));
    });
    const before = await lastEntry(h);
    const recorded = async () =>
      (await listHistory(h.t.db, h.t.a.tenantId, { entity: 'customer' }, 1000)).filter(
        (e) => e.id > before && cs.some((c) => c.id === e.localId),
      );
    // Just before the run downloads the group's results, webhooks are delivered and live sync applies
    // the lines' echoes (Shopify sends them while the operation runs; here they all come first).
    let repairing = false;
    let duringRun = 0;
    const run = await reconcile(h, BULK, {
      onProgress: (p) => {
        if (p.phase === 'repair') repairing = true;
      },
      fetch: async (url, init) => {
        if (repairing && duringRun === 0) {
          await h.settle();
          duringRun = (await recorded()).length;
        }
        return fetch(url, init);
      },
    });
    expect(run.state).toBe('completed');
    // Live sync met the lines' echoes before the run settled them: it recorded them (not as pushes).
    expect(duringRun).toBe(cs.length);
    await h.settle();
    const entries = await recorded();
    expect(entries.map((e) => [e.localId, e.origin, e.direction, e.cause]).sort()).toEqual(
      cs.map((c) => [c.id, 'reconcile', 'outbound', 'push not delivered']).sort(),
    );
    const onShopify = await emuCustomers(h);
    for (const c of cs)
      expect(onShopify.find((e) => e.email === c.email)?.note).toBe(`Echo first ${c.email}`);
  });
});
