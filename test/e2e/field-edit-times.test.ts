// A field changed on both sides goes to the later edit OF THAT FIELD, not to the side whose record was
// touched last: an edit of another field afterwards must not make an older edit look later. (The chaos
// run lost edits both ways: a Retailos note older than Shopify's won because Retailos's last name was
// edited after both, seed 3 op 112; a Shopify title older than Retailos's won because Shopify's price was
// edited after both, short seed 12 op 28.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import type { Conflict } from '../../src/domain/merge.ts';
import {
  expectOk,
  pushOnly,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'field-edit-times.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  updatedAt: string;
  variants: { id: number; sku: string | null; price: string }[];
}
interface EmuCustomer {
  id: number;
  email: string | null;
  lastName: string | null;
  note: string | null;
  updatedAt: string;
}
interface ApiCustomer {
  id: string;
  last_name: string;
  note: string;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '83', '--products', '6', '--customers', '3', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

/** The outbox relay and the push jobs only: deliveries already received wait in the inbox. */
const push = (): Promise<void> => pushOnly(h);

/** The emulator's clock (Shopify's), in ms. */
async function shopifyNow(): Promise<number> {
  return Date.parse((await h.emu.control<{ now: string }>('GET', '/clock')).now);
}

async function conflictsOf(localId: string): Promise<Conflict[]> {
  const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId }, 20);
  return entries.flatMap((e) => (Array.isArray(e.conflicts) ? (e.conflicts as Conflict[]) : []));
}

/**
 * An edit in Shopify's admin (`path` under the shop) whose delivery reaches Retailos 1.5 s later and
 * waits in the inbox (the apply worker has not taken it); Retailos's clock is then at that moment.
 * Returns the edit's time (Shopify's clock).
 */
async function shopifyEditWaits(path: string, body: Record<string, unknown>): Promise<number> {
  const edited = await h.emu.control<{ updatedAt: string }>('PATCH', `/shops/${SHOP}${path}`, body);
  const at = Date.parse(edited.updatedAt);
  h.t.clock.set(new Date(at + 1_500));
  await h.emu.control('POST', '/webhooks/drain');
  return at;
}

const emuCustomers = async (): Promise<EmuCustomer[]> =>
  (await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`)).customers;

/** Retailos's product with this SKU, or Retailos's customer with this e-mail (the test needs it). */
async function localProduct(sku: string): Promise<ApiProduct> {
  const found = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  const local = found.body.items[0];
  if (!local) throw new Error('no local product');
  return local;
}
async function localCustomer(email: string): Promise<ApiCustomer> {
  const found = await h.api<{ items: ApiCustomer[] }>(
    'GET',
    `/api/customers?email=${encodeURIComponent(email)}`,
  );
  const local = found.body.items[0];
  if (!local) throw new Error('no local customer');
  return local;
}

describe('a field edited on both sides is decided by its own edit times', () => {
  it("a Retailos note older than Shopify's loses, though Retailos edited the last name after both", async () => {
    const remote = (await emuCustomers()).find((c) => c.email);
    if (!remote?.email) throw new Error('no customer');
    const local = await localCustomer(remote.email);
    // T0: the note in Retailos.
    h.t.clock.set(new Date(await shopifyNow()));
    expectOk(await h.api('PATCH', `/api/customers/${local.id}`, { note: 'Retailos note' }));
    // T1 > T0: the note in Shopify's admin.
    await h.emu.control('POST', '/clock/advance', { seconds: 5 });
    const theirs = await h.emu.control<EmuCustomer>('PATCH', `/shops/${SHOP}/customers/${remote.id}`, {
      note: 'Shopify note',
    });
    // T2 > T1: the last name in Retailos. The record's times now say Retailos is the later side.
    h.t.clock.set(new Date(Date.parse(theirs.updatedAt) + 5_000));
    expectOk(await h.api('PATCH', `/api/customers/${local.id}`, { last_name: 'King' }));
    await push();
    await h.settle();
    const r = (await emuCustomers()).find((c) => c.id === remote.id);
    const l = (await h.api<ApiCustomer>('GET', `/api/customers/${local.id}`)).body;
    expect([r?.note, r?.lastName]).toEqual(['Shopify note', 'King']);
    expect([l.note, l.last_name]).toEqual(['Shopify note', 'King']);
    expect((await conflictsOf(local.id)).find((c) => c.path === 'note')).toMatchObject({
      winner: 'remote',
      local: 'Retailos note',
      remote: 'Shopify note',
      lost: 'Retailos note',
    });
  });

  it("a Shopify title older than Retailos's loses, though Shopify edited a price after both", async () => {
    const products = (
      await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
    ).products;
    const remote = products[0];
    const variant = remote?.variants[0];
    if (!remote || !variant?.sku) throw new Error('no product');
    const local = await localProduct(variant.sku);
    // T0: the title in Shopify's admin; its products/update reaches Retailos 1.5 s later and waits in
    // the inbox (the apply worker has not taken it).
    const t0 = await shopifyEditWaits(`/products/${remote.id}`, { title: 'Shopify title' });
    // T1 > T0: the title in Retailos.
    h.t.clock.set(new Date(t0 + 3_000));
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title: 'Retailos title' }));
    // T2 > T1: a price in Shopify's admin, before Retailos's push reads Shopify. The record's times now
    // say Shopify is the later side.
    await h.emu.control('POST', '/clock/advance', { seconds: 10 });
    const repriced = await h.emu.control<{ updatedAt: string }>(
      'PATCH',
      `/shops/${SHOP}/variants/${variant.id}`,
      {
        price: '77.00',
      },
    );
    expect(Date.parse(repriced.updatedAt)).toBeGreaterThan(t0 + 3_000);
    await push();
    await h.settle();
    const after = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
    const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    expect([after.title, after.variants[0]?.price]).toEqual(['Retailos title', '77.00']);
    expect([mine.title, mine.variants[0]?.price]).toEqual(['Retailos title', '77.00']);
    expect((await conflictsOf(local.id)).find((c) => c.path === 'title')).toMatchObject({
      winner: 'local',
      local: 'Retailos title',
      remote: 'Shopify title',
      lost: 'Shopify title',
    });
  });

  it("a Retailos price newer than Shopify's wins, though Shopify repriced another variant after both", async () => {
    const products = (
      await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
    ).products;
    const remote = products.find((p, i) => i > 0 && p.variants.length >= 2 && p.variants.every((v) => v.sku));
    const [first, second] = remote?.variants ?? [];
    if (!remote || !first?.sku || !second) throw new Error('no product with two variants');
    const local = await localProduct(first.sku);
    // T0: the first variant's price in Shopify's admin; its delivery reaches Retailos and waits.
    const t0 = await shopifyEditWaits(`/variants/${first.id}`, { price: '55.00' });
    // T1 > T0: the same variant's price in Retailos.
    h.t.clock.set(new Date(t0 + 3_000));
    const body = variantsBody(local, (v) => (v.sku === first.sku ? { price: '66.00' } : {}));
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { variants: body }));
    // T2 > T1: the other variant's price in Shopify's admin. The whole variant list (and the record)
    // was last edited on Shopify, but the first variant's price was not.
    await h.emu.control('POST', '/clock/advance', { seconds: 10 });
    await h.emu.control('PATCH', `/shops/${SHOP}/variants/${second.id}`, { price: '88.00' });
    await push();
    await h.settle();
    const after = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
    const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    const prices = (vs: { sku: string | null; price: string }[]) =>
      [first.sku, second.sku].map((sku) => vs.find((v) => v.sku === sku)?.price);
    expect(prices(after.variants)).toEqual(['66.00', '88.00']);
    expect(prices(mine.variants)).toEqual(['66.00', '88.00']);
    expect(
      (await conflictsOf(local.id)).find((c) => c.path === `variants[${first.sku}].price`),
    ).toMatchObject({ winner: 'local', local: '66.00', remote: '55.00' });
  });

  /** A product with two variants that have SKUs (a different one for each test), on both sides. */
  async function twoVariantProduct(skip: number) {
    const products = (
      await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
    ).products;
    const remote = products.filter((p) => p.variants.length >= 2 && p.variants.every((v) => v.sku))[skip];
    const [first, second] = remote?.variants ?? [];
    if (!remote || !first?.sku || !second?.sku) throw new Error('no product with two variants');
    const local = await localProduct(first.sku);
    return { remote, first, second, local };
  }

  it("a Retailos price newer than Shopify's wins, though Shopify edited the same variant's SKU after both (chaos seed 3, op 260)", async () => {
    const { remote, first, local } = await twoVariantProduct(2);
    // T0: the variant's price in Shopify's admin; its delivery reaches Retailos and waits.
    const t0 = await shopifyEditWaits(`/variants/${first.id}`, { price: '57.00' });
    // T1 > T0: the same variant's price in Retailos.
    h.t.clock.set(new Date(t0 + 3_000));
    const body = variantsBody(local, (v) => (v.sku === first.sku ? { price: '67.00' } : {}));
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { variants: body }));
    // T2 > T1: the same variant's SKU in Shopify's admin. The variant (and the record) was last edited
    // on Shopify, but not its price.
    await h.emu.control('POST', '/clock/advance', { seconds: 10 });
    await h.emu.control('PATCH', `/shops/${SHOP}/variants/${first.id}`, { sku: 'FIELD-SKU-1' });
    await push();
    await h.settle();
    const after = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
    const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    const it = (vs: { id: unknown; sku: string | null; price: string }[], id: unknown) =>
      vs.filter((v) => v.id === id).map((v) => [v.sku, v.price]);
    expect(it(after.variants, first.id)).toEqual([['FIELD-SKU-1', '67.00']]);
    const firstLocal = local.variants.find((v) => v.sku === first.sku)?.id;
    expect(it(mine.variants, firstLocal)).toEqual([['FIELD-SKU-1', '67.00']]);
    expect((await conflictsOf(local.id)).find((c) => c.path.endsWith('].price'))).toMatchObject({
      winner: 'local',
      local: '67.00',
      remote: '57.00',
    });
  });

  it("a Shopify SKU newer than Retailos's wins, though Retailos repriced the same variant after both (chaos seed 3, op 45)", async () => {
    const { remote, first, local } = await twoVariantProduct(3);
    const firstLocal = local.variants.find((v) => v.sku === first.sku)?.id;
    // T0: the variant's SKU in Retailos.
    h.t.clock.set(new Date(await shopifyNow()));
    let body = variantsBody(local, (v) => (v.id === firstLocal ? { sku: 'RETAILOS-SKU-2' } : {}));
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { variants: body }));
    // T1 > T0: the same variant's SKU in Shopify's admin; its delivery reaches Retailos and waits.
    await h.emu.control('POST', '/clock/advance', { seconds: 5 });
    const t1 = await shopifyEditWaits(`/variants/${first.id}`, { sku: 'SHOPIFY-SKU-2' });
    // T2 > T1: the same variant's price in Retailos. Its variant list (and the record) was last edited in
    // Retailos, but not its SKU.
    h.t.clock.set(new Date(t1 + 5_000));
    const now = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    body = variantsBody(now, (v) => (v.id === firstLocal ? { price: '44.00' } : {}));
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { variants: body }));
    await push();
    await h.settle();
    const after = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
    const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    expect(after.variants.filter((v) => v.id === first.id).map((v) => [v.sku, v.price])).toEqual([
      ['SHOPIFY-SKU-2', '44.00'],
    ]);
    expect(mine.variants.filter((v) => v.id === firstLocal).map((v) => [v.sku, v.price])).toEqual([
      ['SHOPIFY-SKU-2', '44.00'],
    ]);
    expect((await conflictsOf(local.id)).find((c) => c.path.endsWith('].sku'))).toMatchObject({
      winner: 'remote',
      local: 'RETAILOS-SKU-2',
      remote: 'SHOPIFY-SKU-2',
    });
  });

  it("a Retailos last name newer than Shopify's wins, though Shopify edited the note after both (chaos seed 1, op 281)", async () => {
    // Shopify's customers/update has no tags since 2025-01: no delivery is whole, yet each tells when
    // its other fields got their values.
    const remote = (await emuCustomers()).filter((c) => c.email)[1];
    if (!remote?.email) throw new Error('no second customer');
    const local = await localCustomer(remote.email);
    // T0: the last name in Shopify's admin; its delivery reaches Retailos and waits.
    const t0 = await shopifyEditWaits(`/customers/${remote.id}`, { lastName: 'Shopify name' });
    // T1 > T0: the last name in Retailos.
    h.t.clock.set(new Date(t0 + 3_000));
    expectOk(await h.api('PATCH', `/api/customers/${local.id}`, { last_name: 'Retailos name' }));
    // T2 > T1: the note in Shopify's admin. The record was last edited on Shopify, its last name was not.
    await h.emu.control('POST', '/clock/advance', { seconds: 10 });
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${remote.id}`, { note: 'Shopify later note' });
    await push();
    await h.settle();
    const r = (await emuCustomers()).find((c) => c.id === remote.id);
    const l = (await h.api<ApiCustomer>('GET', `/api/customers/${local.id}`)).body;
    expect([r?.lastName, r?.note]).toEqual(['Retailos name', 'Shopify later note']);
    expect([l.last_name, l.note]).toEqual(['Retailos name', 'Shopify later note']);
    expect((await conflictsOf(local.id)).find((c) => c.path === 'lastName')).toMatchObject({
      winner: 'local',
      local: 'Retailos name',
      remote: 'Shopify name',
    });
  });
});
