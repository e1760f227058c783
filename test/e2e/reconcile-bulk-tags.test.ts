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
/** Each kind's group of note-only repairs: the bulk minimum and a few more. */
const GROUP = RECONCILE_BULK_MIN + 2;
const STORE = [
  ...['--seed', '31', '--products', '2', '--customers', String(GROUP + 8), '--orders', String(GROUP + 8)],
  ...['--locations', '1', '--plan', 'enterprise'],
];

/** A customer or an order, as the emulator's control API and Retailos's API show it. */
interface Tagged {
  id: string | number;
  email?: string | null;
  name?: string;
  note: string | null;
  tags: string[];
}

/** Each kind: its paths, the key both sides share (email, order name) and its update mutation. */
const KINDS = [
  { kind: 'customers', key: (r: Tagged) => r.email ?? null, update: 'customerSet' },
  { kind: 'orders', key: (r: Tagged) => r.name ?? null, update: 'orderUpdate' },
] as const;
type Kind = (typeof KINDS)[number];

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, STORE);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 300_000);
afterAll(async () => {
  await h?.close();
});

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const onShopify = async (k: Kind) =>
  (await h.emu.control<{ [kind: string]: Tagged[] }>('GET', `/shops/${SHOP}/${k.kind}?limit=250`))[k.kind] ??
  [];
const inRetailos = async (k: Kind) =>
  (await h.api<{ items: Tagged[] }>('GET', `/api/${k.kind}?limit=100`)).body.items;
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
  it.each(KINDS)(
    "$kind: a tag added on Shopify between the run's read and its bulk mutation survives, beside the Retailos repair, whether that repair changes tags or not",
    async (k) => {
      const remotes = new Map((await onShopify(k)).map((r) => [k.key(r), r]));
      const all = (await inRetailos(k)).filter((r) => k.key(r) && remotes.has(k.key(r)));
      expect(all.length).toBeGreaterThanOrEqual(GROUP + 2);
      // a: a Retailos note and tag; b: a Retailos tag only; the group: Retailos notes only, c among them.
      const [a, b, ...group] = all.slice(0, GROUP + 2) as [Tagged, Tagged, ...Tagged[]];
      const c = group[0] as Tagged;
      const remote = (x: Tagged) => remotes.get(k.key(x)) as Tagged;
      const path = (x: Tagged) => `/api/${k.kind}/${x.id}`;
      await lost(async () => {
        expectOk(await h.api('PATCH', path(a), { note: 'Retailos a', tags: [...a.tags, 'retailos-a'] }));
        expectOk(await h.api('PATCH', path(b), { tags: [...b.tags, 'retailos-b'] }));
        for (const x of group) expectOk(await h.api('PATCH', path(x), { note: `Retailos ${k.key(x)}` }));
      });
      const since = await h.lastCall();
      // After the run read the group again (nodes(ids:)) and built its lines, before Shopify runs them: a
      // merchant tags a and c on Shopify.
      const window = duringShopifyCall('stagedUploadsCreate', async () => {
        for (const [x, tag] of [
          [a, 'shopify-a'],
          [c, 'shopify-c'],
        ] as const)
          await h.emu.control('PATCH', `/shops/${SHOP}/${k.kind}/${remote(x).id}`, {
            tags: [...remote(x).tags, tag],
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
      expect(rows.map((r) => [...r.keys].sort())).toEqual([group.map((x) => String(x.id)).sort()]);
      const diffs = await listDifferences(h.t.db, h.t.a.tenantId, run?.id as string, 1000);
      for (const x of group)
        expect([k.key(x), diffs.find((d) => d.localId === x.id)?.state]).toEqual([k.key(x), 'repaired']);
      await h.settle();
      // Both sides: every Retailos repair landed, and the Shopify tags added in the window are kept.
      const want = (x: Tagged): [string | null, string | null, string[]] =>
        x === a
          ? [k.key(x), 'Retailos a', sorted([...a.tags, 'retailos-a', 'shopify-a'])]
          : x === b
            ? [k.key(x), b.note, sorted([...b.tags, 'retailos-b'])]
            : [k.key(x), `Retailos ${k.key(x)}`, sorted(x === c ? [...x.tags, 'shopify-c'] : x.tags)];
      const [shopifyNow, retailosNow] = [await onShopify(k), await inRetailos(k)];
      for (const x of [a, b, ...group]) {
        const s = shopifyNow.find((e) => k.key(e) === k.key(x)) as Tagged;
        const r = retailosNow.find((e) => e.id === x.id) as Tagged;
        expect([k.key(x), s.note || null, sorted(s.tags)]).toEqual(want(x).map((v) => v || null));
        expect([k.key(x), r.note || null, sorted(r.tags)]).toEqual(want(x).map((v) => v || null));
      }
      // The tag changes went as deltas: tagsAdd, never an update naming tags (bulk lines are not logged).
      const calls = await h.calls(since);
      expect(mutationsOf(calls)).toContain('tagsAdd');
      for (const call of calls.filter((x) => x.rootFields.includes(k.update)))
        expect((call.variables?.['input'] as { tags?: unknown } | undefined)?.tags).toBeUndefined();
    },
  );
});
