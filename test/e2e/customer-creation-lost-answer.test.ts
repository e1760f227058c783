import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gidsOf } from '../../src/db/shopify-id-map.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import {
  duringShopifyCall,
  expectOk,
  loseShopifyAnswer,
  mutationsOf,
  startSyncHarness,
  type SyncHarness,
} from '../../test-support/sync.ts';

/**
 * A customer created in Retailos whose creating customerSet reached Shopify but whose answer was lost:
 * the retry used to send customerSet by email again, which updates the customer the first attempt made
 * with the whole record, over a Shopify edit made since (issue 16's chaos, seed 18: a note set on Shopify
 * during the outage the creation was retried through, on neither side at the end). Through the real
 * paths: Retailos's API, its push, the emulator.
 */

const SHOP = 'customer-creation-lost-answer.myshopify.com';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '44', '--products', '1', '--customers', '1', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

interface EmuCustomer {
  id: number;
  email: string | null;
  firstName: string;
  lastName: string;
  note: string;
  tags: string[];
}

async function remoteByEmail(email: string): Promise<EmuCustomer[]> {
  const all = await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`);
  return all.customers.filter((c) => c.email === email);
}

const shopifyNow = async () => Date.parse((await h.emu.control<{ now: string }>('GET', '/clock')).now);

describe('a customer creation retried after Shopify made the customer but its answer was lost', () => {
  it('takes the customer the first attempt made, linked, keeping the edits of both sides since', async () => {
    const email = 'lost-answer@example.com';
    // Shopify's webhooks about the customer are dropped: only the push's own retry can find it.
    await h.emu.control('POST', '/faults', { profile: 'none', webhookDropRate: 1 });
    h.t.clock.set(new Date(await shopifyNow()));
    const created = await h.api<{ id: string; version: number }>('POST', '/api/customers', {
      email,
      first_name: 'Lost',
      last_name: 'Answer',
    });
    expectOk(created, 201);
    const since = await h.lastCall();
    // The first customerSet reaches Shopify, which makes the customer; its answer never comes back.
    const answer = loseShopifyAnswer('PushCustomer');
    let first: EmuCustomer[];
    try {
      await h.settle();
      first = await remoteByEmail(email);
      // Then, before the retry: the note edited on Shopify, the last name in Retailos five seconds later.
      await h.emu.control('POST', '/clock/advance', { seconds: 5 });
      await h.emu.control('PATCH', `/shops/${SHOP}/customers/${first[0]?.id}`, { note: 'set on Shopify' });
      h.t.clock.set(new Date((await shopifyNow()) + 5_000));
      expectOk(await h.api('PATCH', `/api/customers/${created.body.id}`, { last_name: 'Edited here' }));
      await h.settleWithRetries();
    } finally {
      answer.restore();
      await h.emu.control('DELETE', '/faults');
    }
    expect(answer.lost()).toBe(true);
    expect(first.map((c) => [c.lastName, c.note])).toEqual([['Answer', '']]);
    const remote = await remoteByEmail(email);
    expect(remote.map((c) => [c.id, c.lastName, c.note])).toEqual([
      [first[0]?.id, 'Edited here', 'set on Shopify'],
    ]);
    const local = (
      await h.api<{ last_name: string; note: string | null }>('GET', `/api/customers/${created.body.id}`)
    ).body;
    expect([local.last_name, local.note]).toEqual(['Edited here', 'set on Shopify']);
    const links = await gidsOf(h.t.db, h.t.a.tenantId, 'customer', [created.body.id]);
    expect(links.get(created.body.id)).toBe(`gid://shopify/Customer/${first[0]?.id}`);
    // The creation, then the merged edits: never the whole record sent again over the first.
    expect(mutationsOf(await h.calls(since))).toEqual(['customerSet', 'customerSet']);
  });
});

describe('a customer creation whose answer was lost, edited on both sides before its retry', () => {
  // Issue 16, chaos seed 16 op 931: a tag added in Retailos, then the last name edited on Shopify. Linked
  // with no base, every field went by its side's record time, Shopify's (the later edit): the tag was
  // removed on both sides. The retry links it with what the creation sent as its base and merges three ways.
  for (const webhooksFirst of [false, true]) {
    it(`keeps the tag added in Retailos and the last name edited on Shopify later${webhooksFirst ? ' (its creation webhook linked it first)' : ''}`, async () => {
      const email = `seed-16${webhooksFirst ? '-webhook' : ''}@example.com`;
      // Without webhooks only the push's own retry finds the customer; with them, its customers/create
      // links it to ours (unlinkedMatch) before the retry.
      await h.emu.control('POST', '/faults', { profile: 'none', webhookDropRate: webhooksFirst ? 0 : 1 });
      h.t.clock.set(new Date(await shopifyNow()));
      const created = await h.api<{ id: string }>('POST', '/api/customers', {
        email,
        first_name: 'Seed',
        last_name: 'Sixteen',
      });
      expectOk(created, 201);
      const id = created.body.id;
      const answer = loseShopifyAnswer('PushCustomer');
      let first: EmuCustomer[];
      try {
        await h.settle();
        first = await remoteByEmail(email);
        if (webhooksFirst)
          expect((await gidsOf(h.t.db, h.t.a.tenantId, 'customer', [id])).get(id)).toBe(
            `gid://shopify/Customer/${first[0]?.id}`,
          );
        // The tag added in Retailos, then, five seconds later, the last name edited on Shopify.
        h.t.clock.set(new Date((await shopifyNow()) + 1_000));
        expectOk(await h.api('PATCH', `/api/customers/${id}`, { tags: ['t931'] }));
        await h.emu.control('POST', '/clock/advance', { seconds: 5 });
        await h.emu.control('PATCH', `/shops/${SHOP}/customers/${first[0]?.id}`, { lastName: 'Shopify' });
        h.t.clock.set(new Date(await shopifyNow()));
        await h.settleWithRetries();
      } finally {
        answer.restore();
        await h.emu.control('DELETE', '/faults');
      }
      expect(answer.lost()).toBe(true);
      expect(first.map((c) => [c.lastName, c.tags])).toEqual([['Sixteen', []]]);
      const remote = await remoteByEmail(email);
      expect(remote.map((c) => [c.id, c.lastName, c.tags])).toEqual([[first[0]?.id, 'Shopify', ['t931']]]);
      const local = (await h.api<{ last_name: string; tags: string[] }>('GET', `/api/customers/${id}`)).body;
      expect([local.last_name, local.tags]).toEqual(['Shopify', ['t931']]);
      // Sync History: the tag sent to Shopify and Shopify's last name written here, each its own field.
      const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId: id }, 20);
      const changed = (direction: string) =>
        entries
          .filter((e) => e.direction === direction && e.action === 'update')
          .flatMap((e) => (e.diff as { path: string }[]).map((d) => d.path));
      expect(changed('outbound')).toContain('tags');
      expect(changed('outbound')).not.toContain('lastName');
      expect(changed('inbound')).toContain('lastName');
      expect(changed('inbound')).not.toContain('tags');
    });
  }
});

type Field = 'firstName' | 'lastName' | 'note' | 'tag';
type Phase = 'during' | 'between' | 'after';
interface Edit {
  side: 'retailos' | 'shopify';
  field: Field;
  phase: Phase;
}
const PHASES: readonly Phase[] = ['during', 'between', 'after'];
const API_FIELD = { firstName: 'first_name', lastName: 'last_name', note: 'note' } as const;

describe('every edit made around a customer creation whose answer was lost', () => {
  it('ends on both sides: edits of distinct fields all, a field edited on both sides one of them', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            side: fc.constantFrom('retailos' as const, 'shopify' as const),
            field: fc.constantFrom<Field>('firstName', 'lastName', 'note', 'tag'),
            // While the lost creation call is answered (Shopify made the customer), between that and
            // the retry, or after the retry settled.
            phase: fc.constantFrom<Phase>(...PHASES),
          }),
          { minLength: 2, maxLength: 5 },
        ),
        async (drawn) => {
          run += 1;
          const email = `interleaved-${run}@example.com`;
          const edits = PHASES.flatMap((p) => drawn.filter((e) => e.phase === p));
          const valueOf = (i: number) => `${(edits[i] as Edit).side[0]}${i}`;
          await h.emu.control('POST', '/faults', { profile: 'none', webhookDropRate: 1 });
          h.t.clock.set(new Date(await shopifyNow()));
          const created = await h.api<{ id: string }>('POST', '/api/customers', {
            email,
            first_name: 'First',
            last_name: 'Last',
            note: 'noted',
          });
          expectOk(created, 201);
          const id = created.body.id;
          // Each edit three seconds after the one before, on both clocks (Shopify's times are whole seconds).
          const apply = async (phase: Phase) => {
            for (const [i, e] of edits.entries()) {
              if (e.phase !== phase) continue;
              await h.emu.control('POST', '/clock/advance', { seconds: 3 });
              h.t.clock.set(new Date(await shopifyNow()));
              const value = valueOf(i);
              if (e.side === 'shopify') {
                const [c] = await remoteByEmail(email);
                const body = e.field === 'tag' ? { addTags: [value] } : { [e.field]: value };
                await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c?.id}`, body);
              } else {
                const now = (await h.api<{ tags: string[] }>('GET', `/api/customers/${id}`)).body;
                const body =
                  e.field === 'tag' ? { tags: [...now.tags, value] } : { [API_FIELD[e.field]]: value };
                expectOk(await h.api('PATCH', `/api/customers/${id}`, body));
              }
            }
          };
          // Installed first, so the lost answer wraps it: Shopify made the customer, the edits of
          // 'during' are made, then the answer is lost.
          const during = duringShopifyCall('PushCustomer', () => apply('during'));
          const answer = loseShopifyAnswer('PushCustomer');
          try {
            await h.settle();
            expect(answer.lost()).toBe(true);
            await apply('between');
            await h.settleWithRetries();
          } finally {
            answer.restore();
            during.restore();
            await h.emu.control('DELETE', '/faults');
          }
          // Live sync as usual once the record is linked (webhooks delivered).
          await apply('after');
          await h.settleWithRetries(1);
          const remote = await remoteByEmail(email);
          expect(remote).toHaveLength(1);
          const r = remote[0] as EmuCustomer;
          const local = (
            await h.api<{ first_name: string; last_name: string; note: string; tags: string[] }>(
              'GET',
              `/api/customers/${id}`,
            )
          ).body;
          const sides = {
            shopify: { firstName: r.firstName, lastName: r.lastName, note: r.note, tags: [...r.tags].sort() },
            retailos: {
              firstName: local.first_name,
              lastName: local.last_name,
              note: local.note,
              tags: [...local.tags].sort(),
            },
          };
          expect(sides.retailos).toEqual(sides.shopify);
          // Every tag added on either side is on both.
          const tags = edits.flatMap((e, i) => (e.field === 'tag' ? [valueOf(i)] : []));
          expect(sides.shopify.tags).toEqual([...tags].sort());
          for (const field of ['firstName', 'lastName', 'note'] as const) {
            const of = edits.flatMap((e, i) => (e.field === field ? [{ ...e, value: valueOf(i) }] : []));
            const last = of.at(-1);
            const final = sides.shopify[field];
            if (!last) continue;
            const lastOf = (side: Edit['side']) => of.filter((e) => e.side === side).at(-1)?.value;
            // Edited on one side only, or only by one side after the record synced: its last edit. Else
            // (both sides before a merge) the field goes by the usual rule: one side's last value.
            const settled = of.filter((e) => e.phase === 'after').every((e) => e.side === last.side);
            if (of.every((e) => e.side === last.side) || (last.phase === 'after' && settled))
              expect(final).toBe(last.value);
            else expect([lastOf('retailos'), lastOf('shopify')]).toContain(final);
          }
        },
      ),
      {
        numRuns: 8,
        seed: 16,
        endOnFailure: true,
        // Chaos seed 16 op 931's interleaving first, then one with its edits made during the lost call.
        examples: [
          [
            [
              { side: 'retailos', field: 'tag', phase: 'between' },
              { side: 'shopify', field: 'lastName', phase: 'between' },
            ],
          ],
          [
            [
              { side: 'retailos', field: 'firstName', phase: 'during' },
              { side: 'shopify', field: 'note', phase: 'during' },
              { side: 'retailos', field: 'tag', phase: 'after' },
            ],
          ],
        ],
      },
    );
  }, 300_000);
});
