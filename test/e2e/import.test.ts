import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRanges } from '../../src/db/shopify-import-ranges.ts';
import { getLatestImport, listParked } from '../../src/db/shopify-imports.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyImportJob } from '../../src/jobs/shopify-import.ts';
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
  type EmuProduct,
} from '../../test-support/import-compare.ts';
import { connectShop } from '../../test-support/shopify.ts';

const SHOP = 'import-e2e.myshopify.com';
const SHOP_B = 'import-resume.myshopify.com';
const KEY = 'import-key';
const SECRET = 'shpss_import_secret';

let emu: RunningEmulator;
let t: TestApp;
let jobs: ImportJobs;

beforeAll(async () => {
  // These scenarios are the bulk path; import-paged.test.ts reads the same kind of store page by page.
  ({ emu, t, jobs } = await startImportStack(
    KEY,
    SECRET,
    [
      ...['--shop', SHOP, '--shop', SHOP_B, '--seed', '11'],
      ...[
        '--products',
        '30',
        '--variants-per-product',
        '3',
        '--customers',
        '20',
        '--orders',
        '25',
        '--locations',
        '2',
      ],
    ],
    { shopifyImportMode: 'bulk' },
  ));
}, 180_000);
afterAll(() => stopImportStack({ emu, t, jobs }));

const count = async (sql: string, params: unknown[]) =>
  Number((await t.db.query<{ n: number }>(sql, params)).rows[0]?.n);

/** The levels whose numbers are not their opening stock plus their ledger's deltas. */
async function ledgerMismatches(tenant: string): Promise<unknown[]> {
  const { rows } = await t.db.query(
    `select l.id, l.available, l.on_hand, l.opening_available, l.opening_on_hand, a.available as ledger_available,
       a.on_hand as ledger_on_hand
     from inventory_levels l
     left join lateral (select coalesce(sum(delta_available), 0)::int as available, coalesce(sum(delta_on_hand), 0)::int as on_hand
       from inventory_adjustments a where a.tenant_id = l.tenant_id and a.variant_id = l.variant_id
       and a.location_id = l.location_id) a on true
     where l.tenant_id = $1
       and (l.available <> l.opening_available + a.available or l.on_hand <> l.opening_on_hand + a.on_hand)`,
    [tenant],
  );
  return rows;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string): number => parseInt(id.replaceAll('-', '').slice(0, 12), 16);
const gidNumber = (gid: string): number => Number(/\/(\d+)(?:\?|$)/.exec(gid)?.[1]);

/**
 * Every record the import created has a UUIDv7 id (decision 0007, item 4) whose time is the import's
 * (the test clock's, between `from` and `to`), and the ids follow the order the import wrote them in:
 * each bulk resource's records in Shopify's export order (by Shopify id) across batches, and an order's
 * line items by position.
 */
async function expectTimeOrderedIds(tenant: string, from: number, to: number): Promise<void> {
  const ids = async (sql: string): Promise<string[]> =>
    (await t.db.query<{ id: string }>(sql, [tenant])).rows.map((r) => r.id);
  const tables = [
    'products',
    'variants',
    'customers',
    'orders',
    'locations',
    'inventory_levels',
    'order_line_items',
  ];
  for (const table of tables) {
    const all = await ids(`select id::text from ${table} where tenant_id = $1`);
    expect(all.length, table).toBeGreaterThan(0);
    expect(
      all.filter((id) => !UUID_V7.test(id)),
      table,
    ).toEqual([]);
    expect(
      all.filter((id) => msOf(id) < from || msOf(id) > to),
      table,
    ).toEqual([]);
  }
  // (Locations are read page by page, in the order Shopify lists them, not by id.)
  for (const entity of ['product', 'customer', 'order']) {
    const { rows } = await t.db.query<{ gid: string; local_id: string }>(
      'select gid, local_id::text from shopify_links where tenant_id = $1 and entity = $2',
      [tenant, entity],
    );
    const inExportOrder = rows.sort((a, b) => gidNumber(a.gid) - gidNumber(b.gid)).map((r) => r.local_id);
    expect(inExportOrder, entity).toEqual([...inExportOrder].sort());
  }
  const lines = await t.db.query<{ order_id: string; ids: string[] }>(
    `select order_id, array_agg(id::text order by position) as ids from order_line_items where tenant_id = $1
     group by order_id`,
    [tenant],
  );
  for (const { ids: inPosition } of lines.rows) expect(inPosition).toEqual([...inPosition].sort());
}

describe('the initial Shopify import', () => {
  it('imports every product, customer, order and stock level, field by field, and switches sync on', async () => {
    const from = t.clock.now().getTime();
    await connectShop(t, await t.login(t.a), SHOP);
    const started = await getLatestImport(t.db, t.a.tenantId); // the connect itself starts the import
    expect(started?.state).toBe('pending');
    // The planner's row count of `products` and the GID map after each products batch: the import
    // refreshes the statistics of the tables it fills as they grow (1, 4, 16 … batches).
    const seen: [number, number, number][] = [];
    const reltuples = async (table: string) =>
      Number(
        (
          await t.db.query<{ n: number }>(`select reltuples::int as n from pg_class where relname = $1`, [
            table,
          ])
        ).rows[0]?.n,
      );
    jobs.setOptions({
      batchSize: 10,
      ingestLanes: 1, // one file at a time, so the GID map holds the products' links alone when counted
      afterBatch: async ({ resource, done }) => {
        if (resource === 'products')
          seen.push([done, await reltuples('products'), await reltuples('shopify_links')]);
      },
    });
    expect((await startImport(t.deps, t.a.tenantId)).id).toBe(started?.id); // starting again resumes, never doubles
    const run = await jobs.drainImport(t.a, { tickMs: 5_000 });
    expect(run.state).toBe('completed');
    // 10 products + 30 variants + 10 inventory items (+ 2 locations) linked after the first batch.
    expect(seen.map(([done, products]) => [done, products])).toEqual([
      [10, 10],
      [20, 10], // not due: 20 is between 1 and 4 batches
      [30, 10],
    ]);
    expect(seen[0]?.[2]).toBe(2 + 10 + 30 + 30);
    // Continuous sync finds every filled table analysed, snapshots and other documents left out.
    const stats = await t.db.query<{ tablename: string; attname: string }>(
      `select tablename, attname from pg_stats where schemaname = current_schema()
       and attname in ('gid', 'snapshot', 'tenant_id') and tablename in ('shopify_links', 'orders')`,
    );
    // The refreshes sample small, and leave the connection's own setting as it was.
    const target = await t.db.query<{ default_statistics_target: string }>('show default_statistics_target');
    expect(target.rows[0]?.default_statistics_target).toBe('100');
    expect(stats.rows.map((r) => `${r.tablename}.${r.attname}`).sort()).toEqual([
      'orders.tenant_id',
      'shopify_links.gid',
      'shopify_links.tenant_id',
    ]);
    expect(run.resources.map((r) => [r.resource, r.state, r.done, r.parked])).toEqual([
      ['locations', 'completed', 2, 0],
      ['products', 'completed', 30, 0],
      ['customers', 'completed', 20, 0],
      ['orders', 'completed', 25, 0],
      ['inventory', 'completed', 180, 0],
    ]);
    const conn = await t.db.query<{ state: string }>(
      'select state from shopify_connections where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(conn.rows[0]?.state).toBe('syncing');
    const tenant = t.a.tenantId;
    const { products, customers, orders } = await expectImported(t.db, emu, SHOP, tenant);
    expect(products).toHaveLength(30);
    expect(await count('select count(*)::int as n from variants where tenant_id = $1', [tenant])).toBe(90);
    expect(customers).toHaveLength(20);
    expect(orders).toHaveLength(25);
    // Nothing of it may be pushed back: the import writes no change rows at all (decision 0007).
    expect(await count(`select count(*)::int as n from changes where tenant_id = $1`, [tenant])).toBe(0);
    expect((await expectWrittenOnce(t.db, tenant))['order']).toBe(25);
    // Opening stock is the level, not a ledger row per level (decision 0007, item 3).
    expect(
      await count('select count(*)::int as n from inventory_adjustments where tenant_id = $1', [tenant]),
    ).toBe(0);
    expect(await ledgerMismatches(tenant)).toEqual([]);
    await expectTimeOrderedIds(tenant, from, t.clock.now().getTime());
  });

  it('shows its progress per resource on GET /api/shopify/import, and 404 where none ran', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/shopify/import', headers: t.bearer(t.a) });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      state: string;
      resources: {
        resource: string;
        mode: string | null;
        state: string;
        done: number;
        total: number;
        eta_seconds: number;
        rate_per_second: number | null;
      }[];
    }>();
    expect(body.state).toBe('completed');
    expect(body.resources.map((r) => [r.resource, r.mode, r.state, r.done, r.total, r.eta_seconds])).toEqual([
      ['locations', 'paged', 'completed', 2, 2, 0], // a handful: always one plain query
      ['products', 'bulk', 'completed', 30, 30, 0],
      ['customers', 'bulk', 'completed', 20, 20, 0],
      ['orders', 'bulk', 'completed', 25, 25, 0],
      ['inventory', 'bulk', 'completed', 180, 180, 0],
    ]);
    const none = await t.app.inject({ method: 'GET', url: '/api/shopify/import', headers: t.bearer(t.b) });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('a second run imports nothing new and duplicates nothing', async () => {
    const tenant = t.a.tenantId;
    const before = await t.db.query(
      'select (select count(*)::int from shopify_sync_history where tenant_id = $1) as history, (select count(*)::int from shopify_links where tenant_id = $1) as links',
      [tenant],
    );
    const second = await startImport(t.deps, tenant);
    const run = await jobs.drainImport(t.a, { tickMs: 5_000 });
    expect(run.id).toBe(second.id);
    expect(run.state).toBe('completed');
    const after = await t.db.query(
      'select (select count(*)::int from shopify_sync_history where tenant_id = $1) as history, (select count(*)::int from shopify_links where tenant_id = $1) as links',
      [tenant],
    );
    expect(after.rows).toEqual(before.rows);
    expect(await count('select count(*)::int as n from products where tenant_id = $1', [tenant])).toBe(30);
    expect(await count('select count(*)::int as n from orders where tenant_id = $1', [tenant])).toBe(25);
  });

  it('a run after Shopify changed an order rewrites that order once, its line items replaced, not added', async () => {
    const tenant = t.a.tenantId;
    const lines = () =>
      count('select count(*)::int as n from order_line_items where tenant_id = $1', [tenant]);
    const linesBefore = await lines();
    const versions = async () =>
      (
        await t.db.query<{ id: string; version: number }>(
          'select id, version from orders where tenant_id = $1 order by id',
          [tenant],
        )
      ).rows;
    const versionsBefore = await versions();
    const [order] = await emuList<{ id: string; gid: string; lineItems: unknown[] }>(emu, SHOP, 'orders');
    expect(order?.lineItems.length).toBeGreaterThan(0);
    await emu.control('PATCH', `/shops/${SHOP}/orders/${order?.id}`, { note: 'changed on Shopify' });
    await startImport(t.deps, tenant);
    expect((await jobs.drainImport(t.a, { tickMs: 5_000 })).state).toBe('completed');
    const { orders } = await expectImported(t.db, emu, SHOP, tenant); // field by field, line items too
    expect(orders).toHaveLength(25);
    expect(await lines()).toBe(linesBefore);
    // Rewritten once (its version + 1), the others untouched; still no change rows (decision 0007).
    const id = await localIdOf(t.db, tenant, 'order', order?.gid as string);
    expect(await versions()).toEqual(
      versionsBefore.map((v) => (v.id === id ? { ...v, version: v.version + 1 } : v)),
    );
    expect(await count('select count(*)::int as n from changes where tenant_id = $1', [tenant])).toBe(0);
  });

  it('a run after Shopify changed a stock level writes one ledger row, its delta, and none for the others', async () => {
    const tenant = t.a.tenantId;
    const [product] = await emuList<EmuProduct>(emu, SHOP, 'products');
    const variant = product?.variants.find((v) => v.sku !== null && v.inventory.length > 0);
    const was = variant?.inventory[0];
    if (!variant || !was) throw new Error('the store has no stocked variant');
    const now = await emu.control<{ inventory: { locationId: number; available: number; onHand: number }[] }>(
      'POST',
      `/shops/${SHOP}/inventory/adjust`,
      { sku: variant.sku, locationId: was.locationId, delta: -3 },
    );
    const is = now.inventory.find((i) => i.locationId === was.locationId);
    expect(is?.available).toBe(was.available - 3);
    await startImport(t.deps, tenant);
    expect((await jobs.drainImport(t.a, { tickMs: 5_000 })).state).toBe('completed');
    const variantId = await localIdOf(t.db, tenant, 'variant', variant.gid);
    const locationId = await localIdOf(t.db, tenant, 'location', `gid://shopify/Location/${was.locationId}`);
    const ledger = await t.db.query(
      `select variant_id::text, location_id::text, delta_available, delta_on_hand, reason, origin
       from inventory_adjustments where tenant_id = $1`,
      [tenant],
    );
    expect(ledger.rows).toEqual([
      {
        variant_id: variantId,
        location_id: locationId,
        delta_available: -3,
        delta_on_hand: (is?.onHand ?? 0) - was.onHand,
        reason: 'shopify import',
        origin: 'shopify',
      },
    ]);
    // Its opening stock stays what the first import found; opening + ledger = the level, for every level.
    const level = await t.db.query(
      `select available, on_hand, opening_available, opening_on_hand from inventory_levels
       where tenant_id = $1 and variant_id = $2 and location_id = $3`,
      [tenant, variantId, locationId],
    );
    expect(level.rows).toEqual([
      {
        available: was.available - 3,
        on_hand: is?.onHand,
        opening_available: was.available,
        opening_on_hand: was.onHand,
      },
    ]);
    expect(await ledgerMismatches(tenant)).toEqual([]);
  });

  it('resumes after a crash from the last committed batch, without duplicates, and parks what it cannot map', async () => {
    // Two records Retailos refuses: twin SKUs inside one product (mapping), and a SKU another product has (constraint).
    await emu.control('POST', `/shops/${SHOP_B}/products`, {
      title: 'Twin SKUs',
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { price: '5.00', sku: 'TWIN-1', options: ['S'] },
        { price: '6.00', sku: 'TWIN-1', options: ['M'] },
      ],
    });
    const shopB = await emuList<EmuProduct>(emu, SHOP_B, 'products');
    const takenSku = shopB.find((p) => p.title !== 'Twin SKUs')?.variants[0]?.sku as string;
    await emu.control('POST', `/shops/${SHOP_B}/products`, {
      title: 'Clash',
      variants: [{ price: '7.00', sku: takenSku }],
    });
    const total = shopB.length + 1;

    await connectShop(t, await t.login(t.b), SHOP_B);
    let crashes = 0;
    jobs.setOptions({
      batchSize: 10,
      afterBatch: (info) => {
        if (info.resource === 'products' && crashes === 0) {
          crashes += 1;
          throw new Error('worker killed after the first batch');
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
    // The products export in id ranges (a batch of 10, so a last range of 10): the first range's
    // checkpoint moved, and the resource counts the batch.
    const ranges = (await listRanges(t.db, mid?.id as string)).filter((r) => r.resource === 'products');
    expect(ranges.length).toBeGreaterThan(1);
    expect(ranges[0]?.linesDone).toBeGreaterThan(0);
    expect(mid?.resources.find((r) => r.resource === 'products')?.done).toBe(10);
    expect(mid?.state).toBe('paused');
    expect(mid?.reason).toContain('worker killed');
    expect(await count('select count(*)::int as n from products where tenant_id = $1', [t.b.tenantId])).toBe(
      10,
    );

    const run = await jobs.drainImport(t.b, { rounds: 600, tickMs: 5_000 });
    expect(run.state).toBe('completed');
    const tenant = t.b.tenantId;
    // Every product but the two refused ones, each exactly once, each written once.
    expect(await count('select count(*)::int as n from products where tenant_id = $1', [tenant])).toBe(
      total - 2,
    );
    expect((await expectWrittenOnce(t.db, tenant))['product']).toBe(total - 2);
    expect(
      await count(
        `select count(*)::int as n from shopify_links where tenant_id = $1 and entity = 'product'`,
        [tenant],
      ),
    ).toBe(total - 2);
    const parked = await listParked(t.db, tenant, run.id);
    const parkedProducts = parked.filter((p) => p.resource === 'products');
    expect(parkedProducts.map((p) => p.reason).sort()).toEqual([
      'another variant already has this SKU',
      'two variants share the SKU "TWIN-1"',
    ]);
    expect(
      parkedProducts.every((p) => JSON.stringify(p.payload).includes('gid://shopify/ProductVariant/')),
    ).toBe(true);
    // The refused products' stock is parked too (its variants are not here), not dropped.
    const parkedLevels = parked.filter((p) => p.resource === 'inventory');
    expect(parkedLevels.length).toBeGreaterThan(0);
    expect(parkedLevels.every((p) => p.reason.startsWith('no imported variant has the inventory item'))).toBe(
      true,
    );
    expect(parked).toHaveLength(2 + parkedLevels.length);
    const shown = await t.app.inject({
      method: 'GET',
      url: '/api/shopify/import/parked?limit=1',
      headers: t.bearer(t.b),
    });
    expect(shown.statusCode).toBe(200);
    const page = shown.json<{ items: { gid: string; reason: string }[]; next_cursor: string | null }>();
    expect(page.items).toEqual([expect.objectContaining({ gid: parked[0]?.gid, reason: parked[0]?.reason })]);
    expect(page.next_cursor).not.toBeNull();
    const rest = await t.app.inject({
      method: 'GET',
      url: `/api/shopify/import/parked?limit=250&cursor=${page.next_cursor}`,
      headers: t.bearer(t.b),
    });
    expect(rest.json<{ items: unknown[] }>().items).toHaveLength(parked.length - 1);
    expect(run.resources.find((r) => r.resource === 'products')).toMatchObject({
      done: total - 2,
      parked: 2,
      total: total,
    });
  });
});
