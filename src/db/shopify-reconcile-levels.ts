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

/** True when a stock push of level `l` is pending (its compare-and-set not settled). */
export const PENDING_PUSH = `exists (select 1 from shopify_inventory_pushes p where p.tenant_id = l.tenant_id
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
     join shopify_links mi on mi.tenant_id = $1 and mi.entity = 'inventory_item' and mi.gid = x.item
     join shopify_links ml on ml.tenant_id = $1 and ml.entity = 'location' and ml.gid = x.location
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

/**
 * How many times each level's sync base was written (its generation; 0 when never), read in one query:
 * a repair looks at it before it reads Shopify, so a base written after that read is seen.
 */
export async function levelGenerations(
  q: Queryable,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<{ level_id: string; generation: string | number }>(
    `select level_id, generation from shopify_inventory_pushes where tenant_id = $1 and level_id = any($2::uuid[])`,
    [tenantId, ids],
  );
  const out = new Map(ids.map((id): [string, number] => [id, 0]));
  for (const r of rows) out.set(r.level_id, Number(r.generation));
  return out;
}
