import pg from 'pg';
import type { Db, QueryOptions, QueryResult, Queryable } from './db.ts';

// int8 as number (counts and change ids stay far below 2^53), like PGlite does.
pg.types.setTypeParser(20, (v) => Number(v));

function wrap(q: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(
      sql: string,
      params: readonly unknown[] = [],
      options?: QueryOptions,
    ): Promise<QueryResult<R>> {
      const values = params as unknown[];
      const res = await (options?.name
        ? q.query({ name: options.name, text: sql, values })
        : q.query(sql, values));
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await q.query(sql);
    },
  };
}

export interface PostgresDb extends Db {
  readonly pool: pg.Pool;
}

export interface PostgresOptions {
  max?: number;
  /** An idle pooled client lost its connection (the pool replaces it); report it, never drop it. */
  onIdleError: (err: Error) => void;
}

export async function openPostgres(connectionString: string, opts: PostgresOptions): Promise<PostgresDb> {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  pool.on('error', opts.onIdleError);
  await pool.query('select 1');
  const base = wrap(pool);
  return {
    kind: 'postgres',
    pool,
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          throw new AggregateError([err, rollbackErr], 'transaction failed and rollback failed');
        });
        throw err;
      } finally {
        client.release();
      }
    },
    async close(): Promise<void> {
      await pool.end();
    },
  };
}
