import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'push-retries.myshopify.com';

interface ApiCustomer {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  note: string;
}
interface Letter {
  id: number;
  entity: string;
  local_id: string | null;
  display_name: string;
  error_class: string;
  first_error: string;
  last_error: string;
  attempts: number;
  state: string;
  waiting_changes: number;
}
interface EmuCustomer {
  id: number;
  email: string | null;
  note: string | null;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '33', '--products', '2', '--customers', '4', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function localCustomers(): Promise<ApiCustomer[]> {
  const res = await h.api<{ items: ApiCustomer[] }>('GET', '/api/customers?limit=100');
  expectOk(res);
  return res.body.items;
}

async function remoteCustomers(): Promise<EmuCustomer[]> {
  return (await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`))
    .customers;
}

async function openLetters(): Promise<Letter[]> {
  const res = await h.api<{ items: Letter[] }>('GET', '/api/shopify/dead-letters?state=open');
  expectOk(res);
  return res.body.items;
}

describe('push retries and dead letters', () => {
  it('an outage is retried with backoff and the change lands once Shopify is back, with no dead letter', async () => {
    const [c] = await localCustomers();
    if (!c) throw new Error('no customer');
    await h.emu.control('POST', '/faults', { profile: 'outage' });
    expectOk(await h.api('PATCH', `/api/customers/${c.id}`, { note: 'written during an outage' }));
    await h.settle();
    expect((await remoteCustomers()).find((r) => r.email === c.email)?.note).not.toBe(
      'written during an outage',
    );
    await h.emu.control('DELETE', '/faults');
    const since = await h.lastCall();
    await h.settleWithRetries();
    expect((await remoteCustomers()).find((r) => r.email === c.email)?.note).toBe('written during an outage');
    expect(mutationsOf(await h.calls(since))).toEqual(['customerSet']);
    expect(await openLetters()).toEqual([]);
  });

  it('a change Shopify refuses goes to the dead letter with Shopify’s words; later edits wait behind it; replay after the fix lands the latest state', async () => {
    const [, c] = await localCustomers();
    if (!c) throw new Error('no customer');
    // A customer exists on Shopify whose webhooks never reach us (dropped), so Retailos does not know the email is taken.
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    await h.emu.control('POST', `/shops/${SHOP}/customers`, {
      email: 'taken@example.com',
      firstName: 'Other',
    });
    await h.settle();
    await h.emu.control('DELETE', '/faults');

    const since = await h.lastCall();
    expectOk(await h.api('PATCH', `/api/customers/${c.id}`, { email: 'taken@example.com' }));
    await h.settle();
    const [letter] = await openLetters();
    expect(letter).toMatchObject({
      entity: 'customer',
      local_id: c.id,
      error_class: 'shopify_user_errors',
      attempts: 1,
      state: 'open',
      display_name: `${c.first_name} ${c.last_name}`.trim(), // the customer, not the refused e-mail
    });
    expect(letter?.display_name).not.toContain('@');
    expect(letter?.last_error).toMatch(/Email has already been taken/);
    expect(mutationsOf(await h.calls(since))).toEqual(['customerSet']); // refused once, not retried

    // Replayed before the fix: refused again, the same letter stays open with both attempts and the error.
    expectOk(await h.api('POST', `/api/shopify/dead-letters/${letter?.id}/replay`, {}));
    await h.settle();
    const [still] = await openLetters();
    expect(still).toMatchObject({
      id: letter?.id,
      attempts: 2,
      state: 'open',
      display_name: letter?.display_name,
    });
    expect(still?.last_error).toMatch(/Email has already been taken/);

    // Later edits of the same customer wait behind the letter (no push, no flip-flop).
    const before = await h.lastCall();
    expectOk(
      await h.api('PATCH', `/api/customers/${c.id}`, { email: 'fixed@example.com', note: 'after the fix' }),
    );
    await h.settle();
    expect(mutationsOf(await h.calls(before))).toEqual([]);
    expect((await openLetters())[0]?.waiting_changes).toBe(1);

    const replayed = await h.api<{ settled: Letter[] }>(
      'POST',
      `/api/shopify/dead-letters/${letter?.id}/replay`,
      {},
    );
    expectOk(replayed);
    expect(replayed.body.settled.map((l) => l.state)).toEqual(['replayed']);
    await h.settle();
    const remote = (await remoteCustomers()).find((r) => r.email === 'fixed@example.com');
    expect(remote?.note).toBe('after the fix');
    expect(await openLetters()).toEqual([]);
    const again = await h.api('POST', `/api/shopify/dead-letters/${letter?.id}/replay`, {});
    expect(again.status).toBe(409);
  });

  it('a push that keeps failing past its retries opens a dead letter with the transient error, and replay delivers it', async () => {
    const [, , c] = await localCustomers();
    if (!c) throw new Error('no customer');
    await h.emu.control('POST', '/faults', { profile: 'outage' });
    expectOk(await h.api('PATCH', `/api/customers/${c.id}`, { note: 'outlasts the retries' }));
    await h.settleWithRetries(16);
    const [letter] = await openLetters();
    expect(letter).toMatchObject({
      entity: 'customer',
      local_id: c.id,
      error_class: 'transient:TransientError',
    });
    expect(letter?.attempts).toBeGreaterThan(1);
    await h.emu.control('DELETE', '/faults');
    expectOk(await h.api('POST', '/api/shopify/dead-letters/replay', {}));
    await h.settle();
    expect((await remoteCustomers()).find((r) => r.email === c.email)?.note).toBe('outlasts the retries');
    expect(await openLetters()).toEqual([]);
  });
});
