import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createFreshDatabase, failOnIdleError } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import type { Db } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { MIGRATIONS_DIR, openDb } from './open.ts';

// Migration 0045 moves the id map and the sync base into shopify_links, one row per record.

const LINKS = 45;
const all = loadMigrations(MIGRATIONS_DIR);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A fresh database migrated up to the one before shopify_links. */
async function beforeLinks(): Promise<Db> {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  const fresh = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  const db = await openDb({ databaseUrl: fresh?.url, poolSize: 2, onIdleError: failOnIdleError });
  closers.push(async () => {
    await db.close();
    await fresh?.drop();
  });
  await migrate(
    db,
    all.filter((m) => m.id < LINKS),
  );
  return db;
}

const at = new Date('2026-02-01T00:00:00Z');

async function link(db: Db, tenantId: string, entity: string, gid: string, localId: string): Promise<void> {
  await db.query(
    'insert into shopify_id_map (tenant_id, entity, gid, local_id, created_at) values ($1, $2, $3, $4, $5)',
    [tenantId, entity, gid, localId, at],
  );
}

async function base(db: Db, tenantId: string, entity: string, gid: string, localId: string): Promise<void> {
  await db.query(
    `insert into shopify_sync_base (tenant_id, entity, local_id, gid, snapshot_hash, snapshot, remote_updated_at,
       synced_at, last_pushed_hash, pushing_hash, pushing_cause)
     values ($1, $2, $3, $4, $5, $6, $7, $7, 'pushed', 'pushing', 'cause')`,
    [tenantId, entity, localId, gid, `hash of ${gid}`, JSON.stringify({ gid }), at],
  );
}

describe('migration 0045 (shopify_links)', () => {
  it('merges a record’s link and base into one row, keeps links without a base and bases without a link', async () => {
    const db = await beforeLinks();
    const tenantId = await insertTenant(db);
    const product = randomUUID();
    const variant = randomUUID();
    const pushedLevel = randomUUID();
    const movedLevel = randomUUID();
    await link(db, tenantId, 'product', 'gid://shopify/Product/1', product);
    await base(db, tenantId, 'product', 'gid://shopify/Product/1', product);
    await link(db, tenantId, 'variant', 'gid://shopify/ProductVariant/1', variant);
    await link(db, tenantId, 'inventory_item', 'gid://shopify/InventoryItem/1', variant);
    // A level Retailos created and pushed: a base, no link.
    await base(
      db,
      tenantId,
      'inventory_level',
      'gid://shopify/InventoryLevel/1?inventory_item_id=1',
      pushedLevel,
    );
    // A level rebased on its variant's new inventory item: its base names the new item's level.
    await link(
      db,
      tenantId,
      'inventory_level',
      'gid://shopify/InventoryLevel/2?inventory_item_id=1',
      movedLevel,
    );
    await base(
      db,
      tenantId,
      'inventory_level',
      'gid://shopify/InventoryLevel/2?inventory_item_id=2',
      movedLevel,
    );

    expect(await migrate(db, all)).toEqual(all.filter((m) => m.id >= LINKS).map((m) => m.id));
    const { rows } = await db.query<{
      entity: string;
      local_id: string;
      gid: string;
      snapshot_hash: string | null;
      snapshot: unknown;
      synced_at: Date | null;
      last_pushed_hash: string | null;
      pushing_hash: string | null;
      pushing_cause: string | null;
    }>(
      `select entity, local_id, gid, snapshot_hash, snapshot, synced_at, last_pushed_hash, pushing_hash, pushing_cause
       from shopify_links where tenant_id = $1 order by entity, gid`,
      [tenantId],
    );
    const based = (gid: string) => ({
      gid,
      snapshot_hash: `hash of ${gid}`,
      snapshot: { gid },
      synced_at: at,
      last_pushed_hash: 'pushed',
      pushing_hash: 'pushing',
      pushing_cause: 'cause',
    });
    const none = {
      snapshot_hash: null,
      snapshot: null,
      synced_at: null,
      last_pushed_hash: null,
      pushing_hash: null,
      pushing_cause: null,
    };
    expect(rows).toEqual([
      { entity: 'inventory_item', local_id: variant, gid: 'gid://shopify/InventoryItem/1', ...none },
      {
        entity: 'inventory_level',
        local_id: pushedLevel,
        ...based('gid://shopify/InventoryLevel/1?inventory_item_id=1'),
      },
      {
        entity: 'inventory_level',
        local_id: movedLevel,
        ...based('gid://shopify/InventoryLevel/2?inventory_item_id=2'),
      },
      { entity: 'product', local_id: product, ...based('gid://shopify/Product/1') },
      { entity: 'variant', local_id: variant, gid: 'gid://shopify/ProductVariant/1', ...none },
    ]);
    const old = await db.query(
      `select table_name from information_schema.tables
        where table_schema = current_schema() and table_name in ('shopify_id_map', 'shopify_sync_base')`,
    );
    expect(old.rows).toEqual([]);
  });

  it('stops, naming the record, when its link and its base name two GIDs, and changes nothing', async () => {
    const db = await beforeLinks();
    const tenantId = await insertTenant(db);
    const customer = randomUUID();
    await link(db, tenantId, 'customer', 'gid://shopify/Customer/1', customer);
    await base(db, tenantId, 'customer', 'gid://shopify/Customer/2', customer);
    await expect(migrate(db, all)).rejects.toThrow(
      new RegExp(
        `customer ${customer} is linked to gid://shopify/Customer/1 .* names gid://shopify/Customer/2`,
      ),
    );
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from shopify_id_map');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('stops when one GID is linked to one record and the base of another', async () => {
    const db = await beforeLinks();
    const tenantId = await insertTenant(db);
    const a = randomUUID();
    const b = randomUUID();
    await link(db, tenantId, 'order', 'gid://shopify/Order/1', a);
    await base(db, tenantId, 'order', 'gid://shopify/Order/1', b);
    await expect(migrate(db, all)).rejects.toThrow(
      new RegExp(`order gid://shopify/Order/1 is linked to ${a}`),
    );
  });
});
