import type { Queryable } from './db.ts';
import type { SyncBaseEntity } from './shopify-sync-base.ts';
import { PENDING_PUSH, type LevelState } from './shopify-reconcile-levels.ts';

// The reconciliation's batch reads (src/sync/reconcile/): one query per batch of records, hashes
// only — a sync base's snapshot is read for the few records that differ, not for every one compared.

/** A Shopify record's sync base hash and the Retailos record it is linked to (`shopify_links`). */
export interface BaseKey {
  /** The linked local id; null: not in Retailos. */
  localId: string | null;
  baseHash: string | null;
}

/**
 * For each linked GID: its local id and its base hash (null without a base). One query for the batch; GIDs with neither are left out. Its rows come back as one
 * JSON document, each naming its GID by position: embedded PGlite decodes every field of every row
 * in JavaScript (a buffer copy and a string decode each), and one document costs about half.
 */
export async function baseKeysByGid(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  gids: readonly string[],
): Promise<Map<string, BaseKey>> {
  if (gids.length === 0) return new Map();
  const unique = [...new Set(gids)];
  const { rows } = await q.query<{ rows: [number, string | null, string | null][] }>(
    `select coalesce(json_agg(json_build_array(x.i, k.local_id, k.snapshot_hash)), '[]') as rows
     from unnest($3::text[]) with ordinality as x(gid, i)
     join shopify_links k on k.tenant_id = $1 and k.entity = $2 and k.gid = x.gid`,
    [tenantId, entity, unique],
  );
  return new Map(
    (rows[0]?.rows ?? []).map(([i, localId, baseHash]) => [unique[i - 1] as string, { localId, baseHash }]),
  );
}

/** What Retailos has for one of Shopify's stock levels: its sync base (by the level's GID) and its level at the pair. */
export interface LevelKeys {
  base: { localId: string; hash: string } | undefined;
  /** Retailos's level at the (inventory item, location) pair, through the id map. */
  atPair: LevelState | undefined;
}

/**
 * For each of Shopify's levels (its GID and its pair's inventory item and location GIDs), in order:
 * its sync base and Retailos's level at its pair (absent when the variant or location is not linked,
 * or not stocked there). One query, its rows as one JSON document (see `baseKeysByGid`).
 */
export async function levelKeysOf(
  q: Queryable,
  tenantId: string,
  levels: readonly { gid: string; item: string; location: string }[],
): Promise<LevelKeys[]> {
  const out = levels.map((): LevelKeys => ({ base: undefined, atPair: undefined }));
  if (levels.length === 0) return out;
  const { rows } = await q.query<{
    rows: [
      number,
      string | null,
      string | null,
      string | null,
      number | null,
      number | null,
      number | null,
      boolean,
    ][];
  }>(
    `select coalesce(json_agg(json_build_array(x.i, b.local_id, b.snapshot_hash, l.id, l.available, l.on_hand,
                                                 l.version, l.id is not null and ${PENDING_PUSH})), '[]') as rows
     from unnest($2::text[], $3::text[], $4::text[]) with ordinality as x(gid, item, location, i)
     left join shopify_links b on b.tenant_id = $1 and b.entity = 'inventory_level' and b.gid = x.gid
                               and b.snapshot_hash is not null
     left join shopify_links mi on mi.tenant_id = $1 and mi.entity = 'inventory_item' and mi.gid = x.item
     left join shopify_links ml on ml.tenant_id = $1 and ml.entity = 'location' and ml.gid = x.location
     left join inventory_levels l on l.tenant_id = $1 and l.variant_id = mi.local_id and l.location_id = ml.local_id
     where b.gid is not null or l.id is not null`,
    [tenantId, levels.map((l) => l.gid), levels.map((l) => l.item), levels.map((l) => l.location)],
  );
  for (const [i, baseId, hash, id, available, onHand, version, pending] of rows[0]?.rows ?? []) {
    const keys = out[i - 1] as LevelKeys;
    if (baseId !== null && hash !== null) keys.base = { localId: baseId, hash };
    if (id !== null)
      keys.atPair = {
        id,
        available: available as number,
        onHand: onHand as number,
        version: version as number,
        pending,
      };
  }
  return out;
}

/** Base hashes by local id (records without a base are left out). One query. */
export async function baseHashesByLocalId(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localIds: readonly string[],
): Promise<Map<string, string>> {
  if (localIds.length === 0) return new Map();
  const { rows } = await q.query<{ local_id: string; snapshot_hash: string }>(
    `select local_id, snapshot_hash from shopify_links
     where tenant_id = $1 and entity = $2 and local_id = any($3::uuid[]) and snapshot_hash is not null`,
    [tenantId, entity, [...new Set(localIds)]],
  );
  return new Map(rows.map((r) => [r.local_id, r.snapshot_hash]));
}

/** Base hashes (and their local ids) by GID. One query. */
export async function baseHashesOfGids(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  gids: readonly string[],
): Promise<Map<string, { localId: string; hash: string }>> {
  if (gids.length === 0) return new Map();
  const { rows } = await q.query<{ gid: string; local_id: string; snapshot_hash: string }>(
    `select gid, local_id, snapshot_hash from shopify_links
     where tenant_id = $1 and entity = $2 and gid = any($3::text[]) and snapshot_hash is not null`,
    [tenantId, entity, [...new Set(gids)]],
  );
  return new Map(rows.map((r) => [r.gid, { localId: r.local_id, hash: r.snapshot_hash }]));
}

/** The entity keys (shopify_dead_letters.entity_key) among `keys` with an open dead letter. One query. */
export async function openLetterKeys(
  q: Queryable,
  tenantId: string,
  keys: readonly string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await q.query<{ entity_key: string }>(
    `select distinct entity_key from shopify_dead_letters
     where tenant_id = $1 and state = 'open' and entity_key = any($2::text[])`,
    [tenantId, [...new Set(keys)]],
  );
  return new Set(rows.map((r) => r.entity_key));
}

/** One of Retailos's stock levels with its links to Shopify (null: not linked) and its base's hash. */
export interface LocalLevelKey extends LevelState {
  item: string | null;
  location: string | null;
  baseGid: string | null;
  baseHash: string | null;
}

/**
 * A page of the tenant's stock levels in id order after `after`, with their links and base hashes
 * (no snapshots: a level that differs has its base read on its own).
 */
export async function localLevelKeyPage(
  q: Queryable,
  tenantId: string,
  after: string | null,
  limit: number,
): Promise<LocalLevelKey[]> {
  const { rows } = await q.query<{
    id: string;
    available: number;
    on_hand: number;
    version: number;
    pending: boolean;
    item: string | null;
    location: string | null;
    base_gid: string | null;
    base_hash: string | null;
  }>(
    `select l.id, l.available, l.on_hand, l.version, ${PENDING_PUSH} as pending, mi.gid as item, ml.gid as location, b.gid as base_gid, b.snapshot_hash as base_hash
     from inventory_levels l
     left join shopify_links mi on mi.tenant_id = l.tenant_id and mi.entity = 'inventory_item' and mi.local_id = l.variant_id
     left join shopify_links ml on ml.tenant_id = l.tenant_id and ml.entity = 'location' and ml.local_id = l.location_id
     left join shopify_links b on b.tenant_id = l.tenant_id and b.entity = 'inventory_level' and b.local_id = l.id
                               and b.snapshot_hash is not null
     where l.tenant_id = $1 and ($2::uuid is null or l.id > $2)
     order by l.id limit $3`,
    [tenantId, after, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    available: r.available,
    onHand: r.on_hand,
    version: r.version,
    pending: r.pending,
    item: r.item,
    location: r.location,
    baseGid: r.base_gid,
    baseHash: r.base_hash,
  }));
}

/** How many sync bases the tenant has of a kind. */
export async function countSyncBases(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
): Promise<number> {
  const { rows } = await q.query<{ n: string | number }>(
    'select count(*) as n from shopify_links where tenant_id = $1 and entity = $2 and snapshot_hash is not null',
    [tenantId, entity],
  );
  return Number(rows[0]?.n ?? 0);
}

/** How many stock levels the tenant has. */
export async function countLevels(q: Queryable, tenantId: string): Promise<number> {
  const { rows } = await q.query<{ n: string | number }>(
    'select count(*) as n from inventory_levels where tenant_id = $1',
    [tenantId],
  );
  return Number(rows[0]?.n ?? 0);
}

/** A difference of a run as its report reads it: its record's ids, its state and what the run saw (not its fields). */
export interface DifferenceKey {
  entity: string;
  key: string;
  localId: string | null;
  gid: string | null;
  state: string;
  seen: unknown;
}

/** A page of a run's differences in (entity, key) order after `after`, without their fields. */
export async function differenceKeyPage(
  q: Queryable,
  tenantId: string,
  runId: string,
  after: { entity: string; key: string } | null,
  limit: number,
): Promise<DifferenceKey[]> {
  const { rows } = await q.query<{
    entity: string;
    key: string;
    local_id: string | null;
    gid: string | null;
    state: string;
    seen: unknown;
  }>(
    `select entity, key, local_id, gid, state, seen from shopify_reconcile_differences
     where tenant_id = $1 and run_id = $2 and ($3::text is null or (entity, key) > ($3::text, $4::text))
     order by entity, key limit $5`,
    [tenantId, runId, after?.entity ?? null, after?.key ?? null, limit],
  );
  return rows.map((r) => ({
    entity: r.entity,
    key: r.key,
    localId: r.local_id,
    gid: r.gid,
    state: r.state,
    seen: r.seen,
  }));
}
