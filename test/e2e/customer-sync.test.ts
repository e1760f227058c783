import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'customer-sync.myshopify.com';

interface ApiCustomer {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  phone: string | null;
  note: string;
  tags: string[];
  version: number;
}
interface EmuCustomer {
  id: number;
  gid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  note: string | null;
  tags: string[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '31', '--products', '2', '--customers', '6', '--orders', '2']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function remoteCustomers(): Promise<EmuCustomer[]> {
  return (await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`))
    .customers;
}

async function pick(n: number): Promise<EmuCustomer> {
  const c = (await remoteCustomers()).filter((x) => x.email)[n];
  if (!c) throw new Error(`no customer #${n}`);
  return c;
}

async function remoteByEmail(email: string): Promise<EmuCustomer[]> {
  return (await remoteCustomers()).filter((c) => c.email?.toLowerCase() === email.toLowerCase());
}

async function localsByEmail(email: string): Promise<ApiCustomer[]> {
  const res = await h.api<{ items: ApiCustomer[] }>(
    'GET',
    `/api/customers?email=${encodeURIComponent(email)}`,
  );
  expectOk(res);
  return res.body.items;
}

async function localByEmail(email: string): Promise<ApiCustomer> {
  const c = (await localsByEmail(email))[0];
  if (!c) throw new Error(`no local customer ${email}`);
  return c;
}

const history = async (localId: string) =>
  (await listHistory(h.t.db, h.t.a.tenantId, { localId }, 20)).map((e) => [e.direction, e.origin, e.action]);

describe('customer sync', () => {
  it('a name and note edited in Shopify reach Retailos, with one inbound history entry and no call back', async () => {
    const remote = await pick(0);
    const email = remote.email as string;
    const since = await h.lastCall();
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${remote.id}`, {
      firstName: 'Grace',
      note: 'Met at the fair',
    });
    await h.settle();
    const local = await localByEmail(email);
    expect([local.first_name, local.note]).toEqual(['Grace', 'Met at the fair']);
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    expect(await history(local.id)).toEqual([['inbound', 'webhook', 'update']]);
  });

  it('a note and tags edited in Retailos reach Shopify in one request (customerSet, the tags as deltas), and the echo changes nothing', async () => {
    const remote = await pick(1);
    const email = remote.email as string;
    const local = await localByEmail(email);
    const since = await h.lastCall();
    expectOk(
      await h.api('PATCH', `/api/customers/${local.id}`, {
        note: 'VIP since 2020',
        tags: ['vip', 'wholesale'],
      }),
    );
    await h.settle();
    const after = (await remoteByEmail(email))[0];
    expect(after?.note).toBe('VIP since 2020');
    expect([...(after?.tags ?? [])].sort()).toEqual(['vip', 'wholesale']);
    // One request: customerSet without the list (it would replace Shopify's), the tags as tagsRemove /
    // tagsAdd after it (push-tags-delta.test.ts).
    const calls = (await h.calls(since)).filter((c) => c.operationType === 'mutation');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.rootFields[0]).toBe('customerSet');
    expect(calls[0]?.rootFields.slice(1).every((f) => f === 'tagsRemove' || f === 'tagsAdd')).toBe(true);
    expect(calls[0]?.rootFields).toContain('tagsAdd');
    expect(calls[0]?.variables).not.toHaveProperty('input.tags');
    // One outbound entry; the echo webhook (same hash as the base) wrote none and pushed nothing back.
    expect(await history(local.id)).toEqual([['outbound', 'push', 'update']]);
    const again = await localByEmail(email);
    expect([again.note, again.tags]).toEqual(['VIP since 2020', ['vip', 'wholesale']]);
    expect(again.version).toBe(local.version + 1);
  });

  it('a customer created in Retailos is created once in Shopify, keyed by its email', async () => {
    const since = await h.lastCall();
    const created = await h.api<ApiCustomer>('POST', '/api/customers', {
      email: 'new.buyer@example.com',
      first_name: 'New',
      last_name: 'Buyer',
      note: 'walked in',
    });
    expectOk(created, 201);
    await h.settle();
    const remote = await remoteByEmail('new.buyer@example.com');
    expect(remote.map((c) => [c.firstName, c.lastName, c.note])).toEqual([['New', 'Buyer', 'walked in']]);
    const calls = (await h.calls(since)).filter((c) => c.operationType === 'mutation');
    expect(calls.flatMap((c) => c.rootFields)).toEqual(['customerSet']);
    expect(calls[0]?.variables).toMatchObject({ identifier: { email: 'new.buyer@example.com' } });
    expect(await history(created.body.id)).toEqual([['outbound', 'push', 'create']]);
    // Still one customer on each side after everything settled (the creation's echo links, never duplicates).
    expect(await localsByEmail('new.buyer@example.com')).toHaveLength(1);
  });

  it('a last name edited in Shopify and a note edited in Retailos both survive', async () => {
    const remote = await pick(2);
    const email = remote.email as string;
    const local = await localByEmail(email);
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${remote.id}`, { lastName: 'Hopper' });
    expectOk(await h.api('PATCH', `/api/customers/${local.id}`, { note: 'prefers email' }));
    await h.settle();
    const r = (await remoteByEmail(email))[0];
    const l = await localByEmail(email);
    expect([r?.lastName, r?.note]).toEqual(['Hopper', 'prefers email']);
    expect([l.last_name, l.note]).toEqual(['Hopper', 'prefers email']);
  });

  it('a customer created in Shopify reaches Retailos, and deleted in Shopify is deleted in Retailos, with no call back', async () => {
    const since = await h.lastCall();
    const made = await h.emu.control<EmuCustomer>('POST', `/shops/${SHOP}/customers`, {
      email: 'shop.only@example.com',
      firstName: 'Shop',
      lastName: 'Only',
    });
    await h.settle();
    const local = await localByEmail('shop.only@example.com');
    expect([local.first_name, local.last_name]).toEqual(['Shop', 'Only']);
    await h.emu.control('DELETE', `/shops/${SHOP}/customers/${made.id}`);
    await h.settle();
    expect(await localsByEmail('shop.only@example.com')).toEqual([]);
    expect((await h.api('GET', `/api/customers/${local.id}`)).status).toBe(404);
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    expect(await history(local.id)).toEqual([
      ['inbound', 'webhook', 'delete'],
      ['inbound', 'webhook', 'create'],
    ]);
  });
});
