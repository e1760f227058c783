import type { Queryable } from '../../db/db.ts';
import { refreshPlannerStatistics } from '../../db/statistics.ts';
import type { BulkResource } from './bulk-queries.ts';

/**
 * The tables a resource's batches write and then look up by key (GID → local id, GID → base hash,
 * order → line items).
 */
const TABLES: Readonly<Record<BulkResource, readonly string[]>> = {
  products: ['products', 'variants', 'shopify_links'],
  customers: ['customers', 'shopify_links'],
  orders: ['orders', 'order_line_items', 'shopify_links'],
  inventory: ['inventory_levels', 'shopify_links'],
};

/** Every table the import fills, for the refresh when it finishes. */
export const IMPORT_TABLES: readonly string[] = [
  'locations',
  // Not `changes`: the import writes no change rows (decision 0007).
  ...new Set([...Object.values(TABLES).flat(), 'inventory_adjustments']),
];

/**
 * Whether a resource's planner statistics should be refreshed after a batch took its records done
 * from `before` to `after`: each time the count passes the batch size × 1, 4, 16, 64, …, so a
 * resource of n records is analysed about log4(n ÷ batch) times and its statistics are never off by
 * more than 4×.
 *
 * Why: the import fills tables that start empty. Embedded Postgres (PGlite) has no autovacuum, and
 * the server's runs at most once a minute, so without this the planner believes a tenant's GIDs
 * of one entity are a handful of rows. It then answers `gid = any($3)` by reading every row of the
 * entity through the primary key's (tenant, entity) prefix and filtering, instead of 500 probes of
 * the GID index: each batch's lookups cost more than the last, and the import turns quadratic.
 */
export function statsDue(batchSize: number, before: number, after: number): boolean {
  for (let mark = batchSize; mark <= after; mark *= 4) if (before < mark) return true;
  return false;
}

/** Refreshes the planner statistics of the tables the resource writes (outside any batch). */
export async function refreshStats(db: Queryable, resource: BulkResource): Promise<void> {
  await refreshPlannerStatistics(db, TABLES[resource]);
}

/** Refreshes the statistics of every table the import filled, for the continuous sync that follows. */
export async function refreshImportStats(db: Queryable): Promise<void> {
  await refreshPlannerStatistics(db, IMPORT_TABLES);
}
