import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/core/owner-bootstrap.ts';
import { listRanges, type ImportRange } from '../../src/db/shopify-import-ranges.ts';
import { startImport } from '../../src/sync/import/start.ts';
import { type TestApp } from '../../test-support/app.ts';
import type { RunningEmulator } from '../../test-support/emulator.ts';
import type { ImportJobs } from '../../test-support/import-jobs.ts';
import { startImportStack, stopImportStack } from '../../test-support/import-stack.ts';
import {
  emuList,
  expectImported,
  expectWrittenOnce,
  localIdOf,
  type EmuCustomer,
  type EmuOrder,
  type EmuProduct,
} from '../../test-support/import-compare.ts';
import { connectShop } from '../../test-support/shopify.ts';

/**
 * Ranged exports (decision 0007, "The paced figure"): products, customers and orders are exported in
 * consecutive Shopify id ranges, each written while the next exports. Every record is imported exactly
 * once, whatever the split, and one created while the import runs falls in the last, open range.
 */
const SHOP = 'ranges-a.myshopify.com';
const SHOP_B = 'ranges-b.myshopify.com';
const SHOP_C = 'ranges-c.myshopify.com';
const KEY = 'ranges-key';
const SECRET = 'shpss_ranges_secret';

let emu: RunningEmulator;
let t: TestApp;
let jobs: ImportJobs;

beforeAll(async () => {
  ({ emu, t, jobs } = await startImportStack(
    KEY,
    SECRET,
    [
      ...['--shop', SHOP, '--shop', SHOP_B, '--shop', SHOP_C, '--seed', '17'],
      ...['--products', '30', '--variants-per-product', '2', '--customers', '25', '--orders', '30'],
      ...['--locations', '2'],
    ],
    { shopifyImportMode: 'bulk' },
  ));
}, 180_000);
afterAll(() => stopImportStack({ emu, t, jobs }));

/** Shopify's numeric id of a GID, exact. */
const idOf = (gid: string): bigint => BigInt(/\/(\d+)$/.exec(gid)?.[1] ?? 'x');

/** The ranges of one resource hold each of its ids once, in order, first and last open. */
function expectPartition(ranges: readonly ImportRange[], ids: readonly bigint[]): number[] {
  expect(ranges[0]?.fromId).toBeNull();
  expect(ranges.at(-1)?.toId).toBeNull();
  ranges.forEach((r, i) => {
    if (i > 0) expect(BigInt(r.fromId as string)).toBe(BigInt(ranges[i - 1]?.toId as string) + 1n);
  });
  const inRange = (r: ImportRange, id: bigint) =>
    (r.fromId === null || id >= BigInt(r.fromId)) && (r.toId === null || id <= BigInt(r.toId));
  for (const id of ids) expect(ranges.filter((r) => inRange(r, id)).length).toBe(1);
  // What each export found is what its range holds: none missed, none twice.
  const held = ranges.map((r) => ids.filter((id) => inRange(r, id)).length);
  expect(ranges.map((r) => r.total)).toEqual(held);
  expect(ranges.every((r) => r.state === 'completed')).toBe(true);
  return held;
}

describe('ranged bulk exports', () => {
  it('imports every record once, one created during the import too, each range written while the next exports', async () => {
    await connectShop(t, await t.login(t.a), SHOP);
    // The control API's lists carry each record's emulator id too.
    const products = await emuList<{ variants: { id: number }[] }>(emu, SHOP, 'products');
    const customers = await emuList<{ id: number }>(emu, SHOP, 'customers');
    // Written while the later ranges are still to export: after the first committed products batch.
    let created = false;
    const writtenBefore: { resource: string; range: number | undefined }[] = [];
    jobs.setOptions({
      batchSize: 4,
      rangeTail: 3,
      afterBatch: async ({ resource, range }) => {
        writtenBefore.push({ resource, range });
        if (created || resource !== 'products') return;
        created = true;
        await emu.control('POST', `/shops/${SHOP}/products`, {
          title: 'Made mid-import',
          variants: [{ price: '4.00', sku: 'MID-1' }],
        });
        await emu.control('POST', `/shops/${SHOP}/customers`, {
          email: 'mid@example.com',
          firstName: 'Mid',
          lastName: 'Import',
        });
        await emu.control('POST', `/shops/${SHOP}/orders`, {
          lines: [{ variantId: products[0]?.variants[0]?.id, quantity: 1 }],
          customerId: customers[0]?.id,
        });
      },
    });
    await startImport(t.deps, t.a.tenantId);
    const run = await jobs.drainImport(t.a, { tickMs: 5_000 });
    expect([run.state, run.reason]).toEqual(['completed', null]);
    expect(created).toBe(true);
    // Every record Shopify has now, the ones made mid-import too, is linked exactly once. (Their stock
    // change is the webhooks' to bring, after the import: the levels' export had begun; the second test
    // compares a whole store field by field.)
    const want = {
      products: await emuList<EmuProduct>(emu, SHOP, 'products'),
      customers: await emuList<EmuCustomer>(emu, SHOP, 'customers'),
      orders: await emuList<EmuOrder>(emu, SHOP, 'orders'),
    };
    expect(want.products.some((p) => p.title === 'Made mid-import')).toBe(true);
    expect(want.customers.some((c) => c.email === 'mid@example.com')).toBe(true);
    expect([want.products.length, want.customers.length, want.orders.length]).toEqual([31, 26, 31]);
    for (const [entity, list] of [
      ['product', want.products],
      ['customer', want.customers],
      ['order', want.orders],
    ] as const)
      for (const r of list) await localIdOf(t.db, t.a.tenantId, entity, r.gid); // mapped, once
    expect(await expectWrittenOnce(t.db, t.a.tenantId)).toMatchObject({
      product: 31,
      customer: 26,
      order: 31,
    });
    const ranges = await listRanges(t.db, run.id);
    const of = (resource: string) => ranges.filter((r) => r.resource === resource);
    const orders = want.orders;
    const held = {
      products: expectPartition(
        of('products'),
        want.products.map((p) => idOf(p.gid)),
      ),
      customers: expectPartition(
        of('customers'),
        want.customers.map((c) => idOf(c.gid)),
      ),
      orders: expectPartition(
        of('orders'),
        orders.map((o) => idOf(o.gid)),
      ),
    };
    // The records made mid-import have the highest ids: the last, open range exported them.
    for (const h of Object.values(held)) expect(h.length).toBeGreaterThan(2);
    expect(run.resources.map((r) => [r.resource, r.done, r.parked])).toEqual([
      ['locations', 2, 0],
      ['products', 31, 0],
      ['customers', 26, 0],
      ['orders', 31, 0],
      ['inventory', 120, 0], // the new variant's levels were not there when the levels' export ran
    ]);
    // Ranges are written in order, and a later range of products was written after the first's batches.
    const productRanges = writtenBefore.filter((w) => w.resource === 'products').map((w) => w.range);
    expect(productRanges).toEqual([...productRanges].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(new Set(productRanges).size).toBe(of('products').length);
  });

  it('another split (larger last range, steeper sizes) imports the same store exactly once', async () => {
    await connectShop(t, await t.login(t.b), SHOP_B);
    jobs.setOptions({ batchSize: 5, rangeTail: 7, rangeRatio: 0.5 });
    await startImport(t.deps, t.b.tenantId);
    const run = await jobs.drainImport(t.b, { tickMs: 5_000 });
    expect([run.state, run.reason]).toEqual(['completed', null]);
    const want = await expectImported(t.db, emu, SHOP_B, t.b.tenantId);
    expect(await expectWrittenOnce(t.db, t.b.tenantId)).toMatchObject({
      product: 30,
      customer: 25,
      order: 30,
    });
    const ranges = await listRanges(t.db, run.id);
    const orders = await emuList<EmuOrder>(emu, SHOP_B, 'orders');
    expect(
      expectPartition(
        ranges.filter((r) => r.resource === 'products'),
        want.products.map((p) => idOf(p.gid)),
      ),
    ).toEqual([23, 7]);
    expectPartition(
      ranges.filter((r) => r.resource === 'orders'),
      orders.map((o) => idOf(o.gid)),
    );
  });

  it('a range that finds nothing (its records deleted before it exported) completes, and the import with it', async () => {
    const user = await createUser(
      { ...t.deps, scrypt: { N: 1024, r: 8, p: 1, keyLength: 32 } },
      { tenantName: 'Ranges C', email: 'owner-c@example.com', password: 'pw-ranges-c-owner', role: 'owner' },
    );
    const owner = {
      ...t.a,
      tenantId: user.tenantId,
      email: 'owner-c@example.com',
      password: 'pw-ranges-c-owner',
    };
    await connectShop(t, await t.login(owner), SHOP_C);
    const products = await emuList<{ id: number; gid: string }>(emu, SHOP_C, 'products');
    const newest = [...products].sort((a, b) => (idOf(a.gid) < idOf(b.gid) ? -1 : 1)).slice(-3);
    let deleted = false;
    jobs.setOptions({
      batchSize: 4,
      rangeTail: 3,
      // The products' last range (their 3 newest) has not exported after the first batch of the first.
      afterBatch: async ({ resource, range }) => {
        if (deleted || resource !== 'products' || range !== 0) return;
        deleted = true;
        for (const p of newest) await emu.control('DELETE', `/shops/${SHOP_C}/products/${p.id}`);
      },
    });
    await startImport(t.deps, owner.tenantId);
    const run = await jobs.drainImport(owner, { tickMs: 5_000 });
    expect([run.state, run.reason]).toEqual(['completed', null]);
    expect(deleted).toBe(true);
    const ranges = (await listRanges(t.db, run.id)).filter((r) => r.resource === 'products');
    expect(ranges.at(-1)).toMatchObject({ state: 'completed', total: 0, url: null, linesDone: 0 });
    expect(run.resources.find((r) => r.resource === 'products')).toMatchObject({
      state: 'completed',
      done: 27,
    });
  });
});
