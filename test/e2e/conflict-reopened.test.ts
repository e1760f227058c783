// A field conflict Shopify won is reopened when a late delivery proves Shopify's edit older than the
// Retailos edit it beat (issue 16, chaos seeds 20 and 21). Shopify edits a field (a customer's note, a
// product's title); its webhook is held back; Retailos edits the field after it; a later Shopify edit of
// another field (the first name, a variant's price) arrives first and bounds Shopify's field by its own
// time, past the Retailos edit: Shopify's value wins. When the held delivery comes, it shows Shopify held
// that value before the Retailos edit: the Retailos value is restored in Retailos and pushed, and Sync
// History says why (migration 0048). Not when the held state is of the Retailos edit's second (no order
// is proved), nor when the field changed since on either side. Customers are decided one by one (their
// deliveries lack tags), products through the webhook batch first: both paths are covered.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'conflict-reopened.myshopify.com';
const HELD_MS = 60_000;

interface Customer {
  id: string;
  email: string | null;
  first_name: string;
  note: string;
  version: number;
}
interface EmuCustomer {
  id: number;
  email?: string | null;
  firstName: string | null;
  note: string | null;
}
interface Product {
  id: string;
  title: string;
  version: number;
  variants: { sku: string | null; price: string }[];
}
interface EmuProduct {
  id: number;
  title: string;
  variants: { id: number; sku: string | null; price: string }[];
}
interface HistoryItem {
  direction: string;
  action: string;
  cause: string | null;
  conflicts: { path: string; winner: string }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '62', '--products', '5', '--customers', '6', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const emu = (path: string) => `/shops/${SHOP}${path}`;
const remoteOf = (id: number) => h.emu.control<EmuCustomer>('GET', emu(`/customers/${id}`));
const localOf = async (id: string) => (await h.api<Customer>('GET', `/api/customers/${id}`)).body;
const shopifyNow = async (): Promise<number> =>
  new Date((await h.emu.control<{ now: string }>('GET', '/clock')).now).getTime();
const advance = (seconds: number) => h.emu.control('POST', '/clock/advance', { seconds });
const historyOf = async (id: string): Promise<HistoryItem[]> => {
  const res = await h.api<{ items: HistoryItem[] }>('GET', `/api/shopify/history?local_id=${id}`);
  expectOk(res);
  return res.body.items;
};

async function editLocal(id: string, patch: Partial<Customer>): Promise<void> {
  const now = await localOf(id);
  expectOk(await h.api('PATCH', `/api/customers/${id}`, { ...patch, version: now.version }));
}

/** The n-th customer with an email on both sides. */
async function pair(n: number): Promise<{ remote: EmuCustomer; mine: Customer }> {
  const all = (await h.emu.control<{ customers: EmuCustomer[] }>('GET', emu('/customers?limit=250')))
    .customers;
  const remote = all.filter((c) => c.email)[n];
  if (!remote?.email) throw new Error(`no customer ${n} with an email`);
  const list = await h.api<{ items: Customer[] }>(
    'GET',
    `/api/customers?email=${encodeURIComponent(remote.email)}`,
  );
  const mine = list.body.items[0];
  if (!mine) throw new Error('no local customer');
  return { remote, mine };
}

/** One record on both sides: a field both edit, and another field Shopify edits later. */
interface Subject {
  localId: string;
  /** The conflicted field's path in Sync History. */
  field: string;
  /** [the field, the other field] in Retailos and on Shopify. */
  mine(): Promise<[string, string]>;
  theirs(): Promise<[string, string]>;
  editMine(value: string): Promise<void>;
  editTheirs(value: string): Promise<void>;
  editTheirsOther(n: number): Promise<void>;
  /** The other field's value after editTheirsOther(n). */
  other(n: number): string;
}

/** A customer's note, and its first name. */
async function customer(n: number): Promise<Subject> {
  const { remote, mine } = await pair(n);
  return {
    localId: mine.id,
    field: 'note',
    mine: async () => {
      const c = await localOf(mine.id);
      return [c.note, c.first_name];
    },
    theirs: async () => {
      const c = await remoteOf(remote.id);
      return [c.note ?? '', c.firstName ?? ''];
    },
    editMine: (note) => editLocal(mine.id, { note }),
    editTheirs: async (note) => {
      await h.emu.control('PATCH', emu(`/customers/${remote.id}`), { note });
    },
    editTheirsOther: async (k) => {
      await h.emu.control('PATCH', emu(`/customers/${remote.id}`), { firstName: `Later ${k}` });
    },
    other: (k) => `Later ${k}`,
  };
}

/** A product's title, and its first variant's price (chaos seed 20's fields). */
async function product(n: number): Promise<Subject> {
  const products = (await h.emu.control<{ products: EmuProduct[] }>('GET', emu('/products?limit=250')))
    .products;
  const remote = products[n];
  const variant = remote?.variants[0];
  if (!remote || !variant?.sku) throw new Error(`no product ${n}`);
  const sku = variant.sku;
  const res = await h.api<{ items: Product[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  const id = res.body.items[0]?.id;
  if (!id) throw new Error(`no local product with SKU ${sku}`);
  const local = async () => (await h.api<Product>('GET', `/api/products/${id}`)).body;
  return {
    localId: id,
    field: 'title',
    mine: async () => {
      const p = await local();
      return [p.title, p.variants.find((v) => v.sku === sku)?.price ?? ''];
    },
    theirs: async () => {
      const p = await h.emu.control<EmuProduct>('GET', emu(`/products/${remote.id}`));
      return [p.title, p.variants.find((v) => v.sku === sku)?.price ?? ''];
    },
    editMine: async (title) => {
      expectOk(await h.api('PATCH', `/api/products/${id}`, { title, version: (await local()).version }));
    },
    editTheirs: async (title) => {
      await h.emu.control('PATCH', emu(`/products/${remote.id}`), { title });
    },
    editTheirsOther: async (k) => {
      await h.emu.control('PATCH', emu(`/variants/${variant.id}`), { price: `${100 + k}.50` });
    },
    other: (k) => `${100 + k}.50`,
  };
}

/**
 * Shopify edits the field (its delivery held back `HELD_MS`), Retailos edits it `gapMs` later (Retailos's
 * clock set from Shopify's), then Shopify edits the other field 2 s later, delivered at once: the sync
 * decides for Shopify's value.
 */
async function seed20(s: Subject, gapMs: number): Promise<void> {
  // The next whole second of Shopify's clock, so the gap below is measured from a known second.
  const now = await shopifyNow();
  await advance((Math.ceil(now / 1000) * 1000 - now) / 1000);
  const t1 = await shopifyNow();
  h.t.clock.set(new Date(t1));
  await h.emu.control('POST', '/faults', { webhookDelayRate: 1, webhookDelayMs: HELD_MS });
  await s.editTheirs('shopify value');
  await h.emu.control('POST', '/webhooks/drain'); // the delivery is made now, due a minute later
  await h.emu.control('DELETE', '/faults');
  h.t.clock.set(new Date(t1 + gapMs));
  await s.editMine('retailos value');
  await advance(Math.ceil((gapMs + 2_000) / 1000));
  await s.editTheirsOther(1);
  h.t.clock.set(new Date(await shopifyNow()));
  await h.settle();
  // Today's decision: Shopify's value, bounded by the other field's delivery, wins.
  expect(await s.mine()).toEqual(['shopify value', s.other(1)]);
  expect(await s.theirs()).toEqual(['shopify value', s.other(1)]);
  expect((await historyOf(s.localId))[0]?.conflicts).toEqual([
    expect.objectContaining({ path: s.field, winner: 'remote' }),
  ]);
}

/** Lets the held delivery come. */
async function releaseHeld(): Promise<void> {
  await advance(HELD_MS / 1000);
  h.t.clock.set(new Date(await shopifyNow()));
  await h.settle();
}

describe.each([
  ['customer', customer],
  ['product', product],
] as const)("a %s's field conflict Shopify won, its delivery held back", (_kind, subject) => {
  it('is reopened by the held delivery: the later Retailos edit ends on both sides, and history says why', async () => {
    const s = await subject(0);
    await seed20(s, 2_000);
    const before = (await historyOf(s.localId)).length;

    await releaseHeld();

    // The Retailos value on both sides; the other field's later Shopify edit stays.
    expect(await s.mine()).toEqual(['retailos value', s.other(1)]);
    expect(await s.theirs()).toEqual(['retailos value', s.other(1)]);
    const all = await historyOf(s.localId);
    const since = all.slice(0, all.length - before);
    for (const e of since)
      expect(e.cause).toMatch(new RegExp(`^Shopify's edit proved older: .* ${s.field} by `));
    expect(since.map((e) => e.direction).sort()).toEqual(['inbound', 'outbound']);

    // Our push's echo changes nothing more.
    await h.settle();
    expect((await historyOf(s.localId)).length).toBe(all.length);
  });

  it('is not reopened by a held state of the Retailos edit’s second (the order is unknown)', async () => {
    const s = await subject(1);
    await seed20(s, 700);
    const before = (await historyOf(s.localId)).length;

    await releaseHeld();

    expect(await s.mine()).toEqual(['shopify value', s.other(1)]);
    expect(await s.theirs()).toEqual(['shopify value', s.other(1)]);
    expect((await historyOf(s.localId)).length).toBe(before);
  });

  it.each(['Retailos', 'Shopify'])('is not reopened once the field changed since (on %s)', async (side) => {
    const s = await subject(side === 'Retailos' ? 2 : 3);
    await seed20(s, 2_000);
    // The field is changed and back: both sides hold Shopify's winning value again, but the decision is
    // no longer the last word on the field.
    for (const value of ['third', 'shopify value']) {
      await advance(1);
      h.t.clock.set(new Date(await shopifyNow()));
      await (side === 'Retailos' ? s.editMine(value) : s.editTheirs(value));
      await h.settle();
      expect((await s.mine())[0]).toBe(value);
    }
    expect((await s.theirs())[0]).toBe('shopify value');
    const before = (await historyOf(s.localId)).length;

    await releaseHeld();

    expect((await s.mine())[0]).toBe('shopify value');
    expect((await s.theirs())[0]).toBe('shopify value');
    expect((await historyOf(s.localId)).length).toBe(before);
  });
});

describe('a Retailos edit made after a Shopify edit of the same field', () => {
  it('ends on both sides whatever the order its deliveries and a later Shopify edit of another field come in', async () => {
    const { remote, mine } = await pair(4);
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 30_000, 60_000), // how long the note edit's delivery is held
        fc.constantFrom(0, 30_000, 60_000), // how long the first name edit's delivery is held
        fc.boolean(), // whether the sync runs between the Retailos edit and the first name edit
        async (heldNote, heldName, early) => {
          k += 1;
          const now = await shopifyNow();
          await advance((Math.ceil(now / 1000) * 1000 - now) / 1000);
          const t1 = await shopifyNow();
          h.t.clock.set(new Date(t1));
          await h.emu.control('POST', '/faults', { webhookDelayRate: 1, webhookDelayMs: heldNote });
          await h.emu.control('PATCH', emu(`/customers/${remote.id}`), { note: `shopify ${k}` });
          await h.emu.control('POST', '/webhooks/drain');
          await h.emu.control('DELETE', '/faults');
          h.t.clock.set(new Date(t1 + 2_000));
          await editLocal(mine.id, { note: `retailos ${k}` });
          if (early) await h.settle();
          await advance(4);
          await h.emu.control('POST', '/faults', { webhookDelayRate: 1, webhookDelayMs: heldName });
          await h.emu.control('PATCH', emu(`/customers/${remote.id}`), { firstName: `Later ${k}` });
          await h.emu.control('POST', '/webhooks/drain');
          await h.emu.control('DELETE', '/faults');
          h.t.clock.set(new Date(await shopifyNow()));
          await h.settle();
          await releaseHeld();
          await advance(1);
          await releaseHeld();

          expect((await localOf(mine.id)).note).toBe(`retailos ${k}`);
          expect((await remoteOf(remote.id)).note).toBe(`retailos ${k}`);
          expect((await localOf(mine.id)).first_name).toBe(`Later ${k}`);
          expect((await remoteOf(remote.id)).firstName).toBe(`Later ${k}`);
        },
      ),
      // Seed 20's order always among them: the note's delivery held past the first name's, no sync between.
      { numRuns: 10, examples: [[60_000, 0, false]] },
    );
  });
});
