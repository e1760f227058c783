import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import { setLevelBatch } from '../../db/inventory.ts';
import { linkIds, localIdsOf } from '../../db/shopify-id-map.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import {
  inventoryLevelSnapshot,
  mapInventoryLevel,
  type InventoryLevelFromShopify,
  type ShopifyInventoryLevel,
} from '../../domain/shopify-map/index.ts';
import { linkNew, plan, writeChanged, type BatchContext, type Planned, type PreparedBatch } from './batch.ts';
import type { RecordGroup } from './record-group.ts';

/** The level fields Retailos syncs, as GraphQL selects them (bulk read; the webhook path reads its own). */
export const LEVEL_FIELDS =
  'id updatedAt quantities(names: ["available", "on_hand"]) { name quantity } item { id }';

interface Resolved extends InventoryLevelFromShopify {
  variantId: string;
  locationId: string;
}

/**
 * Levels are absolute numbers from Shopify at export time: set, not added. A level this creates takes
 * them as its opening stock (no ledger row, decision 0007 item 3) and a new id from `ctx.newId` (the
 * import's time-ordered ids, item 4); a level it changes leaves an adjustment row with the delta it
 * made, like any other stock change.
 */
async function upsertLevels(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<Resolved>[],
): Promise<Map<string, string>> {
  const t = ctx.tenantId;
  const rows = await setLevelBatch(
    tx,
    t,
    // Every level is given an id: only the ones this statement creates keep theirs.
    items.map((i) => ({ ...i.mapped, id: ctx.newId() })),
    'shopify import',
    ctx.now,
  );
  const byKey = new Map(rows.map((r) => [`${r.variantId}/${r.locationId}`, r]));
  const ids = new Map<string, string>();
  for (const { mapped: l } of items) {
    const row = byKey.get(`${l.variantId}/${l.locationId}`);
    if (row) ids.set(l.gid, row.id);
  }
  // No change rows for the import (BatchContext.changeRows, decision 0007).
  if (ctx.changeRows)
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
  await linkNew(
    tx,
    ctx,
    'inventory_level',
    links.filter((l) => inserted.has(l.localId)),
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
      ...(await writeChanged(tx, ctx, 'inventory_level', planned, upsertLevels, (l) => l.updatedAt)),
    );
    return { done: groups.length - parked.length, parked };
  };
}
