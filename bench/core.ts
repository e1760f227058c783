// npm run bench:core — storage upsert throughput on PGlite and Postgres, and the products list API under load.
import { createFreshDatabase } from '../test-support/db.ts';
import { migrateToLatest, openDb } from '../src/db/open.ts';
import type { Db } from '../src/db/db.ts';
import { makeProducts, rawInsertAll, upsertAll } from './storage.ts';
import { benchProductsApi } from './api-load.ts';

const PRODUCTS = Number(process.env['BENCH_PRODUCTS'] ?? 100_000);
const BATCH = 1000;
const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const fail = (err: Error) => {
  throw err;
};

async function tenant(db: Db, name: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('insert into tenants (name) values ($1) returning id', [
    name,
  ]);
  return rows[0]!.id;
}

function chunk<T>(xs: T[], n: number): T[][] {
  return Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
}

async function storageOn(engine: 'pglite' | 'postgres'): Promise<void> {
  const fresh = engine === 'postgres' ? await createFreshDatabase(PG_URL) : undefined;
  const db = await openDb({ databaseUrl: fresh?.url, onIdleError: fail });
  try {
    await migrateToLatest(db);
    const rows = 4 * PRODUCTS; // a product and its 3 variants
    const raw = await rawInsertAll(db, await tenant(db, 'raw'), chunk(makeProducts(PRODUCTS), BATCH));
    const ours = await upsertAll(
      db,
      await tenant(db, 'upsert'),
      chunk(makeProducts(PRODUCTS, PRODUCTS), BATCH),
    );
    const rawRate = rows / (raw / 1000);
    const ourRate = rows / (ours / 1000);
    console.log(
      `[${engine}] ${PRODUCTS} products × 3 variants: upsert ${Math.round(ourRate)} rows/s (${(ours / 1000).toFixed(1)} s), ` +
        `raw INSERT ${Math.round(rawRate)} rows/s (${(raw / 1000).toFixed(1)} s), ratio ${(ourRate / rawRate).toFixed(2)} (goal ≥ 0.5)`,
    );
  } finally {
    await db.close();
    await fresh?.drop();
  }
}

// BENCH_ONLY=storage|api runs one half.
const only = process.env['BENCH_ONLY'];
if (only !== 'api') {
  await storageOn('pglite');
  await storageOn('postgres');
}
if (only !== 'storage') await benchProductsApi(PG_URL, PRODUCTS);
