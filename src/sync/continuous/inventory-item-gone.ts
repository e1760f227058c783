import type { Queryable } from '../../db/db.ts';
import { getLevel, lockLevels } from '../../db/inventory.ts';
import { productIdOfVariant } from '../../db/products.ts';
import { gidsOf, linkIds, localIdsOf, unlinkLocal } from '../../db/shopify-id-map.ts';
import { deleteSyncBase, getSyncBase } from '../../db/shopify-sync-base.ts';
import { advanceLevelSync, lockLevelSync } from '../../db/shopify-inventory-pushes.ts';
import type { CoreDeps } from '../../deps.ts';
import type { InventoryLevel } from '../../domain/entities.ts';
import { PermanentError } from '../../errors.ts';
import { call } from '../entities/shopify-write.ts';
import type { ShopSession } from '../shop-session.ts';
import { syncAdapters } from './adapters.ts';
import { readLevel, type Quantities, type RemoteLevel } from './inventory-level-io.ts';
import { syncEntity, type SyncDeps } from './sync-entity.ts';

const VARIANT_ITEM = `query VariantItem($id: ID!) { productVariant(id: $id) { id inventoryItem { id } } }`;

export type GoneDeps = SyncDeps & Pick<CoreDeps, 'randomBytes'>;

/** After the level follows another item: rebase it on Shopify's quantities there (inventory-push's rebase). */
export type Rebase = (
  tx: Queryable,
  item: string,
  level: InventoryLevel,
  base: Quantities,
  remote: RemoteLevel,
) => Promise<void>;

/**
 * Shopify refused a stock push because the level's inventory item does not exist. Either the variant
 * is gone (deleted on Shopify, alone or with its product), or our link names an item the variant no
 * longer has. Finds out, and answers the item the level is to be pushed to now, or null when the level
 * is gone:
 * - the variant is on Shopify with another item: the level follows it (link moved), the unpushed delta
 *   kept on top of Shopify's quantity there (`rebase`), or, where the item is not stocked yet, its base
 *   dropped so the push stocks it with the level's quantity;
 * - the variant is gone: its product is synced, which reads Shopify and applies the deletion by the
 *   product's rules (as its webhook would: history entry, the level deleted with its variant); its
 *   webhook, when it comes, finds nothing left to do.
 */
export async function followGoneItem(
  deps: GoneDeps,
  session: ShopSession,
  tenantId: string,
  levelId: string,
  goneItem: string,
  location: string,
  rebase: Rebase,
): Promise<string | null> {
  let level = await getLevel(deps.db, tenantId, levelId);
  if (!level) return null;
  let item = await currentItem(deps, session, tenantId, level.variantId);
  if (!item) {
    const productId = await productIdOfVariant(deps.db, tenantId, level.variantId);
    if (productId) {
      const product = syncAdapters(deps).product;
      await syncEntity(deps, session, product, tenantId, { localId: productId }, { origin: 'push' });
    }
    level = await getLevel(deps.db, tenantId, levelId);
    if (!level) return null;
    item = await currentItem(deps, session, tenantId, level.variantId);
  }
  if (!item || item === goneItem)
    throw new PermanentError(
      `Shopify has no inventory item ${goneItem} any more, yet the variant of stock level ${levelId} is still there`,
      'not_found',
    );
  await follow(deps, session, tenantId, level, item, location, rebase);
  return item;
}

/** The inventory item Shopify holds for the level's variant now, or undefined when the variant is gone. */
async function currentItem(
  deps: GoneDeps,
  session: ShopSession,
  tenantId: string,
  variantId: string,
): Promise<string | undefined> {
  const variant = (await gidsOf(deps.db, tenantId, 'variant', [variantId])).get(variantId);
  if (!variant) return undefined;
  const { data } = await call<{ productVariant: { inventoryItem: { id: string } | null } | null }>(
    session,
    VARIANT_ITEM,
    { id: variant },
  );
  return data.productVariant?.inventoryItem?.id;
}

/** Moves the variant's item link to `item` and rebases the level on Shopify's quantities there. */
async function follow(
  deps: GoneDeps,
  session: ShopSession,
  tenantId: string,
  level: InventoryLevel,
  item: string,
  location: string,
  rebase: Rebase,
): Promise<void> {
  const remote = await readLevel(session, item, location);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const owner = (await localIdsOf(tx, tenantId, 'inventory_item', [item])).get(item);
    if (owner && owner !== level.variantId)
      throw new PermanentError(
        `Shopify's inventory item ${item} of this variant is linked to another variant in Retailos`,
        'link_conflict',
      );
    await unlinkLocal(tx, tenantId, 'inventory_item', [level.variantId]);
    await linkIds(tx, tenantId, 'inventory_item', [{ gid: item, localId: level.variantId }], now);
    const current = await getLevel(tx, tenantId, level.id);
    if (!current) return;
    const { levels } = await lockLevels(tx, tenantId, [current], now);
    await lockLevelSync(tx, tenantId, level.id);
    const base = await getSyncBase(tx, tenantId, 'inventory_level', level.id);
    // Not stocked there yet (or never synced): no base, so the push stocks it with the level's quantity.
    if (!remote || !base) return deleteSyncBase(tx, tenantId, 'inventory_level', level.id);
    await rebase(tx, item, levels[0] as InventoryLevel, base.snapshot as Quantities, remote);
    await advanceLevelSync(tx, tenantId, level.id, null);
  });
}
