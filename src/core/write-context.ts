import type { Clock } from '../clock.ts';
import { isTransientAbort, type Db, type Queryable } from '../db/db.ts';
import { isJoinedTransaction } from '../db/joined-transaction.ts';
import type { ChangesRecorded } from '../deps.ts';
import type { ChangeOrigin } from '../domain/entities.ts';

/** Who writes, for which tenant, at what time, and who hears of the changes. Every core write takes one. */
export interface WriteContext {
  tenantId: string;
  origin: ChangeOrigin;
  clock: Clock;
  /** Told once the write committed (the composition root wakes the outbox relay with it). */
  changesRecorded: ChangesRecorded;
}

/** A write context for callers outside HTTP (the CLI, jobs): the deps' clock and change listener. */
export function writeContextOf(
  deps: { clock: Clock; changesRecorded: ChangesRecorded },
  tenantId: string,
  origin: ChangeOrigin,
): WriteContext {
  return { tenantId, origin, clock: deps.clock, changesRecorded: deps.changesRecorded };
}

/** How many times a write runs when Postgres aborts it to break a deadlock (see commitWrite). */
export const WRITE_ATTEMPTS = 5;

/**
 * Runs a write in one transaction (its rows and its `changes` rows commit together), then tells the
 * context's listener that changes were recorded — after the commit, so a relay it wakes sees them.
 * A merchant's write can meet live sync on the same rows in another order (chaos seed 22: a product
 * deleted, its stock levels cascading, met a sync transaction holding one of them and waiting for a
 * row the delete held, and the API answered 500). Postgres then aborts one side, which changed
 * nothing: the write runs again, whole, up to WRITE_ATTEMPTS times. `work` touches only the database,
 * so running it again is safe.
 */
export async function commitWrite<T>(
  db: Db,
  ctx: WriteContext,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  // Inside a caller's transaction (joinTransaction) an abort ended the caller's transaction too: running
  // `work` again there would only meet "current transaction is aborted". The caller reruns it whole.
  const result = isJoinedTransaction(db)
    ? await db.transaction(work)
    : await runAgainOnDeadlock(() => db.transaction(work));
  await ctx.changesRecorded(ctx.tenantId, ctx.origin);
  return result;
}

/** Runs `run` (one whole transaction) again when Postgres aborted it (isTransientAbort), up to WRITE_ATTEMPTS times. */
export async function runAgainOnDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (err) {
      if (!isTransientAbort(err) || attempt >= WRITE_ATTEMPTS) throw err;
    }
  }
}
