import type { Clock } from '../clock.ts';
import type { Db, Queryable } from '../db/db.ts';
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

/**
 * Runs a write in one transaction (its rows and its `changes` rows commit together), then tells the
 * context's listener that changes were recorded — after the commit, so a relay it wakes sees them.
 */
export async function commitWrite<T>(
  db: Db,
  ctx: WriteContext,
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const result = await db.transaction(work);
  await ctx.changesRecorded(ctx.tenantId, ctx.origin);
  return result;
}
