import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../src/db/db.ts';
import { migrateToLatest, openDb } from '../src/db/open.ts';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a brand-new database on
 * the Postgres server named by TEST_DATABASE_URL (CI runs the suite both ways). Missing infrastructure
 * fails loudly.
 */
export interface TestDb {
  db: Db;
  /** Connection string of the fresh database (Postgres mode only). */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * An idle connection failing is a bug, except one: the test's own `drop database … with (force)` at the
 * end terminates connections a closing pool has not finished shutting down (57P01, "terminating
 * connection due to administrator command"). That one is the cleanup, not a failure.
 */
export function failOnIdleError(err: Error): void {
  if ((err as Error & { code?: string }).code === '57P01') return;
  throw err;
}

export async function createFreshDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `retailos_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function openTestDb(): Promise<TestDb> {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (!serverUrl) {
    const db = await openDb({ onIdleError: failOnIdleError });
    await migrateToLatest(db);
    return { db, url: undefined, close: () => db.close() };
  }
  const fresh = await createFreshDatabase(serverUrl);
  const db = await openDb({ databaseUrl: fresh.url, poolSize: 5, onIdleError: failOnIdleError });
  await migrateToLatest(db);
  return {
    db,
    url: fresh.url,
    async close() {
      await db.close();
      await fresh.drop();
    },
  };
}
