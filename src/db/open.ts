import { join } from 'node:path';
import type { Db } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { openPglite } from './pglite-db.ts';
import { openPostgres } from './pg-db.ts';
import { APP_ROOT } from '../app-root.ts';

export const MIGRATIONS_DIR = join(APP_ROOT, 'migrations/');

export interface OpenDbOptions {
  /** Real Postgres when set; embedded PGlite otherwise. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; undefined = in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
  onIdleError: (err: Error) => void;
}

export async function openDb(opts: OpenDbOptions): Promise<Db> {
  if (opts.databaseUrl) {
    return openPostgres(opts.databaseUrl, { max: opts.poolSize ?? 10, onIdleError: opts.onIdleError });
  }
  return openPglite(opts.dataDir);
}

export async function migrateToLatest(db: Db): Promise<number[]> {
  return migrate(db, loadMigrations(MIGRATIONS_DIR));
}
