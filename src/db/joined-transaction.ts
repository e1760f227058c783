import type { Db, Queryable } from './db.ts';

/**
 * A Db whose `transaction` joins the caller's open transaction instead of opening one: a use case that
 * takes a Db (a core write) then commits or rolls back together with the caller's other writes. Reads
 * go through the same transaction too.
 */
export function joinTransaction(db: Pick<Db, 'kind'>, tx: Queryable): Db {
  const joined: Db = {
    kind: db.kind,
    query: (sql, params, options) => tx.query(sql, params, options),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: () => Promise.reject(new Error('a joined transaction is closed by its owner')),
  };
  JOINED.add(joined);
  return joined;
}

const JOINED = new WeakSet<Db>();

/**
 * Whether the Db joins a caller's transaction (joinTransaction). Postgres aborting it (a deadlock) aborts
 * the caller's whole transaction: only its owner can run it again, not the use case inside.
 */
export function isJoinedTransaction(db: Db): boolean {
  return JOINED.has(db);
}
