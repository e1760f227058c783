import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unrelayedStats } from '../../src/db/changes.ts';
import { startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

// Decision 0007, item 2: the import writes no `changes` rows (there is nothing to push, and every reader
// skips the sync's own rows), while everything else it writes stays; the live webhook path keeps its
// change rows as before. Item 3: nor an inventory_adjustments row per level (opening stock is on the level).
const SHOP = 'import-change-rows.myshopify.com';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '19', '--products', '8', '--variants-per-product', '2', '--customers', '5'],
    ...['--orders', '6', '--locations', '2'],
  ]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const n = async (sql: string, params: unknown[] = [h.t.a.tenantId]): Promise<number> =>
  Number((await h.t.db.query<{ n: string | number }>(sql, params)).rows[0]?.n);

const byEntity = async (where: string): Promise<Record<string, number>> => {
  const { rows } = await h.t.db.query<{ entity: string; n: string | number }>(
    `select entity, count(*) as n from shopify_links where tenant_id = $1 and ${where} group by entity order by entity`,
    [h.t.a.tenantId],
  );
  return Object.fromEntries(rows.map((r) => [r.entity, Number(r.n)]));
};

interface EmuRecord {
  id: number;
  gid: string;
}

describe('the import and change rows', () => {
  it('writes no change rows, and every record, link, sync base and Sync History entry as before', async () => {
    expect(await n('select count(*) as n from changes where tenant_id = $1')).toBe(0);
    const records = {
      product: await n('select count(*) as n from products where tenant_id = $1'),
      variant: await n('select count(*) as n from variants where tenant_id = $1'),
      customer: await n('select count(*) as n from customers where tenant_id = $1'),
      order: await n('select count(*) as n from orders where tenant_id = $1'),
      location: await n('select count(*) as n from locations where tenant_id = $1'),
      inventory_level: await n('select count(*) as n from inventory_levels where tenant_id = $1'),
    };
    expect(records).toMatchObject({ product: 8, variant: 16, customer: 5, order: 6, location: 2 });
    expect(records.inventory_level).toBe(16 * 2);
    expect(await n('select count(*) as n from order_line_items where tenant_id = $1')).toBeGreaterThan(0);
    // Each record linked to its GID (a variant's inventory item too), one row each, the records with a
    // sync base holding it in that row (decision 0007, item 1).
    expect(await byEntity('true')).toEqual({ ...records, inventory_item: records.variant });
    const { variant: _variants, ...based } = records;
    expect(await byEntity('snapshot_hash is not null')).toEqual(based);
    // Sync History: the import's batch entries name every record once.
    const { rows } = await h.t.db.query<{ entity: string; n: string | number }>(
      `select entity, sum(jsonb_array_length(records)) as n from shopify_sync_history
       where tenant_id = $1 and origin = 'import' group by entity`,
      [h.t.a.tenantId],
    );
    expect(Object.fromEntries(rows.map((r) => [r.entity, Number(r.n)]))).toEqual(based);
    // No ledger row per level either (item 3): a level's opening stock is on the level itself.
    expect(await n('select count(*) as n from inventory_adjustments where tenant_id = $1')).toBe(0);
    expect(
      await n(
        `select count(*) as n from inventory_levels where tenant_id = $1
         and (opening_available <> available or opening_on_hand <> on_hand)`,
      ),
    ).toBe(0);
  });

  it('a live webhook after the import still writes its change row (origin shopify, never relayed)', async () => {
    const [product] = (await h.emu.control<{ products: EmuRecord[] }>('GET', `/shops/${SHOP}/products`))
      .products;
    const [customer] = (await h.emu.control<{ customers: EmuRecord[] }>('GET', `/shops/${SHOP}/customers`))
      .customers;
    const last = await n('select coalesce(max(id), 0) as n from changes where tenant_id = $1');
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${product?.id}`, { title: 'Edited on Shopify' });
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${customer?.id}`, { note: 'Edited on Shopify' });
    await h.settle();
    const local = async (entity: string, gid: string | undefined) =>
      (
        await h.t.db.query<{ local_id: string }>(
          'select local_id from shopify_links where tenant_id = $1 and entity = $2 and gid = $3',
          [h.t.a.tenantId, entity, gid],
        )
      ).rows[0]?.local_id;
    const { rows } = await h.t.db.query<{
      entity: string;
      entity_id: string;
      op: string;
      origin: string;
      relayed: boolean;
    }>(
      `select entity, entity_id, op, origin, relayed_at is not null as relayed from changes
       where tenant_id = $1 and id > $2 order by entity`,
      [h.t.a.tenantId, last],
    );
    expect(rows).toEqual([
      {
        entity: 'customer',
        entity_id: await local('customer', customer?.gid),
        op: 'update',
        origin: 'shopify',
        relayed: false,
      },
      {
        entity: 'product',
        entity_id: await local('product', product?.gid),
        op: 'update',
        origin: 'shopify',
        relayed: false,
      },
    ]);
    // Nothing to push: Sync Health's count of waiting local changes does not count them.
    expect(await unrelayedStats(h.t.db, h.t.a.tenantId)).toEqual({ waiting: 0, oldest: null });
  });
});
