import type { ChangeOrigin, InventoryLevel } from '../domain/entities.ts';
import type { Queryable } from './db.ts';
import type { PageCursor } from './products.ts';

interface LevelDbRow {
  id: string;
  variant_id: string;
  location_id: string;
  available: number;
  on_hand: number;
  created_at: Date;
  updated_at: Date;
  version: number;
  sku?: string | null;
}

/** A level as listed: the entity plus its SKU and creation time (the page cursor). */
export type InventoryLevelView = InventoryLevel & { sku: string | null; createdAt: Date };

export interface LevelKey {
  variantId: string;
  locationId: string;
}

/** The new numbers of one level and the deltas the adjustment row records. */
export interface LevelWrite extends LevelKey {
  available: number;
  onHand: number;
  deltaAvailable: number;
  deltaOnHand: number;
  reason: string;
}

const COLUMNS =
  'l.id, l.variant_id, l.location_id, l.available, l.on_hand, l.created_at, l.updated_at, l.version';

function toLevel(r: LevelDbRow): InventoryLevel {
  return {
    id: r.id,
    variantId: r.variant_id,
    locationId: r.location_id,
    available: r.available,
    onHand: r.on_hand,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

const keysJson = (keys: readonly LevelKey[]): string =>
  JSON.stringify(keys.map((k) => ({ variant_id: k.variantId, location_id: k.locationId })));

/**
 * The ids among `variantIds` / `locationIds` that are not the tenant's. Those that are stay locked
 * (key share) until the caller's transaction ends, so none can be deleted before a row that refers to
 * it is written: a deletion committed in between (a product deleted on Shopify, applied by a worker
 * while the merchant adjusted its stock) broke the new row's foreign key, a 500.
 */
export async function foreignIds(
  q: Queryable,
  tenantId: string,
  variantIds: readonly string[],
  locationIds: readonly string[],
): Promise<{ variants: string[]; locations: string[] }> {
  const { rows } = await q.query<{ kind: 'variant' | 'location'; id: string }>(
    `with v as materialized (
       select id from variants where tenant_id = $1 and id = any($2::uuid[]) order by id for key share
     ), l as materialized (
       select id from locations where tenant_id = $1 and id = any($3::uuid[]) order by id for key share
     )
     select 'variant' as kind, x.id::text as id from unnest($2::uuid[]) as x(id)
       where not exists (select 1 from v where v.id = x.id)
     union all
     select 'location', x.id::text from unnest($3::uuid[]) as x(id)
       where not exists (select 1 from l where l.id = x.id)`,
    [tenantId, [...new Set(variantIds)], [...new Set(locationIds)]],
  );
  return {
    variants: rows.filter((r) => r.kind === 'variant').map((r) => r.id),
    locations: rows.filter((r) => r.kind === 'location').map((r) => r.id),
  };
}

/**
 * Creates missing levels as version-0 placeholders (rolled back with the transaction if the write is
 * refused), then locks every level in key order. Returns the locked levels and which were created.
 */
export async function lockLevels(
  q: Queryable,
  tenantId: string,
  keys: readonly LevelKey[],
  now: Date,
): Promise<{ levels: InventoryLevel[]; created: Set<string> }> {
  const { rows: made } = await q.query<{ id: string }>(
    `insert into inventory_levels (tenant_id, variant_id, location_id, created_at, updated_at, version)
     select $1, r.variant_id, r.location_id, $3, $3, 0
     from jsonb_to_recordset($2::jsonb) as r(variant_id uuid, location_id uuid)
     order by r.variant_id, r.location_id
     on conflict (tenant_id, variant_id, location_id) do nothing returning id`,
    [tenantId, keysJson(keys), now],
  );
  const { rows } = await q.query<LevelDbRow>(
    `select ${COLUMNS} from inventory_levels l
     join jsonb_to_recordset($2::jsonb) as r(variant_id uuid, location_id uuid)
       on l.variant_id = r.variant_id and l.location_id = r.location_id
     where l.tenant_id = $1 order by l.variant_id, l.location_id for update of l`,
    [tenantId, keysJson(keys)],
  );
  return { levels: rows.map(toLevel), created: new Set(made.map((m) => m.id)) };
}

/** One statement: the levels' new numbers (version + 1) and one adjustment row each. */
export async function writeLevels(
  q: Queryable,
  tenantId: string,
  origin: ChangeOrigin,
  writes: readonly LevelWrite[],
  now: Date,
): Promise<InventoryLevel[]> {
  if (writes.length === 0) return [];
  const json = JSON.stringify(
    writes.map((w) => ({
      variant_id: w.variantId,
      location_id: w.locationId,
      available: w.available,
      on_hand: w.onHand,
      delta_available: w.deltaAvailable,
      delta_on_hand: w.deltaOnHand,
      reason: w.reason,
    })),
  );
  const { rows } = await q.query<LevelDbRow>(
    `with input as (
       select * from jsonb_to_recordset($2::jsonb) as r(variant_id uuid, location_id uuid, available integer,
         on_hand integer, delta_available integer, delta_on_hand integer, reason text)
     ), adjusted as (
       insert into inventory_adjustments (tenant_id, variant_id, location_id, delta_available, delta_on_hand, reason, origin, created_at)
       select $1, i.variant_id, i.location_id, i.delta_available, i.delta_on_hand, i.reason, $3, $4 from input i
     ), l as (
       update inventory_levels l set available = i.available, on_hand = i.on_hand, updated_at = $4, version = l.version + 1
       from input i where l.tenant_id = $1 and l.variant_id = i.variant_id and l.location_id = i.location_id
       returning l.*
     )
     select ${COLUMNS} from l order by l.variant_id, l.location_id`,
    [tenantId, json, origin, now],
  );
  return rows.map(toLevel);
}

export interface InventoryFilter {
  variantId?: string | undefined;
  locationId?: string | undefined;
  sku?: string | undefined;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listInventory(
  q: Queryable,
  tenantId: string,
  filter: InventoryFilter,
  limit: number,
  after?: PageCursor,
): Promise<InventoryLevelView[]> {
  const where = ['l.tenant_id = $1'];
  const params: unknown[] = [tenantId];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.variantId) add('l.variant_id = ?', filter.variantId);
  if (filter.locationId) add('l.location_id = ?', filter.locationId);
  if (filter.sku) add('v.sku = ?', filter.sku);
  if (after) {
    params.push(after.at, after.id);
    where.push(`(l.created_at, l.id) < ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(limit);
  const { rows } = await q.query<LevelDbRow>(
    `select ${COLUMNS}, v.sku from inventory_levels l join variants v on v.id = l.variant_id and v.tenant_id = l.tenant_id
     where ${where.join(' and ')} order by l.created_at desc, l.id desc limit $${params.length}`,
    params,
  );
  return rows.map((r) => ({ ...toLevel(r), sku: r.sku ?? null, createdAt: r.created_at }));
}

export async function getLevel(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<InventoryLevel | undefined> {
  const { rows } = await q.query<LevelDbRow>(
    `select ${COLUMNS} from inventory_levels l where l.tenant_id = $1 and l.id = $2`,
    [tenantId, id],
  );
  return rows[0] && toLevel(rows[0]);
}

/** A level as Shopify holds it, for the set-based write (absolute numbers: set, not added). */
export interface LevelBatchRow {
  variantId: string;
  locationId: string;
  available: number;
  onHand: number;
  /** The id a level this write creates takes (the import's time-ordered ids); the database makes one if absent. */
  id?: string;
}

/**
 * Sets many levels in one statement (the import's write). A level it creates takes its numbers as its
 * opening stock (`opening_available`, `opening_on_hand`), with no ledger row (decision 0007, item 3); a
 * level it changes leaves an adjustment row (`reason`, origin shopify) with the delta it made, like any
 * other stock change, so the ledger adds up to the level: opening + Σ deltas. A level rewritten with
 * the numbers it had leaves no row. `old` is materialized: inlined, the planner joined each written
 * level to the whole batch again (500 × 500 row visits a batch).
 */
export async function setLevelBatch(
  tx: Queryable,
  tenantId: string,
  levels: readonly LevelBatchRow[],
  reason: string,
  now: Date,
): Promise<{ id: string; variantId: string; locationId: string; version: number; inserted: boolean }[]> {
  const json = levels.map((l) => ({
    id: l.id ?? null,
    variant_id: l.variantId,
    location_id: l.locationId,
    available: l.available,
    on_hand: l.onHand,
  }));
  const { rows } = await tx.query<{
    id: string;
    variant_id: string;
    location_id: string;
    version: number;
    inserted: boolean;
  }>(
    `with input as (
       select * from jsonb_to_recordset($2::jsonb) as r(id uuid, variant_id uuid, location_id uuid, available integer, on_hand integer)
     ), old as materialized (
       select l.variant_id, l.location_id, l.available, l.on_hand from inventory_levels l
       join input i on i.variant_id = l.variant_id and i.location_id = l.location_id where l.tenant_id = $1
     ), up as (
       insert into inventory_levels (id, tenant_id, variant_id, location_id, available, on_hand, opening_available,
         opening_on_hand, created_at, updated_at)
       select coalesce(i.id, gen_random_uuid()), $1, i.variant_id, i.location_id, i.available, i.on_hand, i.available,
         i.on_hand, $3, $3 from input i
       on conflict (tenant_id, variant_id, location_id) do update set available = excluded.available,
         on_hand = excluded.on_hand, updated_at = excluded.updated_at, version = inventory_levels.version + 1
       returning id, variant_id, location_id, version, available, on_hand, (xmax = 0) as inserted
     ), adjusted as (
       insert into inventory_adjustments (tenant_id, variant_id, location_id, delta_available, delta_on_hand, reason, origin, created_at)
       select $1, up.variant_id, up.location_id, up.available - old.available, up.on_hand - old.on_hand, $4, 'shopify', $3
       from up join old on old.variant_id = up.variant_id and old.location_id = up.location_id
       where up.available <> old.available or up.on_hand <> old.on_hand
     )
     select id, variant_id::text, location_id::text, version, inserted from up`,
    [tenantId, JSON.stringify(json), now, reason],
  );
  return rows.map((r) => ({
    id: r.id,
    variantId: r.variant_id,
    locationId: r.location_id,
    version: r.version,
    inserted: r.inserted,
  }));
}

/** The id of the level of a variant at a location, or undefined when it has none. */
export async function levelIdAt(q: Queryable, tenantId: string, key: LevelKey): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    'select id from inventory_levels where tenant_id = $1 and variant_id = $2 and location_id = $3',
    [tenantId, key.variantId, key.locationId],
  );
  return rows[0]?.id;
}

/** The levels of a product's variants that have never been synced (no sync base). */
export async function unsyncedLevelsOfProduct(
  q: Queryable,
  tenantId: string,
  productId: string,
): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `select l.id from inventory_levels l join variants v on v.id = l.variant_id
     where l.tenant_id = $1 and v.product_id = $2
       and not exists (select 1 from shopify_links b where b.tenant_id = l.tenant_id
                       and b.entity = 'inventory_level' and b.local_id = l.id and b.snapshot_hash is not null)`,
    [tenantId, productId],
  );
  return rows.map((r) => r.id);
}

/** What names a level to a person: its variant's SKU (or its product's title) and its location. */
export interface LevelLabel {
  sku: string | null;
  title: string;
  location: string;
}

export async function levelLabel(
  q: Queryable,
  tenantId: string,
  levelId: string,
): Promise<LevelLabel | undefined> {
  const { rows } = await q.query<LevelLabel>(
    `select v.sku, p.title, l.name as location from inventory_levels i
     join variants v on v.id = i.variant_id join products p on p.id = v.product_id
     join locations l on l.id = i.location_id
     where i.tenant_id = $1 and i.id = $2`,
    [tenantId, levelId],
  );
  return rows[0];
}
