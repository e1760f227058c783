import { pgConstraint, pgErrorCode, type Queryable } from '../../db/db.ts';
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

const FRIENDLY: Readonly<Record<string, string>> = {
  products_handle_key: 'another product already has this handle',
  variants_sku_key: 'another variant already has this SKU',
  customers_email_key: 'another customer already has this email',
  orders_number_key: 'another order already has this number',
  locations_name_key: 'another location already has this name',
};

/** Constraint and data errors refuse one record; anything else (connection lost, bug) fails the batch. */
function recordError(err: unknown): string | undefined {
  const code = pgErrorCode(err);
  if (!code || !(code.startsWith('23') || code.startsWith('22'))) return undefined;
  const constraint = pgConstraint(err);
  return (constraint && FRIENDLY[constraint]) ?? `${constraint ?? code}: ${(err as Error).message}`;
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
    if (recordError(err) === undefined) throw err;
    await tx.query('rollback to savepoint import_batch');
  }
  const parked: ParkedRecord[] = [];
  for (const item of changed) {
    await tx.query('savepoint import_record');
    try {
      await writeWithBase([item]);
      await tx.query('release savepoint import_record');
    } catch (err) {
      const reason = recordError(err);
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
