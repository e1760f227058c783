import type { Queryable } from './db.ts';

/**
 * Runs `fn` under a savepoint of the caller's transaction. A failure rolls back to the savepoint (the
 * transaction stays usable) and is returned, never swallowed: the caller decides whether it is a
 * refusal to record or an error to rethrow.
 */
export async function underSavepoint(
  tx: Queryable,
  name: string,
  fn: () => Promise<void>,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`not a savepoint name: ${name}`);
  await tx.query(`savepoint ${name}`);
  try {
    await fn();
    await tx.query(`release savepoint ${name}`);
    return { ok: true };
  } catch (error) {
    await tx.query(`rollback to savepoint ${name}`);
    return { ok: false, error };
  }
}
