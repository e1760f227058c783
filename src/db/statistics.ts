import type { Queryable } from './db.ts';

/**
 * ANALYZE samples 300 × the statistics target rows per table. The default (100: 30,000 rows) took
 * ~0.85 s per refresh of the order tables on the server at 170k records, and grew PGlite's WebAssembly
 * memory (never given back) by ~40 MB over an import; 3,000 rows tell the planner what this product's
 * queries need: table sizes, unique keys, the few values of a column like `entity`.
 */
const STATISTICS_TARGET = 10;

/**
 * Refreshes the planner statistics of the tables (all of the database's when none are named). One
 * statement string on one connection, run as one implicit transaction: if ANALYZE fails, the SET is
 * undone with it, and the connection's own target is left as it was either way. Each table's lock is
 * held to the end of that transaction, so the tables are taken in one order (sorted): two refreshes at
 * once (the import's lanes) wait for each other, never deadlock.
 */
export async function refreshPlannerStatistics(db: Queryable, tables: readonly string[] = []): Promise<void> {
  await db.exec(
    `set default_statistics_target = ${STATISTICS_TARGET}; analyze ${[...tables].sort().join(', ')}; reset default_statistics_target`,
  );
}
