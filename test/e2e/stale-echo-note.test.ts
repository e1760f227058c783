// A push whose record was edited in Retailos while it ran keeps its echo note, so that its echo, still on
// its way, is taken for ours. The note used to stay, recognised by its hash alone, until a later push
// moved it out: when the merchant later brought the record on Shopify back to exactly the state that
// push wrote, the edit was taken for our echo, merged against the old push's starting point, and the
// Retailos side was pushed over it (issue 16, found by push-tags-interleavings with tag names reused).
// The note now stands for its write as of Shopify's time of it (migration 0047).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  duringShopifyCall as during,
  expectOk,
  pushOnly,
  startSyncHarness,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'stale-echo-note.myshopify.com';

interface Customer {
  id: string;
  email: string | null;
  note: string;
  version: number;
}
interface EmuCustomer {
  id: number;
  email?: string | null;
  note: string | null;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '61', '--products', '1', '--customers', '3', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const emu = (path: string) => `/shops/${SHOP}${path}`;
const remoteOf = (id: number) => h.emu.control<EmuCustomer>('GET', emu(`/customers/${id}`));
const localOf = async (id: string) => (await h.api<Customer>('GET', `/api/customers/${id}`)).body;

async function editLocal(id: string, note: string): Promise<void> {
  const now = await localOf(id);
  expectOk(await h.api('PATCH', `/api/customers/${id}`, { note, version: now.version }));
}

describe('an echo note kept by a push that met a Retailos edit', () => {
  it('does not take a later Shopify edit back to the pushed state for our echo', async () => {
    const all = (await h.emu.control<{ customers: EmuCustomer[] }>('GET', emu('/customers?limit=250')))
      .customers;
    const remote = all.find((c) => c.email);
    if (!remote?.email) throw new Error('no customer with an email');
    const list = await h.api<{ items: Customer[] }>(
      'GET',
      `/api/customers?email=${encodeURIComponent(remote.email)}`,
    );
    const mine = list.body.items[0];
    if (!mine) throw new Error('no local customer');

    // Push 1 writes note "first"; while Shopify answers it, the merchant sets "second" in Retailos. The
    // push keeps its note (its record changed while it ran); the next round pushes "second".
    await editLocal(mine.id, 'first');
    const race = during('customerSet', () => editLocal(mine.id, 'second'));
    try {
      await pushOnly(h);
    } finally {
      race.restore();
    }
    expect(race.raced()).toBe(true);
    await h.settle();
    expect((await remoteOf(remote.id)).note).toBe('second');
    expect((await localOf(mine.id)).note).toBe('second');

    // Later, the merchant sets the note on Shopify back to "first": exactly the state push 1 wrote.
    await h.emu.control('POST', '/clock/advance', { seconds: 5 });
    await h.emu.control('PATCH', emu(`/customers/${remote.id}`), { note: 'first' });
    await h.settle();

    // Shopify's edit is the latest: it goes to Retailos, and is not pushed over with "second".
    expect((await remoteOf(remote.id)).note).toBe('first');
    expect((await localOf(mine.id)).note).toBe('first');
    const history = await h.api<{ items: { direction: string; action: string }[] }>(
      'GET',
      `/api/shopify/history?local_id=${mine.id}`,
    );
    expectOk(history);
    expect(history.body.items[0]).toMatchObject({ direction: 'inbound', action: 'update' });
  });
});
