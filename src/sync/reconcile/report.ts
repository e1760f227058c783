import { getLocation } from '../../db/locations.ts';
import { differenceKeyPage, type DifferenceKey } from '../../db/reconcile-reads.ts';
import { differenceCounts, getRun, type ReconcileRun } from '../../db/shopify-reconcile.ts';
import { levelQuantities, levelsAt } from '../../db/shopify-reconcile-levels.ts';
import { getSyncBase, getSyncBaseByGid } from '../../db/shopify-sync-base.ts';
import type { CoreDeps } from '../../deps.ts';
import { inventoryLevelSnapshot, locationSnapshot, snapshotHash } from '../../domain/shopify-map/index.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import { syncAdapters } from '../continuous/adapters.ts';
import { add, checksumJson, remove } from './checksum.ts';
import { causeWords } from './classify.ts';
import type { KindTally, Seen } from './compare.ts';
import type { LevelSeen } from './levels-compare.ts';

export type Tallies = Record<string, KindTally>;

export interface KindReport {
  compared: number;
  equal: number;
  unreadable: number;
  not_compared: number;
  differences: number;
  repaired: Record<string, number>;
  left_to_live_sync: number;
  unchanged: number;
  failed: number;
  shopify: { count: number; checksum: string };
  retailos: { count: number; checksum: string };
}

export interface RunReport {
  kinds: Record<string, KindReport>;
  duration_ms: number;
  points_spent: number;
}

const PAGE = 500;

/**
 * The run's report: per kind, records compared and equal, differences repaired per cause (in words),
 * left to live sync, failed; each side's count and checksum after the run (a repaired record counts
 * with what both sides hold now), the duration and the points the run's reads spent.
 */
export async function buildReport(
  deps: CoreDeps,
  tenantId: string,
  run: ReconcileRun,
  tallies: Tallies,
  durationMs: number,
): Promise<RunReport> {
  const kinds: Record<string, KindReport> = {};
  for (const [kind, t] of Object.entries(tallies)) {
    kinds[kind] = {
      compared: t.compared,
      equal: t.equal,
      unreadable: t.unreadable,
      not_compared: t.notCompared,
      differences: 0,
      repaired: {},
      left_to_live_sync: 0,
      unchanged: 0,
      failed: 0,
      shopify: checksumJson(t.shopify),
      retailos: checksumJson(t.retailos),
    };
  }
  for (const c of await differenceCounts(deps.db, run.id)) {
    const k = kinds[c.entity];
    if (!k) continue;
    k.differences += c.n;
    if (c.state === 'repaired') {
      const words = causeWords(c.entity, c.cause);
      k.repaired[words] = (k.repaired[words] ?? 0) + c.n;
    } else if (c.state === 'left_to_live_sync') k.left_to_live_sync += c.n;
    else if (c.state === 'unchanged') k.unchanged += c.n;
    else if (c.state === 'failed') k.failed += c.n;
  }
  if (!run.dryRun) await moveRepaired(deps, tenantId, run.id, tallies, kinds);
  const points = (await getRun(deps.db, tenantId, run.id))?.pointsSpent ?? 0;
  return { kinds, duration_ms: durationMs, points_spent: points };
}

/** Each repaired record's checksums move from what the run read to what both sides hold now. */
async function moveRepaired(
  deps: CoreDeps,
  tenantId: string,
  runId: string,
  tallies: Tallies,
  kinds: Record<string, KindReport>,
): Promise<void> {
  // A page at a time, without the differences' fields: memory flat in the number of differences.
  for (let after: { entity: string; key: string } | null = null; ;) {
    const page = await differenceKeyPage(deps.db, tenantId, runId, after, PAGE);
    if (page.length === 0) break;
    const last = page[page.length - 1] as DifferenceKey;
    after = { entity: last.entity, key: last.key };
    for (const d of page) {
      const t = tallies[d.entity];
      if (!t || d.state === 'pending') continue;
      const seen = d.seen as Seen;
      const now = await currentHashes(deps, tenantId, d);
      remove(t.shopify, seen.remoteHash ?? undefined);
      remove(t.retailos, seen.localHash ?? undefined);
      add(t.shopify, now.remote);
      add(t.retailos, now.local);
    }
  }
  for (const [kind, t] of Object.entries(tallies)) {
    const k = kinds[kind];
    if (!k) continue;
    k.shopify = checksumJson(t.shopify);
    k.retailos = checksumJson(t.retailos);
  }
}

/** A record's hashes now: Retailos's record, and Shopify's as the sync base last saw it. */
async function currentHashes(
  deps: CoreDeps,
  tenantId: string,
  d: DifferenceKey,
): Promise<{ local: string | undefined; remote: string | undefined }> {
  if (d.entity === 'inventory_level') {
    const seen = d.seen as LevelSeen;
    const level = d.localId
      ? (await levelQuantities(deps.db, tenantId, [d.localId])).get(d.localId)
      : seen.item && seen.location
        ? (await levelsAt(deps.db, tenantId, [{ item: seen.item, location: seen.location }])).get(
            `${seen.item} ${seen.location}`,
          )
        : undefined;
    const base = level ? await getSyncBase(deps.db, tenantId, 'inventory_level', level.id) : undefined;
    return { local: level && snapshotHash(inventoryLevelSnapshot(level)), remote: base?.hash };
  }
  if (d.entity === 'location') {
    const base = d.localId
      ? await getSyncBase(deps.db, tenantId, 'location', d.localId)
      : d.gid
        ? await getSyncBaseByGid(deps.db, tenantId, 'location', d.gid)
        : undefined;
    const localId = d.localId ?? base?.localId;
    const local = localId ? await getLocation(deps.db, tenantId, localId) : undefined;
    return { local: local && snapshotHash(locationSnapshot(local)), remote: base?.hash };
  }
  const a = syncAdapters(deps)[d.entity as MergedKind];
  const base = d.localId
    ? await getSyncBase(deps.db, tenantId, a.entity, d.localId)
    : d.gid
      ? await getSyncBaseByGid(deps.db, tenantId, a.entity, d.gid)
      : undefined;
  const localId = d.localId ?? base?.localId;
  const local = localId ? await a.loadLocal(deps.db, tenantId, localId, false) : undefined;
  return { local: local && snapshotHash(a.localSnapshot(local)), remote: base?.hash };
}
