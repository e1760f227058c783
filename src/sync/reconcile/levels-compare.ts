import type { Difference } from '../../db/shopify-reconcile.ts';
import { insertDifferences } from '../../db/shopify-reconcile.ts';
import {
  countLevels,
  levelKeysOf,
  localLevelKeyPage,
  type LevelKeys,
  type LocalLevelKey,
} from '../../db/reconcile-reads.ts';
import { levelQuantities, type LevelState } from '../../db/shopify-reconcile-levels.ts';
import { getSyncBasesByGid } from '../../db/shopify-sync-base.ts';
import {
  inventoryLevelSnapshot,
  mapInventoryLevel,
  snapshotHash,
  type InventoryLevelFromShopify,
  type Json,
  type ShopifyInventoryLevel,
} from '../../domain/shopify-map/index.ts';
import { levelGid } from '../continuous/inventory-level-io.ts';
import type { RecordGroup } from '../entities/record-group.ts';
import { add } from './checksum.ts';
import { PairSet } from './seen-set.ts';
import { classify, fieldDifferences, type Cause } from './classify.ts';
import type { CompareCtx, KindTally, Seen } from './compare.ts';

/** What the run saw of a stock level: the pair it is at on Shopify, and Shopify's time of it. */
export interface LevelSeen extends Seen {
  item: string | null;
  location: string | null;
  updatedAt: string | null;
  /** Shopify's quantities as the export read them (absent: the export did not list the level). */
  quantities?: { available: number; onHand: number } | null;
}

/**
 * The pairs of Shopify's levels the run read (inventory item GID and location GID), and how many of
 * them Retailos has a level at (each pair is one item at one location: one level, another pair's
 * level is another).
 */
export interface SeenPairs {
  pairs: PairSet;
  levelsAtPairs: number;
}

export const seenPairs = (): SeenPairs => ({ pairs: new PairSet(), levelsAtPairs: 0 });

function levelDifference(
  cause: Cause,
  ids: { localId: string | null; gid: string | null },
  snaps: { base: Json | null; local: Json | null; remote: Json | null },
  seen: LevelSeen,
): Difference {
  return {
    entity: 'inventory_level',
    key: ids.localId ?? (ids.gid as string),
    localId: ids.localId,
    gid: ids.gid,
    displayName: `${seen.item ?? 'an item not on Shopify'} @ ${seen.location ?? 'a location not on Shopify'}`,
    cause,
    fields: fieldDifferences(snaps.base, snaps.local, snaps.remote),
    seen,
  };
}

/**
 * Compares one batch of Shopify's stock levels with their bases and Retailos's levels (each side's
 * change is a delta from the base). A level Retailos does not have, or has without a base, is compared
 * too (created on Shopify; or both sides' numbers with nothing to tell who moved), unless it is zero and
 * never synced. A level whose push is in flight is left to live sync. Records each level's pair in `pairs`.
 */
export async function compareLevelBatch(
  ctx: CompareCtx,
  groups: readonly RecordGroup[],
  tally: KindTally,
  met: SeenPairs,
  exportedAt: string | null = null,
): Promise<number> {
  const remotes: InventoryLevelFromShopify[] = [];
  for (const g of groups) {
    const m = mapInventoryLevel(g.root as unknown as ShopifyInventoryLevel, String(g.root['__parentId']));
    if (m.ok) remotes.push(m.value);
    else tally.unreadable += 1;
  }
  // Hashes only: the snapshots of the bases of the levels that differ are read after.
  const keys = await levelKeysOf(
    ctx.db,
    ctx.tenantId,
    remotes.map((r) => ({ gid: r.gid, item: r.inventoryItemGid, location: r.locationGid })),
  );
  // A base whose level is not at its pair any more (relinked): its own level, by id.
  const byBase = await levelQuantities(
    ctx.db,
    ctx.tenantId,
    keys.flatMap((k) => (k.base && !k.atPair ? [k.base.localId] : [])),
  );
  const found: {
    cause: Cause;
    localId: string | null;
    gid: string;
    local: Json | null;
    remote: Json;
    seen: LevelSeen;
  }[] = [];
  for (const [i, r] of remotes.entries()) {
    const newPair = !met.pairs.has(r.inventoryItemGid, r.locationGid);
    met.pairs.add(r.inventoryItemGid, r.locationGid);
    const { base, atPair } = keys[i] as LevelKeys;
    // (A level met at its pair is one the look for Retailos's unmet levels would skip.)
    if (atPair && newPair) met.levelsAtPairs += 1;
    const level: LevelState | undefined = atPair ?? (base ? byBase.get(base.localId) : undefined);
    // Stocked at zero on Shopify, never synced, absent from Retailos: the item is not stocked there on
    // either side (as a never-synced zero level of Retailos's is skipped below).
    if (!base && !level && r.available === 0 && r.onHand === 0) continue;
    const remoteSnap = inventoryLevelSnapshot(r);
    const localSnap = level ? inventoryLevelSnapshot(level) : null;
    const hashes = {
      base: base?.hash,
      remote: snapshotHash(remoteSnap),
      local: localSnap === null ? undefined : snapshotHash(localSnap),
    };
    add(tally.shopify, hashes.remote);
    add(tally.retailos, hashes.local);
    if (level?.pending) {
      tally.notCompared += 1;
      continue;
    }
    tally.compared += 1;
    const cause = classify(hashes);
    if (cause === null) {
      tally.equal += 1;
      continue;
    }
    const localId = level?.id ?? base?.localId ?? null;
    const seen: LevelSeen = {
      localVersion: level?.version ?? null,
      localHash: hashes.local ?? null,
      baseHash: hashes.base ?? null,
      remoteHash: hashes.remote,
      item: r.inventoryItemGid,
      location: r.locationGid,
      updatedAt: r.updatedAt?.toISOString() ?? null,
      quantities: { available: r.available, onHand: r.onHand },
      exportedAt,
    };
    found.push({ cause, localId, gid: r.gid, local: localSnap, remote: remoteSnap, seen });
  }
  const snapshots = await getSyncBasesByGid(
    ctx.db,
    ctx.tenantId,
    'inventory_level',
    found.flatMap((f) => (f.seen.baseHash === null ? [] : [f.gid])),
  );
  const diffs = found.map((f) => {
    const snaps = {
      base: (snapshots.get(f.gid)?.snapshot ?? null) as Json | null,
      local: f.local,
      remote: f.remote,
    };
    return levelDifference(f.cause, { localId: f.localId, gid: f.gid }, snaps, f.seen);
  });
  await insertDifferences(ctx.db, ctx.tenantId, ctx.runId, diffs);
  return diffs.length;
}

const PAGE = 1_000;

/**
 * After Shopify's levels are read: Retailos's levels Shopify did not list. With a base, Shopify
 * stocked the item there and no longer does; without one, Retailos counted stock Shopify never got
 * (a level at zero that was never synced is the item not stocked there, on either side: skipped).
 */
export async function compareLocalLevels(ctx: CompareCtx, tally: KindTally, met: SeenPairs): Promise<number> {
  let found = 0;
  // Every one of Retailos's levels was met at its pair among Shopify's: none is left to look at.
  if (met.levelsAtPairs === (await countLevels(ctx.db, ctx.tenantId))) return found;
  for (let after: string | null = null; ;) {
    const page = await localLevelKeyPage(ctx.db, ctx.tenantId, after, PAGE);
    if (page.length === 0) return found;
    after = page[page.length - 1]?.id ?? null;
    const differing: {
      row: LocalLevelKey;
      cause: Cause;
      gid: string | null;
      local: Json;
      seen: LevelSeen;
    }[] = [];
    for (const row of page) {
      if (row.item && row.location && met.pairs.has(row.item, row.location)) continue;
      if (!row.baseHash && row.available === 0 && row.onHand === 0) continue;
      const localSnap = inventoryLevelSnapshot(row);
      const localHash = snapshotHash(localSnap);
      add(tally.retailos, localHash);
      if (row.pending) {
        tally.notCompared += 1;
        continue;
      }
      tally.compared += 1;
      const cause: Cause = row.baseHash ? 'deleted_on_shopify' : 'created_in_retailos';
      const gid = row.baseGid ?? (row.item && row.location ? levelGid(row.item, row.location) : null);
      const seen: LevelSeen = {
        localVersion: row.version,
        localHash,
        baseHash: row.baseHash,
        remoteHash: null,
        item: row.item,
        location: row.location,
        updatedAt: null,
      };
      differing.push({ row, cause, gid, local: localSnap, seen });
    }
    // The bases' snapshots only for the levels that differ.
    const bases = await getSyncBasesByGid(
      ctx.db,
      ctx.tenantId,
      'inventory_level',
      differing.flatMap((d) => (d.row.baseGid === null ? [] : [d.row.baseGid])),
    );
    const diffs = differing.map((d) => {
      const base = d.row.baseGid === null ? undefined : bases.get(d.row.baseGid);
      const snaps = { base: (base?.snapshot ?? null) as Json | null, local: d.local, remote: null };
      return levelDifference(d.cause, { localId: d.row.id, gid: d.gid }, snaps, d.seen);
    });
    await insertDifferences(ctx.db, ctx.tenantId, ctx.runId, diffs);
    found += diffs.length;
  }
}
