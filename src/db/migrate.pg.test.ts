import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase, openTestDb, type TestDb } from '../../test-support/db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { MIGRATIONS_DIR, openDb } from './open.ts';

describe('migrations', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(async () => {
    await t.close();
  });

  it('are numbered uniquely and all recorded once applied', async () => {
    const migrations = loadMigrations(MIGRATIONS_DIR);
    expect(new Set(migrations.map((m) => m.id)).size).toBe(migrations.length);
    const { rows } = await t.db.query<{ id: number }>('select id from schema_migrations order by id');
    expect(rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
  });

  it('apply nothing the second time', async () => {
    expect(await migrate(t.db, loadMigrations(MIGRATIONS_DIR))).toEqual([]);
  });

  it('refuse a database that has a migration this build does not know', async () => {
    await t.db.query(`insert into schema_migrations (id, name) values (9999, 'from_the_future')`);
    await expect(migrate(t.db, loadMigrations(MIGRATIONS_DIR))).rejects.toThrow(/9999/);
    await t.db.query('delete from schema_migrations where id = 9999');
  });
});

describe('two migrators at once', () => {
  it('serialise on the advisory lock and apply each migration exactly once', async () => {
    const serverUrl = process.env['TEST_DATABASE_URL'];
    const fail = (err: Error) => {
      throw err;
    };
    // Postgres: two separate pools (as two processes would have). PGlite: one process owns the folder,
    // so two concurrent migrators share the instance.
    const fresh = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
    const a = await openDb({ databaseUrl: fresh?.url, onIdleError: fail });
    const b = fresh ? await openDb({ databaseUrl: fresh.url, onIdleError: fail }) : a;
    try {
      const migrations = loadMigrations(MIGRATIONS_DIR);
      const [ra, rb] = await Promise.all([migrate(a, migrations), migrate(b, migrations)]);
      expect([...ra, ...rb].sort((x, y) => x - y)).toEqual(migrations.map((m) => m.id));
      const { rows } = await a.query<{ n: number }>('select count(*)::int as n from schema_migrations');
      expect(rows[0]?.n).toBe(migrations.length);
    } finally {
      await a.close();
      if (b !== a) await b.close();
      await fresh?.drop();
    }
  });
});
