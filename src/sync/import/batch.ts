import { recordRefusal } from '../../db/record-refusal.ts';
import type { Queryable } from '../../db/db.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import { baseHashesByGid, upsertSyncBase, type SyncBaseEntity } from '../../db/shopify-sync-base.ts';
import { snapshotHash, type Json } from '../../domain/shopify-map/index.ts';

/** What every batch write knows: whose data, which import, the time, and how to make a new id. */
export interface BatchContext {
  tenantId: string;
  importId: string;
  now: Date;
  newId: () => string;
}

/** A mapped record ready to write, with its canonical snapshot and hash. */
export interface Planned<M> {
  gid: string;
  mapped: M;
  snapshot: Json;
  hash: string;
  /** The raw lines, kept if the record has to be parked. */
  payload: unknown;
}

export interface BatchOutcome {
  done: number;
  parked: ParkedRecord[];
}

export function plan<M>(gid: string, mapped: M, snapshot: Json, payload: unknown): Planned<M> {
  return { gid, mapped, snapshot, hash: snapshotHash(snapshot), payload };
}

/**
 * Writes the records whose snapshot differs from the sync base (unchanged ones write nothing), then
 * their sync base. Set-based first; if a constraint refuses the set, each record is retried alone
 * (under a savepoint) and the refused ones are returned to be parked with the reason.
 */
export async function writeChanged<M>(
  tx: Queryable,
  ctx: BatchContext,
  entity: SyncBaseEntity,
  items: readonly Planned<M>[],
  write: (tx: Queryable, items: readonly Planned<M>[]) => Promise<Map<string, string>>,
  remoteUpdatedAt: (m: M) => Date | null,
): Promise<ParkedRecord[]> {
  const base = await baseHashesByGid(
    tx,
    ctx.tenantId,
    entity,
    items.map((i) => i.gid),
  );
  const changed = items.filter((i) => base.get(i.gid) !== i.hash);
  if (changed.length === 0) return [];
  const writeWithBase = async (some: readonly Planned<M>[]): Promise<void> => {
    const ids = await write(tx, some);
    const rows = some.flatMap((i) => {
      const localId = ids.get(i.gid);
      return localId
        ? [
            {
              localId,
              gid: i.gid,
              hash: i.hash,
              snapshot: i.snapshot,
              remoteUpdatedAt: remoteUpdatedAt(i.mapped),
            },
          ]
        : [];
    });
    await upsertSyncBase(tx, ctx.tenantId, entity, rows, ctx.now);
  };
  await tx.query('savepoint import_batch');
  try {
    await writeWithBase(changed);
    await tx.query('release savepoint import_batch');
    return [];
  } catch (err) {
    if (recordRefusal(err) === undefined) throw err;
    await tx.query('rollback to savepoint import_batch');
  }
  const parked: ParkedRecord[] = [];
  for (const item of changed) {
    await tx.query('savepoint import_record');
    try {
      await writeWithBase([item]);
      await tx.query('release savepoint import_record');
    } catch (err) {
      const reason = recordRefusal(err);
      if (reason === undefined) throw err;
      await tx.query('rollback to savepoint import_record');
      parked.push({ gid: item.gid, reason, payload: item.payload });
    }
  }
  return parked;
}

/** Existing local ids for the GIDs, new ids for the rest. */
export function assignIds(
  known: ReadonlyMap<string, string>,
  gids: readonly string[],
  newId: () => string,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const gid of gids) out.set(gid, known.get(gid) ?? out.get(gid) ?? newId());
  return out;
}
