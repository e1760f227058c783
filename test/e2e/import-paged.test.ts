import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/core/owner-bootstrap.ts';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyImportJob } from '../../src/jobs/shopify-import.ts';
import { pageCost } from '../../src/sync/import/page-size.ts';
import { importProgress } from '../../src/sync/import/progress.ts';
import { startImport } from '../../src/sync/import/start.ts';
import { type TestApp, type TestTenant } from '../../test-support/app.ts';
import type { RunningEmulator } from '../../test-support/emulator.ts';
import type { ImportJobs } from '../../test-support/import-jobs.ts';
import { startImportStack, stopImportStack } from '../../test-support/import-stack.ts';
import { expectImported, expectWrittenOnce } from '../../test-support/import-compare.ts';
import { connectShop } from '../../test-support/shopify.ts';

/**
 * The paginated import: a store read page by page through the Admin GraphQL connections equals the
 * emulator field by field, resumes from the last committed cursor after a crash, keeps within the
 * cost budget by pacing itself (and waits out THROTTLED answers), and completes records whose
 * children do not fit in one page with follow-up queries.
 */
const SHOP = 'paged-auto.myshopify.com';
const SHOP_B = 'paged-crash.myshopify.com';
const SHOP_C = 'paged-storm.myshopify.com';
const KEY = 'paged-key';
const SECRET = 'shpss_paged_secret';
// Bigger than one bucket (2000 points on the standard plan): the import has to pace itself.
const STORE = ['--products', '80', '--variants-per-product', '3', '--customers', '20', '--orders', '25'];

let emu: RunningEmulator;
let t: TestApp;
let jobs: ImportJobs;

interface Call {
  operationName: string | null;
  rootFields: string[];
  variables: Record<string, unknown> | null;
  requestedCost: number | null;
  actualCost: number | null;
  throttled: boolean;
}

beforeAll(async () => {
  // SHOPIFY_IMPORT_MODE is auto (the default) unless a config says bulk.
  ({ emu, t, jobs } = await startImportStack(KEY, SECRET, [
    ...['--shop', SHOP, '--shop', SHOP_B, '--shop', SHOP_C],
    ...['--seed', '17', ...STORE, '--locations', '2'],
  ]));
}, 180_000);
afterAll(() => stopImportStack({ emu, t, jobs }));

/** Drains the import; between rounds the emulator's clock moves on too (it refills the cost bucket). */
const drainImport = (tenant: TestTenant, rounds = 400) =>
  jobs.drainImport(tenant, {
    rounds,
    between: () => emu.control('POST', '/clock/advance', { seconds: 10 }),
  });

const calls = async (shop: string) =>
  (await emu.control<{ calls: Call[] }>('GET', `/calls?shop=${shop}`)).calls;

const count = async (sql: string, params: unknown[]) =>
  Number((await t.db.query<{ n: number }>(sql, params)).rows[0]?.n);

/** A product with more variants than a page asks for (twice the store's average). */
async function addBigProduct(shop: string, variants: number): Promise<void> {
  const sizes = Array.from({ length: variants }, (_, i) => `S${i + 1}`);
  await emu.control('POST', `/shops/${shop}/products`, {
    title: 'Many sizes',
    options: [{ name: 'Size', values: sizes }],
    variants: sizes.map((s, i) => ({ price: `${10 + i}.00`, sku: `BIG-${shop}-${i + 1}`, options: [s] })),
  });
}

describe('the paginated import', () => {
  it('reads a small store page by page under auto, equal to Shopify field by field, within the cost budget', async () => {
    await addBigProduct(SHOP, 14);
    await connectShop(t, await t.login(t.a), SHOP);
    await emu.control('DELETE', '/calls');
    jobs.setOptions({ batchSize: 10 });
    await startImport(t.deps, t.a.tenantId);
    const run = await drainImport(t.a);
    expect(run.state).toBe('completed');
    const { products } = await expectImported(t.db, emu, SHOP, t.a.tenantId);
    const levels = products.reduce((n, p) => n + p.variants.reduce((m, v) => m + v.inventory.length, 0), 0);
    expect(levels).toBeGreaterThan(400);
    expect(run.resources.map((r) => [r.resource, r.mode, r.state, r.done, r.parked, r.total])).toEqual([
      ['locations', 'paged', 'completed', 2, 0, 2],
      ['products', 'paged', 'completed', 81, 0, 81],
      ['customers', 'paged', 'completed', 20, 0, 20],
      ['orders', 'paged', 'completed', 25, 0, 25],
      ['inventory', 'paged', 'completed', levels, 0, levels],
    ]);
    expect(products.find((p) => p.title === 'Many sizes')?.variants).toHaveLength(14);
    // Nothing to push, and no change rows at all (decision 0007).
    expect(await count(`select count(*)::int as n from changes where tenant_id = $1`, [t.a.tenantId])).toBe(
      0,
    );

    const log = await calls(SHOP);
    expect(log.filter((c) => c.rootFields.includes('bulkOperationRunQuery'))).toEqual([]);
    // Every page asks for what the cost formula says, never above Shopify's 1000 cap…
    const pages = log.filter((c) => c.operationName?.endsWith('Page'));
    expect(pages.length).toBeGreaterThan(4);
    for (const c of pages) {
      const v = c.variables ?? {};
      const resource = (
        {
          ImportProductsPage: 'products',
          ImportCustomersPage: 'customers',
          ImportOrdersPage: 'orders',
          ImportLevelsPage: 'inventory',
        } as const
      )[c.operationName as 'ImportProductsPage'];
      expect(c.requestedCost).toBe(pageCost(resource, Number(v['first']), Number(v['childFirst'] ?? 0)));
      expect(c.requestedCost).toBeLessThanOrEqual(1000);
    }
    // …the big product's other variants came with one follow-up query on it…
    const followUps = log.filter((c) => c.operationName === 'ImportProductVariants');
    expect(followUps).toHaveLength(1);
    // …and the import spent more than one bucket without a single THROTTLED answer: it paced itself.
    const spent = log.reduce((n, c) => n + (c.actualCost ?? 0), 0);
    expect(spent).toBeGreaterThan(2000);
    expect(log.filter((c) => c.throttled)).toEqual([]);

    const progress = importProgress(run, t.clock.now());
    expect(progress.resources.map((r) => [r.resource, r.mode, r.etaSeconds])).toEqual([
      ['locations', 'paged', 0],
      ['products', 'paged', 0],
      ['customers', 'paged', 0],
      ['orders', 'paged', 0],
      ['inventory', 'paged', 0],
    ]);
  });

  it('resumes after a crash mid-resource from the last committed cursor, without duplicates', async () => {
    Object.assign(t.deps, { config: { ...t.deps.config, shopifyImportMode: 'paged' } });
    await connectShop(t, await t.login(t.b), SHOP_B);
    let crashes = 0;
    jobs.setOptions({
      maxPageCost: 200, // 9 products a page
      afterBatch: (info) => {
        if (info.resource === 'products' && info.done >= 18 && crashes === 0) {
          crashes += 1;
          throw new Error('worker killed after the second page');
        }
      },
    });
    await startImport(t.deps, t.b.tenantId);
    for (let i = 0; i < 20 && crashes === 0; i += 1) {
      await drainQueue(jobs.boss, shopifyImportJob as never, t.deps);
      await jobs.clock.tick(5_000);
    }
    expect(crashes).toBe(1);
    const mid = await getLatestImport(t.db, t.b.tenantId);
    expect(mid?.state).toBe('paused');
    expect(mid?.reason).toContain('worker killed');
    const products = mid?.resources.find((r) => r.resource === 'products');
    expect(products).toMatchObject({ mode: 'paged', state: 'running', done: 18, pageFirst: 9 });
    expect(products?.pageCursor).not.toBeNull();
    const tenant = t.b.tenantId;
    expect(await count('select count(*)::int as n from products where tenant_id = $1', [tenant])).toBe(18);

    await emu.control('DELETE', '/calls');
    const run = await drainImport(t.b);
    expect(run.state).toBe('completed');
    // Resumed at the third page: the first two were never asked for again, nor any page twice.
    const again = (await calls(SHOP_B)).filter((c) => c.operationName === 'ImportProductsPage');
    expect(again[0]?.variables?.['after']).toBe(products?.pageCursor);
    const afters = again.map((c) => c.variables?.['after']);
    expect(new Set(afters).size).toBe(afters.length);
    await expectImported(t.db, emu, SHOP_B, tenant);
    // Each product written exactly once (its version still 1, named once in Sync History).
    expect((await expectWrittenOnce(t.db, tenant))['product']).toBe(80);
    expect(
      await count(
        `select count(*)::int as n from shopify_links where tenant_id = $1 and entity = 'product'`,
        [tenant],
      ),
    ).toBe(80);
    expect(run.resources.find((r) => r.resource === 'products')).toMatchObject({
      done: 80,
      parked: 0,
      total: 80,
    });
  });

  it('completes under a throttle storm with small pages: THROTTLED answers are waited out and retried', async () => {
    Object.assign(t.deps, { config: { ...t.deps.config, shopifyImportMode: 'paged' } });
    await addBigProduct(SHOP_C, 90);
    const email = 'owner-storm@example.com';
    const password = 'pw-storm-0123456789';
    const scrypt = { N: 1024, r: 8, p: 1, keyLength: 32 };
    const user = await createUser(
      { ...t.deps, scrypt },
      { tenantName: 'Storm', email, password, role: 'owner' },
    );
    const owner: TestTenant = { ...t.a, tenantId: user.tenantId, email, password };
    await connectShop(t, await t.login(owner), SHOP_C);
    await emu.control('DELETE', '/calls');
    await emu.control('POST', '/faults', { profile: 'throttle-storm' });
    jobs.setOptions({ maxPageCost: 120 }); // tiny pages: a few products, 39 variants a follow-up, 38 levels
    try {
      await startImport(t.deps, owner.tenantId);
      const run = await drainImport(owner, 1500);
      expect(run.state).toBe('completed');
    } finally {
      await emu.control('DELETE', '/faults');
    }
    const log = await calls(SHOP_C);
    expect(log.filter((c) => c.throttled).length).toBeGreaterThan(5);
    const followUps = log.filter((c) => c.operationName === 'ImportProductVariants' && !c.throttled);
    expect(followUps.length).toBeGreaterThanOrEqual(3); // 90 variants: a page holds a few, then 39 at a time
    expect(Math.max(...log.map((c) => c.requestedCost ?? 0))).toBeLessThanOrEqual(120);
    const { products } = await expectImported(t.db, emu, SHOP_C, owner.tenantId);
    expect(products.find((p) => p.title === 'Many sizes')?.variants).toHaveLength(90);
  });
});
