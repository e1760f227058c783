import { recordRefusal } from '../../db/record-refusal.ts';
import { underSavepoint } from '../../db/savepoint.ts';
import type { Queryable } from '../../db/db.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import { linkNewIds, localIdsOf, type IdLink } from '../../db/shopify-id-map.ts';
import { recordChanges } from '../../db/changes.ts';
import type { UpsertedRow } from '../../db/customers.ts';
import {
  addSyncBases,
  baseHashesByGid,
  insertSyncBases,
  upsertSyncBase,
  type SyncBaseEntity,
} from '../../db/shopify-sync-base.ts';
import { snapshotHash, type Json, type Mapped } from '../../domain/shopify-map/index.ts';
import { recordImportHistory, type WrittenRecord } from './import-history.ts';
import type { RecordGroup } from './record-group.ts';

/** What every batch write knows: whose data, which import, the time, and how to make a new id. */
export interface BatchContext {
  tenantId: string;
  importId: string;
  now: Date;
  newId: () => string;
  /**
   * Whether the write leaves a `changes` row per record (origin shopify). The live paths (webhook
   * applies, reconciliation) do, as before. The import does not (decision 0007, item 2): a change row
   * exists to be pushed or to say a local edit waits, every reader skips origin shopify, and an
   * import's rows (one per imported record) were read by nobody.
   */
  changeRows: boolean;
  /**
   * Set by `writeChanged` for the record writer it calls: the links of the records the writer gave new
   * ids (roots, not sub-records) are collected here instead of written, and `writeChanged` writes each
   * with its first sync base, one row per record (decision 0007, item 1). Unset (the live paths calling
   * a writer themselves), the writer links them at once.
   */
  newLinks?: IdLink[];
}

/** A mapped record ready to write, with its canonical snapshot and hash. */
export interface Planned<M> {
  gid: string;
  mapped: M;
  snapshot: Json;
  hash: string;
  /** The raw lines, kept if the record has to be parked. */
  payload: unknown;
  /** The Shopify ids its sync base keeps beside the snapshot (SyncBaseWrite.links). */
  links?: Json;
}

export interface BatchOutcome {
  done: number;
  parked: ParkedRecord[];
}

/**
 * A batch mapped and planned ahead of its transaction (pure work: mapping, snapshots, hashes), so the
 * next batch is prepared while this one's statements run; calling it writes the batch.
 */
export type PreparedBatch = (tx: Queryable, ctx: BatchContext) => Promise<BatchOutcome>;

/**
 * Prepares a batch of records that are one group each (a root and its children): each is mapped and
 * planned now, or parked with the mapping's reason; the write sends the changed ones to `upsert`.
 */
export function prepareRecords<M extends { gid: string }>(
  groups: readonly RecordGroup[],
  entity: SyncBaseEntity,
  map: (g: RecordGroup) => Mapped<M>,
  snapshot: (m: M) => Json,
  upsert: (tx: Queryable, ctx: BatchContext, items: readonly Planned<M>[]) => Promise<Map<string, string>>,
  remoteUpdatedAt: (m: M) => Date | null,
  links?: (m: M) => Json,
): PreparedBatch {
  const parked: ParkedRecord[] = [];
  const planned: Planned<M>[] = [];
  for (const g of groups) {
    const m = map(g);
    if (!m.ok) parked.push({ gid: String(g.root['id']), reason: m.reason, payload: g });
    else {
      const p = plan(m.value.gid, m.value, snapshot(m.value), g);
      planned.push(links ? { ...p, links: links(m.value) } : p);
    }
  }
  return async (tx, ctx) => {
    const refused = await writeChanged(tx, ctx, entity, planned, upsert, remoteUpdatedAt);
    return { done: groups.length - parked.length - refused.length, parked: [...parked, ...refused] };
  };
}

export function plan<M>(gid: string, mapped: M, snapshot: Json, payload: unknown): Planned<M> {
  return { gid, mapped, snapshot, hash: snapshotHash(snapshot), payload };
}

/**
 * Writes the records whose snapshot differs from the sync base (unchanged ones write nothing), then
 * their sync base: a new record's link and base in one row (`BatchContext.newLinks`), a linked one's
 * base into its row. Set-based first; if a constraint refuses the set, each record is retried alone
 * (under a savepoint) and the refused ones are returned to be parked with the reason.
 */
export async function writeChanged<M>(
  tx: Queryable,
  ctx: BatchContext,
  entity: SyncBaseEntity,
  items: readonly Planned<M>[],
  write: (tx: Queryable, ctx: BatchContext, items: readonly Planned<M>[]) => Promise<Map<string, string>>,
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
  const written: WrittenRecord[] = [];
  const writeWithBase = async (some: readonly Planned<M>[]): Promise<void> => {
    const newLinks: IdLink[] = [];
    const ids = await write(tx, { ...ctx, newLinks }, some);
    const fresh = new Set(newLinks.map((l) => l.localId));
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
              links: i.links,
            },
          ]
        : [];
    });
    // New records get their link and first base by plain insert, linked ones without a base their
    // first base in their row; the others have theirs replaced.
    const first = rows.filter((r) => !base.has(r.gid));
    const unlinked = new Set(first.flatMap((r) => (fresh.has(r.localId) ? [r.localId] : [])));
    if (unlinked.size < fresh.size)
      throw new Error(`${entity} batch: a new id was written without its record`);
    await insertSyncBases(
      tx,
      ctx.tenantId,
      entity,
      first.filter((r) => unlinked.has(r.localId)),
      ctx.now,
    );
    await addSyncBases(
      tx,
      ctx.tenantId,
      entity,
      first.filter((r) => !unlinked.has(r.localId)),
      ctx.now,
    );
    if (first.length < rows.length)
      await upsertSyncBase(
        tx,
        ctx.tenantId,
        entity,
        rows.filter((r) => base.has(r.gid)),
        ctx.now,
      );
    written.push(...rows.map((r) => ({ ...r, created: !base.has(r.gid) })));
  };
  const whole = await underSavepoint(tx, 'import_batch', () => writeWithBase(changed));
  // Sync History: one entry for the batch's written records (sync/entities/import-history.ts).
  const history = () => recordImportHistory(tx, ctx.tenantId, entity, written, ctx.now);
  if (whole.ok) {
    await history();
    return [];
  }
  if (recordRefusal(whole.error) === undefined) throw whole.error;
  const parked: ParkedRecord[] = [];
  for (const item of changed) {
    const one = await underSavepoint(tx, 'import_record', () => writeWithBase([item]));
    if (one.ok) continue;
    const reason = recordRefusal(one.error);
    if (reason === undefined) throw one.error;
    parked.push({ gid: item.gid, reason, payload: item.payload });
  }
  await history();
  return parked;
}

/** The links `assignIds` made new ids for: GIDs the id map did not have (those it had stay as they are). */
export function freshLinks(ids: ReadonlyMap<string, string>, known: ReadonlyMap<string, string>): IdLink[] {
  return [...ids].flatMap(([gid, localId]) => (known.has(gid) ? [] : [{ gid, localId }]));
}

/** Links records given new ids: now, or with their sync base when `writeChanged` asks (`ctx.newLinks`). */
export async function linkNew(
  tx: Queryable,
  ctx: BatchContext,
  kind: SyncBaseEntity,
  links: readonly IdLink[],
): Promise<void> {
  if (ctx.newLinks) ctx.newLinks.push(...links);
  else await linkNewIds(tx, ctx.tenantId, kind, links, ctx.now);
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

/**
 * The one shape of a record writer: the GIDs' local ids from the id map (new ids for the rest), the
 * set-based upsert, one change row per record (origin shopify, so never pushed back; none for the
 * import, `ctx.changeRows`), links for the new ids. Returns GID → local id.
 */
export async function writeRecords<M extends { gid: string }>(
  tx: Queryable,
  ctx: BatchContext,
  kind: 'customer' | 'order' | 'location',
  items: readonly Planned<M>[],
  upsert: (ids: ReadonlyMap<string, string>, known: ReadonlyMap<string, string>) => Promise<UpsertedRow[]>,
): Promise<Map<string, string>> {
  const gids = items.map((i) => i.gid);
  const known = await localIdsOf(tx, ctx.tenantId, kind, gids);
  const ids = assignIds(known, gids, ctx.newId);
  const rows = await upsert(ids, known);
  if (rows.length !== items.length) throw new Error(`${kind} batch: some ids belong to another tenant`);
  if (ctx.changeRows)
    await recordChanges(
      tx,
      ctx.tenantId,
      'shopify',
      rows.map((r) => ({
        entity: kind,
        entityId: r.id,
        version: r.version,
        op: r.inserted ? 'create' : 'update',
      })),
    );
  await linkNew(tx, ctx, kind, freshLinks(ids, known));
  return ids;
}
