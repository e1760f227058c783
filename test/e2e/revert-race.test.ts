import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import type { AnyJobDefinition } from '../../src/jobs/define.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyApplyWebhooksJob, shopifyOutboxJob, shopifyPushJob } from '../../src/jobs/shopify-sync.ts';
import { expectOk, startSyncHarness, type ApiProduct, type SyncHarness } from '../../test-support/sync.ts';

/**
 * A revert racing live edits of the same record, on both sides: over interleavings (fast-check) of a
 * revert, Retailos edits and Shopify edits of the reverted field and of another field, with webhooks
 * delivered and pushes run in any order in between. Invariant once everything has settled: both sides
 * hold the same record; a field only one side wrote holds that side's last write (the revert is a
 * Retailos write of the entry's earlier value); a field both sides wrote holds one of the two sides'
 * last writes (the merge rules decide) — no update lost; and the entry is reverted exactly once.
 */

const SHOP = 'revert-race.myshopify.com';
const RUNS = 12;

interface EmuProduct {
  id: number;
  title: string;
  vendor: string;
  variants: { sku: string | null }[];
}

type Field = 'vendor' | 'title';
type Op =
  | { kind: 'revert' }
  | { kind: 'local' | 'shopify'; field: Field; value: string }
  | { kind: 'deliver' | 'push' | 'settle' };

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    '--seed',
    '99',
    '--products',
    String(RUNS + 2),
    '--customers',
    '1',
    '--orders',
    '1',
  ]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function drain(...jobs: AnyJobDefinition<never>[]): Promise<void> {
  const lag = Date.now() - h.bossClock.now();
  if (lag > 0) await h.bossClock.tick(lag + 1);
  for (const job of jobs) await drainQueue(h.boss, job, h.t.deps as never);
}

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ kind: 'revert' }),
  fc.record({
    kind: fc.constantFrom('local' as const, 'shopify' as const),
    field: fc.constantFrom<Field>('vendor', 'title'),
    value: fc.constantFrom('Alpha', 'Bravo', 'Charlie', 'Delta'),
  }),
  fc.constantFrom<Op>({ kind: 'deliver' }, { kind: 'push' }, { kind: 'settle' }),
);

let run = 0;

describe('a revert racing live edits', () => {
  it('converges, loses no update and reverts once, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        const products = (
          await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
        ).products;
        const remote = products[run++];
        if (!remote) throw new Error('out of products');
        const sku = remote.variants[0]?.sku as string;
        // The entry to revert: the vendor changed on Shopify, synced.
        await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { vendor: 'Entry Vendor' });
        await h.settle();
        const local = (await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${sku}`)).body.items[0];
        if (!local) throw new Error('no local product');
        const entry = (await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 5)).find(
          (e) => e.origin === 'webhook',
        );
        if (!entry) throw new Error('no entry');

        const last: Record<Field, { local?: string; shopify?: string }> = { vendor: {}, title: {} };
        const reverts: number[] = [];
        for (const o of ops) {
          if (o.kind === 'revert') {
            h.t.clock.set(new Date());
            const res = await h.api('POST', `/api/shopify/history/${entry.id}/revert`, { confirm: true });
            reverts.push(res.status);
            if (res.status === 200) last.vendor.local = remote.vendor;
          } else if (o.kind === 'local') {
            h.t.clock.set(new Date());
            expectOk(await h.api('PATCH', `/api/products/${local.id}`, { [o.field]: o.value }));
            last[o.field].local = o.value;
          } else if (o.kind === 'shopify') {
            await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { [o.field]: o.value });
            last[o.field].shopify = o.value;
          } else if (o.kind === 'deliver') {
            await h.emu.control('POST', '/webhooks/drain');
            await drain(shopifyApplyWebhooksJob as never);
          } else if (o.kind === 'push') {
            await drain(shopifyOutboxJob as never, shopifyPushJob as never);
          } else {
            await h.settle();
          }
        }
        await h.settle();

        const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
        const theirs = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
        const start: Record<Field, string> = { vendor: 'Entry Vendor', title: remote.title };
        for (const f of ['vendor', 'title'] as const) {
          expect(mine[f], `${f} on both sides`).toBe(theirs[f]);
          const { local: l, shopify: s } = last[f];
          const expected =
            l === undefined ? (s === undefined ? [start[f]] : [s]) : s === undefined ? [l] : [l, s];
          expect(expected, `${f} after ${JSON.stringify(ops)}`).toContain(mine[f]);
        }
        // Reverted at most once: the first revert applies, every later one is refused as already done.
        if (reverts.length > 0) expect(reverts).toEqual([200, ...reverts.slice(1).map(() => 409)]);
      }),
      { numRuns: RUNS, seed: 20261206, endOnFailure: true },
    );
  }, 600_000);
});
