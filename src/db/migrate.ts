import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db.ts';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Any constant: every migrator takes the same transaction-scoped advisory lock. */
const MIGRATION_LOCK_KEY = 727_001;

export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE.exec(file);
      if (!m?.[1] || !m[2]) throw new Error(`migration file name ${file} must look like 0001_name.sql`);
      return { id: Number(m[1]), name: m[2], sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.id - b.id);
  migrations.forEach((m, i) => {
    const prev = migrations[i - 1];
    if (prev && prev.id === m.id) throw new Error(`two migrations are numbered ${m.id}`);
  });
  return migrations;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two processes starting at
 * once serialise: the second waits, then sees everything applied and does nothing.
 * Returns the ids it applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`create table if not exists schema_migrations (
      id integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows } = await tx.query<{ id: number }>('select id from schema_migrations');
    const applied = new Set(rows.map((r) => r.id));
    const known = new Set(migrations.map((m) => m.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new Error(
        `database has migrations this build does not know (${unknown.join(', ')}); run a newer build`,
      );
    }
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      done.push(m.id);
    }
    return done;
  });
}
