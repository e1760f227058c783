import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import { getLocation, listLocations, updateLocationRow, upsertLocationBatch } from '../../db/locations.ts';
import { insertDifferences, type Difference, type DifferenceRow } from '../../db/shopify-reconcile.ts';
import { linkIds, localIdsOf, unlinkLocal } from '../../db/shopify-id-map.ts';
import {
  deleteSyncBase,
  getSyncBase,
  getSyncBaseByGid,
  getSyncBasesByGid,
  upsertSyncBase,
} from '../../db/shopify-sync-base.ts';
import { insertHistory, type HistoryAction } from '../../db/shopify-sync-history.ts';
import type { CoreDeps } from '../../deps.ts';
import { fieldDiff } from '../../domain/diff.ts';
import type { Location } from '../../domain/entities.ts';
import {
  locationSnapshot,
  mapLocation,
  snapshotHash,
  type Json,
  type LocationFromShopify,
  type ShopifyLocation,
} from '../../domain/shopify-map/index.ts';
import { TransientError } from '../../errors.ts';
import { call } from '../entities/shopify-write.ts';
import { LOCATIONS_PAGE } from '../entities/location.ts';
import { uuidFrom } from '../entities/ids.ts';
import type { ShopSession } from '../shop-session.ts';
import { add } from './checksum.ts';
import { classify, fieldDifferences, type Cause } from './classify.ts';
import type { CompareCtx, KindTally, Seen } from './compare.ts';

/**
 * Locations are Shopify's: Retailos reads them (page by page, they are few) and never creates,
 * edits or deletes one on Shopify. So every difference is repaired from Shopify: a location changed
 * or created there is written to Retailos, one edited in Retailos gets Shopify's values back, one gone
 * from Shopify is deactivated and unlinked in Retailos (never deleted: its stock stays), and one that
 * only Retailos has is kept there, listed, untouched.
 */

const LOCATION_FIELDS =
  'id name isActive createdAt updatedAt address { address1 address2 city province zip country countryCode phone }';
const READ_LOCATION = `query ReconcileLocation($id: ID!) { location(id: $id) { ${LOCATION_FIELDS} } }`;

type Page = {
  locations: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ShopifyLocation[] };
};

async function readLocations(s: ShopSession, tally: KindTally): Promise<LocationFromShopify[]> {
  const out: LocationFromShopify[] = [];
  for (let after: string | null = null; ;) {
    const { data }: { data: Page } = await call<Page>(s, LOCATIONS_PAGE, { after });
    for (const node of data.locations.nodes) {
      const m = mapLocation(node);
      if (m.ok) out.push(m.value);
      else tally.unreadable += 1;
    }
    if (!data.locations.pageInfo.hasNextPage) return out;
    after = data.locations.pageInfo.endCursor;
  }
}

function locationDifference(
  cause: Cause,
  ids: { localId: string | null; gid: string | null },
  snaps: { base: Json | null; local: Json | null; remote: Json | null },
  seen: Seen,
  name: string,
): Difference {
  return {
    entity: 'location',
    key: ids.localId ?? (ids.gid as string),
    localId: ids.localId,
    gid: ids.gid,
    displayName: name,
    cause,
    fields: fieldDifferences(snaps.base, snaps.local, snaps.remote),
    seen,
  };
}

/** Compares Shopify's locations with their bases and Retailos's; stores the differences. */
export async function compareLocations(ctx: CompareCtx, s: ShopSession, tally: KindTally): Promise<number> {
  const remotes = await readLocations(s, tally);
  const gids = remotes.map((r) => r.gid);
  const bases = await getSyncBasesByGid(ctx.db, ctx.tenantId, 'location', gids);
  const linked = await localIdsOf(ctx.db, ctx.tenantId, 'location', gids);
  const locals = new Map((await listLocations(ctx.db, ctx.tenantId)).map((l) => [l.id, l]));
  const diffs: Difference[] = [];
  const seenLocal = new Set<string>();
  const tallied = (hashes: { local: string | undefined; remote: string | undefined }) => {
    tally.compared += 1;
    add(tally.shopify, hashes.remote);
    add(tally.retailos, hashes.local);
  };
  for (const r of remotes) {
    const localId = bases.get(r.gid)?.localId ?? linked.get(r.gid) ?? null;
    const local = localId ? locals.get(localId) : undefined;
    if (local) seenLocal.add(local.id);
    const base = bases.get(r.gid);
    const remoteSnap = locationSnapshot(r);
    const localSnap = local ? locationSnapshot(local) : null;
    const hashes = {
      base: base?.hash,
      remote: snapshotHash(remoteSnap),
      local: localSnap === null ? undefined : snapshotHash(localSnap),
    };
    tallied(hashes);
    const cause = classify(hashes);
    if (cause === null) {
      tally.equal += 1;
      continue;
    }
    const seen = seenOf(local, base?.hash, hashes);
    const snaps = { base: (base?.snapshot ?? null) as Json | null, local: localSnap, remote: remoteSnap };
    diffs.push(locationDifference(cause, { localId: local?.id ?? null, gid: r.gid }, snaps, seen, r.name));
  }
  // Retailos's locations Shopify did not list: gone from Shopify (linked), or never on it.
  for (const local of locals.values()) {
    if (seenLocal.has(local.id)) continue;
    const base = await getSyncBase(ctx.db, ctx.tenantId, 'location', local.id);
    const localSnap = locationSnapshot(local);
    const hashes = { base: base?.hash, local: snapshotHash(localSnap), remote: undefined };
    tallied(hashes);
    const cause: Cause = base ? 'deleted_on_shopify' : 'created_in_retailos';
    const snaps = { base: (base?.snapshot ?? null) as Json | null, local: localSnap, remote: null };
    const ids = { localId: local.id, gid: base?.gid ?? null };
    diffs.push(locationDifference(cause, ids, snaps, seenOf(local, base?.hash, hashes), local.name));
  }
  await insertDifferences(ctx.db, ctx.tenantId, ctx.runId, diffs);
  return diffs.length;
}

const seenOf = (
  local: Location | undefined,
  baseHash: string | undefined,
  h: { local: string | undefined; remote: string | undefined },
): Seen => ({
  localVersion: local?.version ?? null,
  localHash: h.local ?? null,
  baseHash: baseHash ?? null,
  remoteHash: h.remote ?? null,
});

export interface LocationRepair {
  state: 'repaired' | 'left_to_live_sync' | 'unchanged';
  outcome: string;
}

/**
 * Repairs a location from Shopify, read afresh (so never backwards on Shopify's side), unless it was
 * edited or synced in Retailos since the run read it.
 */
export async function repairLocation(
  deps: CoreDeps,
  s: ShopSession,
  tenantId: string,
  d: DifferenceRow,
  cause: string,
): Promise<LocationRepair> {
  const seen = d.seen as Seen;
  const local = d.localId ? await getLocation(deps.db, tenantId, d.localId) : undefined;
  if ((local?.version ?? null) !== seen.localVersion)
    return { state: 'left_to_live_sync', outcome: 'left: edited in Retailos after the run read it' };
  const base = d.localId
    ? await getSyncBase(deps.db, tenantId, 'location', d.localId)
    : d.gid
      ? await getSyncBaseByGid(deps.db, tenantId, 'location', d.gid)
      : undefined;
  if ((base?.hash ?? null) !== seen.baseHash)
    return { state: 'left_to_live_sync', outcome: 'left: synced after the run read it' };
  if (!d.gid)
    return {
      state: 'unchanged',
      outcome: 'kept in Retailos only: Retailos never creates locations on Shopify',
    };
  const { data } = await call<{ location: ShopifyLocation | null }>(s, READ_LOCATION, { id: d.gid });
  if (!data.location) {
    if (!local) return { state: 'unchanged', outcome: 'gone from both sides' };
    await deactivate(deps, tenantId, local, d.gid, cause);
    return {
      state: 'repaired',
      outcome: 'deactivated and unlinked in Retailos (Retailos never deletes a location: its stock stays)',
    };
  }
  const m = mapLocation(data.location);
  if (!m.ok) throw new TransientError(`Shopify's location ${d.gid} cannot be read: ${m.reason}`);
  const remoteSnap = locationSnapshot(m.value);
  if (
    local &&
    snapshotHash(locationSnapshot(local)) === snapshotHash(remoteSnap) &&
    base?.hash === snapshotHash(remoteSnap)
  )
    return { state: 'unchanged', outcome: 'already equal when repaired' };
  await writeFromShopify(deps, tenantId, local, m.value, cause);
  return {
    state: 'repaired',
    outcome: local ? "Shopify's values written to Retailos" : 'created in Retailos from Shopify',
  };
}

async function writeFromShopify(
  deps: CoreDeps,
  tenantId: string,
  local: Location | undefined,
  r: LocationFromShopify,
  cause: string,
): Promise<void> {
  const now = deps.clock.now();
  const id = local?.id ?? uuidFrom(deps.randomBytes(16));
  const before = local ? locationSnapshot(local) : null;
  const after = locationSnapshot(r);
  await deps.db.transaction(async (tx) => {
    const [row] = await upsertLocationBatch(tx, tenantId, [{ ...r, id }]);
    if (!row) throw new Error(`the location ${id} belongs to another tenant`);
    await recordChanges(tx, tenantId, 'shopify', [
      { entity: 'location', entityId: id, version: row.version, op: row.inserted ? 'create' : 'update' },
    ]);
    await linkIds(tx, tenantId, 'location', [{ gid: r.gid, localId: id }], now);
    const hash = snapshotHash(after);
    await upsertSyncBase(
      tx,
      tenantId,
      'location',
      [{ localId: id, gid: r.gid, hash, snapshot: after, remoteUpdatedAt: r.updatedAt }],
      now,
    );
    await locationHistory(
      tx,
      tenantId,
      id,
      r.gid,
      r.name,
      row.inserted ? 'create' : 'update',
      before,
      after,
      cause,
      now,
    );
  });
}

async function deactivate(
  deps: CoreDeps,
  tenantId: string,
  local: Location,
  gid: string,
  cause: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const row = await updateLocationRow(tx, tenantId, local.id, { ...local, active: false }, now);
    await recordChanges(tx, tenantId, 'shopify', [
      { entity: 'location', entityId: local.id, version: row.version, op: 'update' },
    ]);
    await unlinkLocal(tx, tenantId, 'location', [local.id]);
    await deleteSyncBase(tx, tenantId, 'location', local.id);
    const before = locationSnapshot(local);
    const after = locationSnapshot(row);
    await locationHistory(tx, tenantId, local.id, gid, local.name, 'update', before, after, cause, now);
  });
}

async function locationHistory(
  tx: Queryable,
  tenantId: string,
  localId: string,
  gid: string,
  name: string,
  action: HistoryAction,
  before: Json | null,
  after: Json,
  cause: string,
  now: Date,
): Promise<void> {
  await insertHistory(
    tx,
    tenantId,
    [
      {
        entity: 'location',
        localId,
        gid,
        displayName: name,
        direction: 'inbound',
        origin: 'reconcile',
        action,
        outcome: 'applied',
        before,
        after,
        diff: fieldDiff(before, after),
        conflicts: [],
        error: null,
        searchWords: [],
        cause,
      },
    ],
    now,
  );
}
