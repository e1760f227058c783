// No reconciliation bulk line replaces Shopify's tags (issue 16). productSet's, customerSet's and
// orderUpdate's `tags` replace Shopify's whole list, and a bulk line runs seconds to minutes after the
// run's read it was built from, so a tag a merchant added on Shopify in that window was written over.
// A line now carries only the fields that differ, never `tags`: a record whose repair changes its tags
// is repaired one at a time by live sync's push (tagsRemove / tagsAdd), and a record whose repair leaves
// its tags alone is a line without them. Runs on embedded PGlite, and on a fresh Postgres database when
// TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDifferences } from '../../src/db/shopify-reconcile.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import { RECONCILE_BULK_MIN } from '../../src/sync/reconcile/bulk-repair.ts';
import { executeRun } from '../../src/sync/reconcile/run.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import {
  duringShopifyCall,
  expectOk,
  mutationsOf,
  startSyncHarness,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'reconcile-bulk-tags.myshopify.com';
/** The group's note-only repairs: the bulk minimum and a few more. */
const GROUP = RECONCILE_BULK_MIN + 2;
const STORE = [
  ...['--seed', '31', '--products', '2', '--customers', String(GROUP + 8), '--orders', '2'],
  ...['--locations', '1', '--plan', 'enterprise'],
];

interface EmuCustomer {
  id: number;
  email: string | null;
  note: string | null;
  tags: string[];
}
interface ApiCustomer {
  id: string;
  email: string | null;
  note: string;
  tags: string[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, STORE);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 300_000);
afterAll(async () => {
  await h?.close();
});

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const emuCustomers = async () =>
  (await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`)).customers;
const customers = async () =>
  (await h.api<{ items: ApiCustomer[] }>('GET', '/api/customers?limit=250')).body.items;
const sorted = (tags: readonly string[]) => [...tags].sort();

/** Makes `edit`'s changes lost: Shopify's webhooks dropped, Retailos's pushes never made. */
async function lost(edit: () => Promise<void>): Promise<void> {
  await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
  await edit();
  await h.t.db.query(`update changes set relayed_at = now() where tenant_id = $1 and relayed_at is null`, [
    h.t.a.tenantId,
  ]);
  await h.emu.control('POST', '/webhooks/drain');
  await h.settle();
  await h.emu.control('DELETE', '/faults');
}

describe("a reconciliation's bulk repair never replaces Shopify's tags", () => {
  it("a tag added on Shopify between the run's read and its bulk mutation survives, beside the Retailos repair, whether that repair changes tags or not", async () => {
    const emu = new Map((await emuCustomers()).map((c) => [c.email, c]));
    const all = (await customers()).filter((c) => c.email && emu.has(c.email));
    expect(all.length).toBeGreaterThanOrEqual(GROUP + 2);
    // a: a Retailos note and tag; b: a Retailos tag only; the group: Retailos notes only, c among them.
    const [a, b, ...group] = all.slice(0, GROUP + 2) as [ApiCustomer, ApiCustomer, ...ApiCustomer[]];
    const c = group[0] as ApiCustomer;
    const remote = (x: ApiCustomer) => emu.get(x.email) as EmuCustomer;
    await lost(async () => {
      expectOk(
        await h.api('PATCH', `/api/customers/${a.id}`, {
          note: 'Retailos a',
          tags: [...a.tags, 'retailos-a'],
        }),
      );
      expectOk(await h.api('PATCH', `/api/customers/${b.id}`, { tags: [...b.tags, 'retailos-b'] }));
      for (const x of group)
        expectOk(await h.api('PATCH', `/api/customers/${x.id}`, { note: `Retailos ${x.email}` }));
    });
    const since = await h.lastCall();
    // After the run read the group again (nodes(ids:)) and built its lines, before Shopify runs them: a
    // merchant tags a and c on Shopify.
    const window = duringShopifyCall('stagedUploadsCreate', async () => {
      for (const x of [a, c])
        await h.emu.control('PATCH', `/shops/${SHOP}/customers/${remote(x).id}`, {
          tags: [...remote(x).tags, `shopify-${x === a ? 'a' : 'c'}`],
        });
    });
    let run;
    try {
      const requested = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: false, trigger: 'demand' });
      run = await executeRun(h.t.deps, h.t.a.tenantId, requested.id, { wait: yieldOnce, pollMs: 0 });
    } finally {
      window.restore();
    }
    expect(window.raced()).toBe(true);
    expect(run?.state).toBe('completed');
    // One bulk mutation, of the note-only repairs: a and b, whose repairs change tags, are not lines.
    const { rows } = await h.t.db.query<{ keys: string[] }>(
      `select array(select l->>'localId' from jsonb_array_elements(lines) l) as keys
       from shopify_reconcile_bulk where run_id = $1`,
      [run?.id],
    );
    expect(rows.map((r) => [...r.keys].sort())).toEqual([group.map((x) => x.id).sort()]);
    const diffs = await listDifferences(h.t.db, h.t.a.tenantId, run?.id as string, 1000);
    for (const x of group)
      expect([x.email, diffs.find((d) => d.localId === x.id)?.state]).toEqual([x.email, 'repaired']);
    await h.settle();
    // Both sides: every Retailos repair landed, and the Shopify tags added in the window are kept.
    const want = new Map<string, { note: string; tags: string[] }>([
      [a.id, { note: 'Retailos a', tags: sorted([...a.tags, 'retailos-a', 'shopify-a']) }],
      [b.id, { note: b.note, tags: sorted([...b.tags, 'retailos-b']) }],
      ...group.map((x): [string, { note: string; tags: string[] }] => [
        x.id,
        { note: `Retailos ${x.email}`, tags: sorted(x === c ? [...x.tags, 'shopify-c'] : x.tags) },
      ]),
    ]);
    const [onShopify, inRetailos] = [await emuCustomers(), await customers()];
    for (const x of [a, b, ...group]) {
      const s = onShopify.find((e) => e.email === x.email) as EmuCustomer;
      const r = inRetailos.find((e) => e.id === x.id) as ApiCustomer;
      const w = want.get(x.id);
      expect([x.email, s.note ?? '', sorted(s.tags)]).toEqual([x.email, w?.note, w?.tags]);
      expect([x.email, r.note, sorted(r.tags)]).toEqual([x.email, w?.note, w?.tags]);
    }
    // The tag changes went as deltas: tagsAdd, never a customerSet with tags (bulk lines are not in the log).
    const calls = await h.calls(since);
    expect(mutationsOf(calls)).toContain('tagsAdd');
    for (const call of calls.filter((x) => x.rootFields.includes('customerSet')))
      expect((call.variables?.['input'] as Record<string, unknown>)['tags']).toBeUndefined();
  });
});
