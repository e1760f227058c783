import type { Db } from '../../db/db.ts';
import { baseKeysByGid, countSyncBases } from '../../db/reconcile-reads.ts';
import {
  insertDifferences,
  syncBaseKeys,
  unlinkedLocalIds,
  type Difference,
} from '../../db/shopify-reconcile.ts';
import { getSyncBasesByGid } from '../../db/shopify-sync-base.ts';
import {
  mapCustomer,
  mapOrder,
  mapProduct,
  snapshotHash,
  type Json,
  type Mapped,
  type ShopifyCustomer,
  type ShopifyLineItem,
  type ShopifyOrder,
  type ShopifyProduct,
  type ShopifyVariant,
} from '../../domain/shopify-map/index.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import type { AnyAdapter, LocalState, RemoteState } from '../entities/adapter.ts';
import type { RecordGroup } from '../entities/record-group.ts';
import { add, checksumJson, emptyChecksum, type Checksum } from './checksum.ts';
import { classify, fieldDifferences, type Cause } from './classify.ts';
import { GidSet } from './seen-set.ts';

/** What one kind's comparison counted: records compared and equal, and each side's checksum. */
export interface KindTally {
  compared: number;
  equal: number;
  unreadable: number;
  /** Stock levels not compared: a push of theirs in flight (live sync has them). */
  notCompared: number;
  shopify: Checksum;
  retailos: Checksum;
}

export const emptyTally = (): KindTally => ({
  compared: 0,
  equal: 0,
  unreadable: 0,
  notCompared: 0,
  shopify: emptyChecksum(),
  retailos: emptyChecksum(),
});

export const tallyJson = (t: KindTally) => ({
  compared: t.compared,
  equal: t.equal,
  unreadable: t.unreadable,
  not_compared: t.notCompared,
  shopify: checksumJson(t.shopify),
  retailos: checksumJson(t.retailos),
});

/** What the run saw of a record when it compared: a repair goes ahead only if this still holds. */
export interface Seen {
  localVersion: number | null;
  localHash: string | null;
  baseHash: string | null;
  remoteHash: string | null;
  /** When Shopify began the export that read the record (its clock; absent: unknown, or not exported). */
  exportedAt?: string | null;
}

export interface CompareCtx {
  db: Db;
  tenantId: string;
  runId: string;
}

/** A record of an export (its root and children lines) as the adapter's remote state. */
export const MAPPERS: Record<MergedKind, (g: RecordGroup) => Mapped<RemoteState>> = {
  product: (g) => mapProduct(g.root as unknown as ShopifyProduct, g.children as unknown as ShopifyVariant[]),
  customer: (g) => mapCustomer(g.root as unknown as ShopifyCustomer),
  order: (g) => mapOrder(g.root as unknown as ShopifyOrder, g.children as unknown as ShopifyLineItem[]),
};

function difference(
  a: AnyAdapter,
  cause: Cause,
  ids: { localId: string | null; gid: string | null },
  snaps: { base: Json | null; local: Json | null; remote: Json | null },
  seen: Seen,
  remote: RecordGroup | null = null,
): Difference {
  const shown = (snaps.local ?? snaps.remote ?? snaps.base) as Json;
  return {
    entity: a.entity,
    key: ids.localId ?? (ids.gid as string),
    localId: ids.localId,
    gid: ids.gid,
    displayName: a.displayName(shown),
    cause,
    fields: fieldDifferences(snaps.base, snaps.local, snaps.remote, a.rules),
    seen,
    remote,
  };
}

/**
 * Compares one batch of Shopify's records of a merged kind with their sync bases and Retailos's
 * records; stores the differences and returns the GIDs it saw.
 */
export async function compareMergedBatch(
  ctx: CompareCtx,
  a: AnyAdapter,
  groups: readonly RecordGroup[],
  tally: KindTally,
  seenGids: SeenGids,
  exportedAt: string | null = null,
): Promise<number> {
  const remotes: RemoteState[] = [];
  const groupOf = new Map<string, RecordGroup>();
  for (const g of groups) {
    const m = MAPPERS[a.entity](g);
    if (!m.ok) {
      tally.unreadable += 1;
      continue;
    }
    remotes.push(m.value);
    groupOf.set(m.value.gid, g);
  }
  // One read for the batch's base hashes and links, one for its Retailos records (the adapter's).
  const keys = await baseKeysByGid(
    ctx.db,
    ctx.tenantId,
    a.entity,
    remotes.map((r) => r.gid),
  );
  const localIdOf = (gid: string): string | null => keys.get(gid)?.localId ?? null;
  const ids = remotes.flatMap((r) => localIdOf(r.gid) ?? []);
  const locals: Map<string, LocalState> = await a.loadLocals(ctx.db, ctx.tenantId, ids, false);
  const found: Found[] = [];
  for (const r of remotes) {
    seenGids.gids.add(r.gid);
    const localId = localIdOf(r.gid);
    const local = localId ? locals.get(localId) : undefined;
    const baseHash = keys.get(r.gid)?.baseHash ?? undefined;
    if (baseHash !== undefined) seenGids.withBase += 1;
    const remoteSnap = a.remoteSnapshot(r);
    const localSnap = local ? a.localSnapshot(local) : null;
    const hashes = {
      base: baseHash,
      remote: snapshotHash(remoteSnap),
      local: localSnap === null ? undefined : snapshotHash(localSnap),
    };
    tally.compared += 1;
    add(tally.shopify, hashes.remote);
    add(tally.retailos, hashes.local);
    const cause = classify(hashes);
    if (cause === null) {
      tally.equal += 1;
      continue;
    }
    found.push({ cause, localId, gid: r.gid, local, localSnap, remoteSnap, hashes });
  }
  // The bases' snapshots (for the fields that differ) only for the records that differ.
  const bases = await getSyncBasesByGid(
    ctx.db,
    ctx.tenantId,
    a.entity,
    found.flatMap((f) => (f.hashes.base === undefined ? [] : [f.gid])),
  );
  const diffs = found.map((f) =>
    difference(
      a,
      f.cause,
      { localId: f.localId, gid: f.gid },
      {
        base: (bases.get(f.gid)?.snapshot ?? null) as Json | null,
        local: f.localSnap,
        remote: f.remoteSnap,
      },
      { ...seenOf(f.local, f.hashes), exportedAt },
      groupOf.get(f.gid) ?? null,
    ),
  );
  await insertDifferences(ctx.db, ctx.tenantId, ctx.runId, diffs);
  return diffs.length;
}

/** A record of a batch that differs, before its base's snapshot is read. */
interface Found {
  cause: Cause;
  localId: string | null;
  gid: string;
  local: LocalState | undefined;
  localSnap: Json | null;
  remoteSnap: Json;
  hashes: { base: string | undefined; local: string | undefined; remote: string };
}

const seenOf = (
  local: LocalState | undefined,
  h: { base: string | undefined; local: string | undefined; remote: string | undefined },
): Seen => ({
  localVersion: local?.version ?? null,
  localHash: h.local ?? null,
  baseHash: h.base ?? null,
  remoteHash: h.remote ?? null,
});

const PAGE = 500;

/** The GIDs of Shopify's records a kind's comparison met, and how many of them had a sync base. */
export interface SeenGids {
  gids: GidSet;
  withBase: number;
}

export const seenGids = (): SeenGids => ({ gids: new GidSet(), withBase: 0 });

/**
 * After Shopify's side is read: records of the sync base Shopify no longer has (deleted there, or
 * deleted on both sides: nothing to repair then), and Retailos records never linked to Shopify
 * (created here and never pushed; a kind Retailos never creates on Shopify — orders — is left out).
 */
export async function compareOneSided(
  ctx: CompareCtx,
  a: AnyAdapter,
  tally: KindTally,
  seenGids: SeenGids,
): Promise<number> {
  let found = 0;
  // Every base was met in Shopify's records (as many bases as records met with one): none is gone.
  const allMet = seenGids.withBase === (await countSyncBases(ctx.db, ctx.tenantId, a.entity));
  for (let after: string | null = null; !allMet;) {
    const page = await syncBaseKeys(ctx.db, ctx.tenantId, a.entity, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]?.localId ?? null;
    const gone = page.filter((b) => !seenGids.gids.has(b.gid));
    const locals: Map<string, LocalState> = await a.loadLocals(
      ctx.db,
      ctx.tenantId,
      gone.map((b) => b.localId),
      false,
    );
    const diffs = gone.flatMap((b) => {
      const local = locals.get(b.localId);
      if (!local) return [];
      const snap = a.localSnapshot(local);
      const hashes = { base: b.hash, local: snapshotHash(snap), remote: undefined };
      tally.compared += 1;
      add(tally.retailos, hashes.local);
      return [
        difference(
          a,
          'deleted_on_shopify',
          b,
          { base: null, local: snap, remote: null },
          seenOf(local, hashes),
        ),
      ];
    });
    await insertDifferences(ctx.db, ctx.tenantId, ctx.runId, diffs);
    found += diffs.length;
  }
  if (a.createsRemote === false || a.entity === 'order') return found;
  for (let after: string | null = null; ;) {
    const ids = await unlinkedLocalIds(ctx.db, ctx.tenantId, a.entity, after, PAGE);
    if (ids.length === 0) break;
    after = ids[ids.length - 1] ?? null;
    const locals: Map<string, LocalState> = await a.loadLocals(ctx.db, ctx.tenantId, ids, false);
    const diffs = [...locals.values()].map((local) => {
      const snap = a.localSnapshot(local);
      const hashes = { base: undefined, local: snapshotHash(snap), remote: undefined };
      tally.compared += 1;
      add(tally.retailos, hashes.local);
      const ids2 = { localId: local.id, gid: null };
      return difference(
        a,
        'created_in_retailos',
        ids2,
        { base: null, local: snap, remote: null },
        seenOf(local, hashes),
      );
    });
    await insertDifferences(ctx.db, ctx.tenantId, ctx.runId, diffs);
    found += diffs.length;
  }
  return found;
}
