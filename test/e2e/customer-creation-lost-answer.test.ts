import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gidsOf } from '../../src/db/shopify-id-map.ts';
import {
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
  lastName: string;
  note: string;
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
