import type { Queryable } from './db.ts';
import type { SyncBaseEntity } from './shopify-sync-base.ts';
import { PENDING_PUSH, type LevelState } from './shopify-reconcile-levels.ts';

// The reconciliation's batch reads (src/sync/reconcile/): one query per batch of records, hashes
// only — a sync base's snapshot is read for the few records that differ, not for every one compared.

/** A Shopify record's sync base hash and the Retailos record it is linked to (base first, then the id map). */
export interface BaseKey {
  /** The base's local id, else the id map's; null: not in Retailos. */
  localId: string | null;
  baseHash: string | null;
}

/**
 * For each GID with a sync base or an id map link: its local id (the base's, else the link's) and
 * its base hash. One query for the batch; GIDs with neither are left out.
 */
export async function baseKeysByGid(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  gids: readonly string[],
): Promise<Map<string, BaseKey>> {
  if (gids.length === 0) return new Map();
  const { rows } = await q.query<{
    gid: string;
    base_local_id: string | null;
    snapshot_hash: string | null;
    linked: string | null;
  }>(
    `select x.gid, b.local_id as base_local_id, b.snapshot_hash, m.local_id as linked
     from unnest($3::text[]) as x(gid)
     left join shopify_sync_base b on b.tenant_id = $1 and b.entity = $2 and b.gid = x.gid
     left join shopify_id_map m on m.tenant_id = $1 and m.entity = $2 and m.gid = x.gid
     where b.gid is not null or m.gid is not null`,
    [tenantId, entity, [...new Set(gids)]],
  );
  return new Map(
    rows.map((r) => [r.gid, { localId: r.base_local_id ?? r.linked, baseHash: r.snapshot_hash }]),
  );
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
    `select local_id, snapshot_hash from shopify_sync_base
     where tenant_id = $1 and entity = $2 and local_id = any($3::uuid[])`,
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
    `select gid, local_id, snapshot_hash from shopify_sync_base
     where tenant_id = $1 and entity = $2 and gid = any($3::text[])`,
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
     left join shopify_id_map mi on mi.tenant_id = l.tenant_id and mi.entity = 'inventory_item' and mi.local_id = l.variant_id
     left join shopify_id_map ml on ml.tenant_id = l.tenant_id and ml.entity = 'location' and ml.local_id = l.location_id
     left join shopify_sync_base b on b.tenant_id = l.tenant_id and b.entity = 'inventory_level' and b.local_id = l.id
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
    'select count(*) as n from shopify_sync_base where tenant_id = $1 and entity = $2',
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
