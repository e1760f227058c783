/** The one database interface the app uses: PGlite (embedded) or node-postgres (DATABASE_URL). */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface QueryOptions {
  /**
   * Postgres: prepare the statement under this name once per connection and reuse it, skipping the parse
   * and plan of a hot query. One name per SQL text (node-postgres refuses a name reused for another text).
   * PGlite ignores it.
   */
  name?: string;
}

export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>>;
  /** Runs a multi-statement SQL script (no parameters). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn inside BEGIN/COMMIT; any throw rolls back and is rethrown. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Postgres error codes we map to outcomes. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_CHECK_VIOLATION = '23514';
/** Postgres aborted the transaction to break a lock cycle, or a serializable one could not commit. */
export const PG_DEADLOCK_DETECTED = '40P01';
export const PG_SERIALIZATION_FAILURE = '40001';

export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string')
    return err.code;
  return undefined;
}

/**
 * Postgres aborted the transaction to break a deadlock (40P01) or a serialization conflict (40001): it
 * changed nothing, and the same work run again can succeed.
 */
export function isTransientAbort(err: unknown): boolean {
  const code = pgErrorCode(err);
  return code === PG_DEADLOCK_DETECTED || code === PG_SERIALIZATION_FAILURE;
}

export function pgConstraint(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'constraint' in err && typeof err.constraint === 'string') {
    return err.constraint;
  }
  return undefined;
}

/** A round trip to the database (readiness): resolves when it answers. */
export async function ping(q: Queryable): Promise<void> {
  await q.query('select 1');
}
