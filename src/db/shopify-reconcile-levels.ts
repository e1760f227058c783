import type { Queryable } from './db.ts';

// Stock levels as the reconciliation reads them (src/sync/reconcile/levels-compare.ts).

/** Stock levels' quantities by id, and whether a push of theirs is in flight (pending). */
export async function levelQuantities(
  q: Queryable,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, LevelState>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<{
    id: string;
    available: number;
    on_hand: number;
    version: number;
    pending: boolean;
  }>(
    `select l.id, l.available, l.on_hand, l.version,
       exists (select 1 from shopify_inventory_pushes p where p.tenant_id = l.tenant_id and p.level_id = l.id
         and p.pending_key is not null) as pending
     from inventory_levels l where l.tenant_id = $1 and l.id = any($2::uuid[])`,
    [tenantId, ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, available: r.available, onHand: r.on_hand, version: r.version, pending: r.pending },
    ]),
  );
}

/** A stock level as the reconciliation compares it: its quantities, version, and a push in flight. */
export interface LevelState {
  id: string;
  available: number;
  onHand: number;
  version: number;
  pending: boolean;
}

const PENDING_PUSH = `exists (select 1 from shopify_inventory_pushes p where p.tenant_id = l.tenant_id
  and p.level_id = l.id and p.pending_key is not null)`;

/**
 * Retailos's stock levels at Shopify's (inventory item GID, location GID) pairs, through the id map,
 * keyed `item location`; a pair whose variant or location is not linked, or not stocked, is absent.
 */
export async function levelsAt(
  q: Queryable,
  tenantId: string,
  pairs: readonly { item: string; location: string }[],
): Promise<Map<string, LevelState>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await q.query<{
    item: string;
    location: string;
    id: string;
    available: number;
    on_hand: number;
    version: number;
    pending: boolean;
  }>(
    `select x.item, x.location, l.id, l.available, l.on_hand, l.version, ${PENDING_PUSH} as pending
     from jsonb_to_recordset($2::jsonb) as x(item text, location text)
     join shopify_id_map mi on mi.tenant_id = $1 and mi.entity = 'inventory_item' and mi.gid = x.item
     join shopify_id_map ml on ml.tenant_id = $1 and ml.entity = 'location' and ml.gid = x.location
     join inventory_levels l on l.tenant_id = $1 and l.variant_id = mi.local_id and l.location_id = ml.local_id`,
    [tenantId, JSON.stringify(pairs)],
  );
  return new Map(
    rows.map((r) => [
      `${r.item} ${r.location}`,
      { id: r.id, available: r.available, onHand: r.on_hand, version: r.version, pending: r.pending },
    ]),
  );
}

/** One of Retailos's stock levels with its links to Shopify (null: not linked) and its sync base. */
export interface LocalLevelRow extends LevelState {
  item: string | null;
  location: string | null;
  baseGid: string | null;
  baseHash: string | null;
  baseSnapshot: unknown;
}

/** A page of the tenant's stock levels in id order after `after`, with their links and bases. */
export async function localLevelPage(
  q: Queryable,
  tenantId: string,
  after: string | null,
  limit: number,
): Promise<LocalLevelRow[]> {
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
    base_snapshot: unknown;
  }>(
    `select l.id, l.available, l.on_hand, l.version, ${PENDING_PUSH} as pending, mi.gid as item,
       ml.gid as location, b.gid as base_gid, b.snapshot_hash as base_hash, b.snapshot as base_snapshot
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
    baseSnapshot: r.base_snapshot,
  }));
}
