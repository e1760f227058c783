import type { Db, Queryable } from './db.ts';

/**
 * A Db whose `transaction` joins the caller's open transaction instead of opening one: a use case that
 * takes a Db (a core write) then commits or rolls back together with the caller's other writes. Reads
 * go through the same transaction too.
 */
export function joinTransaction(db: Pick<Db, 'kind'>, tx: Queryable): Db {
  return {
    kind: db.kind,
    query: (sql, params, options) => tx.query(sql, params, options),
    exec: (sql) => tx.exec(sql),
    transaction: (fn) => fn(tx),
    close: () => Promise.reject(new Error('a joined transaction is closed by its owner')),
  };
}
