// Shopify answers 401 to a push: the token expired early by Shopify's clock, or it was revoked. The push
// renews the token once (a refresh) and goes through; when the refresh is refused too, the connection
// says it needs reconnecting, with the reason, the push waits in the outbox (no dead letter), and
// connecting again pushes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyImportJob } from '../../src/jobs/shopify-import.ts';
import { connectShop } from '../../test-support/shopify.ts';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'push-401.myshopify.com';
const HOUR_S = 3600;
const DAYS_91_S = 91 * 24 * HOUR_S;

interface ApiCustomer {
  id: string;
  email: string | null;
  note: string;
}
interface EmuCustomer {
  email: string | null;
  note: string | null;
}
interface Connection {
  state: string;
  state_reason: string | null;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '41', '--products', '1', '--customers', '3', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function customer(i: number): Promise<ApiCustomer> {
  const res = await h.api<{ items: ApiCustomer[] }>('GET', '/api/customers?limit=100');
  expectOk(res);
  const c = [...res.body.items].sort((a, b) => (a.email ?? '').localeCompare(b.email ?? ''))[i];
  if (!c) throw new Error(`no customer ${i}`);
  return c;
}

async function remoteNote(email: string | null): Promise<string | null | undefined> {
  const { customers } = await h.emu.control<{ customers: EmuCustomer[] }>(
    'GET',
    `/shops/${SHOP}/customers?limit=250`,
  );
  return customers.find((r) => r.email === email)?.note;
}

async function connection(): Promise<Connection> {
  const res = await h.api<Connection>('GET', '/api/shopify/connection');
  expectOk(res);
  return res.body;
}

async function openLetters(): Promise<unknown[]> {
  const res = await h.api<{ items: unknown[] }>('GET', '/api/shopify/dead-letters?state=open');
  expectOk(res);
  return res.body.items;
}

async function outboxWaiting(): Promise<number> {
  const res = await h.api<{ outbox: { waiting: number } }>('GET', '/api/shopify/health');
  expectOk(res);
  return res.body.outbox.waiting;
}

describe('a push Shopify answers with 401', () => {
  it('renews the token once (a refresh) and the push goes through, with no dead letter', async () => {
    const c = await customer(0);
    // Shopify's clock runs an hour ahead: the access token expired there while ours still says 59 minutes.
    await h.emu.control('POST', '/clock/advance', { seconds: HOUR_S + 60 });
    const since = await h.lastCall();
    expectOk(await h.api('PATCH', `/api/customers/${c.id}`, { note: 'pushed after a refresh' }));
    await h.settle();
    expect(await remoteNote(c.email)).toBe('pushed after a refresh');
    expect(mutationsOf(await h.calls(since))).toEqual(['customerSet']);
    expect(await openLetters()).toEqual([]);
    expect((await connection()).state).toBe('syncing');
  });

  it('when the refresh is refused too: "needs reconnect" with the reason, the push waits (no dead letter), and connecting again pushes it', async () => {
    const c = await customer(1);
    // Both tokens are dead on Shopify's side (the refresh token lives 90 days).
    await h.emu.control('POST', '/clock/advance', { seconds: DAYS_91_S });
    const since = await h.lastCall();
    expectOk(await h.api('PATCH', `/api/customers/${c.id}`, { note: 'waits for the reconnect' }));
    await h.settleWithRetries(3);
    const broken = await connection();
    expect(broken.state).toBe('error_auth');
    expect(broken.state_reason).toMatch(/connect again/);
    expect(await openLetters()).toEqual([]);
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    expect(await outboxWaiting()).toBeGreaterThan(0); // visibly pending, not completed and forgotten
    expect(await remoteNote(c.email)).not.toBe('waits for the reconnect');

    // The merchant connects again (on a clock that agrees with Shopify's, as real time would).
    const shopifyNow = (await h.emu.control<{ now: string }>('GET', '/clock')).now;
    h.t.clock.set(new Date(shopifyNow));
    await connectShop(h.t, await h.t.login(h.t.a), SHOP);
    for (let i = 0; ; i += 1) {
      await drainQueue(h.boss, shopifyImportJob as never, h.t.deps as never);
      const run = await getLatestImport(h.t.db, h.t.a.tenantId);
      if (run?.state === 'completed') break;
      if (run?.state === 'failed' || i > 300) throw new Error(`the import did not complete: ${run?.state}`);
      await h.bossClock.tick(5_000);
    }
    await h.settle();
    expect((await connection()).state).toBe('syncing');
    expect(await remoteNote(c.email)).toBe('waits for the reconnect');
    expect(await openLetters()).toEqual([]);
    expect(await outboxWaiting()).toBe(0);
  });
});
