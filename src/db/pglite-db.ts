import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Db, QueryResult, Queryable } from './db.ts';

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

function wrap(q: PgliteLike): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await q.query<R>(sql, params as unknown[]);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

export interface PgliteDb extends Db {
  /** The underlying instance, for pg-boss's `fromPglite` adapter in the same process. */
  readonly pglite: PGlite;
}

/** Opens embedded Postgres. `dataDir` undefined = in memory (tests). One process per data folder. */
export async function openPglite(dataDir?: string): Promise<PgliteDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
  await pglite.waitReady;
  const base = wrap(pglite);
  return {
    kind: 'pglite',
    pglite,
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => fn(wrap(tx)));
    },
    async close(): Promise<void> {
      if (!pglite.closed) await pglite.close();
    },
  };
}
