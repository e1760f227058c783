import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import { linkIds, linkNewIds, localIdsOf } from '../../db/shopify-id-map.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import {
  inventoryLevelSnapshot,
  mapInventoryLevel,
  type InventoryLevelFromShopify,
  type ShopifyInventoryLevel,
} from '../../domain/shopify-map/index.ts';
import { plan, writeChanged, type BatchContext, type Planned, type PreparedBatch } from './batch.ts';
import type { RecordGroup } from './jsonl.ts';

interface Resolved extends InventoryLevelFromShopify {
  variantId: string;
  locationId: string;
}

/**
 * Levels are absolute numbers from Shopify at export time: set, not added. Each write leaves an
 * adjustment row (reason "shopify import") with the delta it made, like any other stock change.
 * `old` is materialized: inlined, the planner joined each written level to the whole batch again
 * (500 × 500 row visits a batch).
 */
async function upsertLevels(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<Resolved>[],
): Promise<Map<string, string>> {
  const t = ctx.tenantId;
  const json = items.map(({ mapped: l }) => ({
    variant_id: l.variantId,
    location_id: l.locationId,
    available: l.available,
    on_hand: l.onHand,
  }));
  const { rows } = await tx.query<{
    id: string;
    variant_id: string;
    location_id: string;
    version: number;
    inserted: boolean;
  }>(
    `with input as (
       select * from jsonb_to_recordset($2::jsonb) as r(variant_id uuid, location_id uuid, available integer, on_hand integer)
     ), old as materialized (
       select l.variant_id, l.location_id, l.available, l.on_hand from inventory_levels l
       join input i on i.variant_id = l.variant_id and i.location_id = l.location_id where l.tenant_id = $1
     ), up as (
       insert into inventory_levels (tenant_id, variant_id, location_id, available, on_hand, created_at, updated_at)
       select $1, i.variant_id, i.location_id, i.available, i.on_hand, $3, $3 from input i
       on conflict (tenant_id, variant_id, location_id) do update set available = excluded.available,
         on_hand = excluded.on_hand, updated_at = excluded.updated_at, version = inventory_levels.version + 1
       returning id, variant_id, location_id, version, available, on_hand, (xmax = 0) as inserted
     ), adjusted as (
       insert into inventory_adjustments (tenant_id, variant_id, location_id, delta_available, delta_on_hand, reason, origin, created_at)
       select $1, up.variant_id, up.location_id, up.available - coalesce(old.available, 0), up.on_hand - coalesce(old.on_hand, 0),
         'shopify import', 'shopify', $3
       from up left join old on old.variant_id = up.variant_id and old.location_id = up.location_id
     )
     select id, variant_id::text, location_id::text, version, inserted from up`,
    [t, JSON.stringify(json), ctx.now],
  );
  const byKey = new Map(rows.map((r) => [`${r.variant_id}/${r.location_id}`, r]));
  const ids = new Map<string, string>();
  for (const { mapped: l } of items) {
    const row = byKey.get(`${l.variantId}/${l.locationId}`);
    if (row) ids.set(l.gid, row.id);
  }
  await recordChanges(
    tx,
    t,
    'shopify',
    rows.map((r) => ({
      entity: 'inventory_level',
      entityId: r.id,
      version: r.version,
      op: r.inserted ? 'create' : 'update',
    })),
  );
  // A level this statement created has a new id, so no link yet; an updated one usually has its link.
  const inserted = new Set(rows.flatMap((r) => (r.inserted ? [r.id] : [])));
  const links = [...ids].map(([gid, localId]) => ({ gid, localId }));
  await linkNewIds(
    tx,
    t,
    'inventory_level',
    links.filter((l) => inserted.has(l.localId)),
    ctx.now,
  );
  await linkIds(
    tx,
    t,
    'inventory_level',
    links.filter((l) => !inserted.has(l.localId)),
    ctx.now,
  );
  return ids;
}

/**
 * One batch of level lines (each with its location as `__parentId`). Mapped now; the variant and
 * location each level names are looked up when it is written.
 */
export function prepareInventoryBatch(groups: readonly RecordGroup[]): PreparedBatch {
  const unmapped: ParkedRecord[] = [];
  const mapped: Planned<InventoryLevelFromShopify>[] = [];
  for (const g of groups) {
    const m = mapInventoryLevel(g.root as unknown as ShopifyInventoryLevel, String(g.root['__parentId']));
    if (!m.ok) unmapped.push({ gid: String(g.root['id']), reason: m.reason, payload: g.root });
    else mapped.push(plan(m.value.gid, m.value, inventoryLevelSnapshot(m.value), m.value));
  }
  return async (tx, ctx) => {
    const parked = [...unmapped];
    const variants = await localIdsOf(
      tx,
      ctx.tenantId,
      'inventory_item',
      mapped.map((p) => p.mapped.inventoryItemGid),
    );
    const locations = await localIdsOf(
      tx,
      ctx.tenantId,
      'location',
      mapped.map((p) => p.mapped.locationGid),
    );
    const planned: Planned<Resolved>[] = [];
    for (const p of mapped) {
      const l = p.mapped;
      const variantId = variants.get(l.inventoryItemGid);
      const locationId = locations.get(l.locationGid);
      if (!variantId)
        parked.push({
          gid: l.gid,
          reason: `no imported variant has the inventory item ${l.inventoryItemGid}`,
          payload: l,
        });
      else if (!locationId)
        parked.push({ gid: l.gid, reason: `the location ${l.locationGid} was not imported`, payload: l });
      else planned.push({ ...p, mapped: { ...l, variantId, locationId } });
    }
    parked.push(
      ...(await writeChanged(
        tx,
        ctx,
        'inventory_level',
        planned,
        (q, some) => upsertLevels(q, ctx, some),
        (l) => l.updatedAt,
      )),
    );
    return { done: groups.length - parked.length, parked };
  };
}
