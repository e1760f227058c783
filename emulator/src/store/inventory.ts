import { nowSeconds } from './clock.ts';
import { gid, inventoryLevelGid, nextId } from './ids.ts';
import { emitChange, StoreError, type Store } from './store.ts';
import type {
  InventoryItemRecord,
  InventoryLevelRecord,
  QuantityName,
  ShopData,
  StoredQuantityName,
} from './types.ts';

/** `on_hand` = available + committed + reserved + damaged + safety_stock + quality_control. */
export function onHand(level: InventoryLevelRecord): number {
  const q = level.quantities;
  return q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control;
}

export function quantityOf(level: InventoryLevelRecord, name: QuantityName): number {
  return name === 'on_hand' ? onHand(level) : level.quantities[name];
}

export function emptyQuantities(): Record<StoredQuantityName, number> {
  return {
    available: 0,
    committed: 0,
    damaged: 0,
    incoming: 0,
    quality_control: 0,
    reserved: 0,
    safety_stock: 0,
  };
}

/** Creates an inventory item (no levels) for a variant. Emits inventory_item/create. */
export function createInventoryItem(
  store: Store,
  shop: ShopData,
  fields: { variantId: number; sku: string; tracked: boolean; unitCost: string | null },
  at: number,
): InventoryItemRecord {
  const item: InventoryItemRecord = {
    id: nextId(shop, 'InventoryItem'),
    ...fields,
    levels: new Map(),
    createdAt: at,
    updatedAt: at,
  };
  shop.inventoryItems.set(item.id, item);
  emitChange(store, {
    shop: shop.domain,
    kind: 'inventory_item',
    action: 'create',
    id: gid('InventoryItem', item.id),
    at,
  });
  return item;
}

export function getInventoryItem(shop: ShopData, itemId: number): InventoryItemRecord {
  const item = shop.inventoryItems.get(itemId);
  if (!item) throw new StoreError('NOT_FOUND', `inventory item ${itemId} not found`);
  return item;
}

/** Stocks an item at a location (inventory_levels/connect). Idempotent. */
export function connectLevel(
  store: Store,
  shop: ShopData,
  itemId: number,
  locationId: number,
  available = 0,
): InventoryLevelRecord {
  const item = getInventoryItem(shop, itemId);
  if (!shop.locations.has(locationId)) throw new StoreError('NOT_FOUND', `location ${locationId} not found`);
  const existing = item.levels.get(locationId);
  if (existing) return existing;
  const at = nowSeconds(store.clock);
  const level: InventoryLevelRecord = {
    itemId,
    locationId,
    quantities: emptyQuantities(),
    createdAt: at,
    updatedAt: at,
  };
  level.quantities.available = available;
  item.levels.set(locationId, level);
  emitLevel(store, shop, level, 'connect');
  return level;
}

/** Unstocks an item at a location (inventory_levels/disconnect). */
export function disconnectLevel(store: Store, shop: ShopData, itemId: number, locationId: number): void {
  const item = getInventoryItem(shop, itemId);
  const level = item.levels.get(locationId);
  if (!level) throw new StoreError('NOT_FOUND', `item ${itemId} is not stocked at location ${locationId}`);
  item.levels.delete(locationId);
  level.updatedAt = nowSeconds(store.clock);
  emitLevel(store, shop, level, 'disconnect');
}

export function getLevel(shop: ShopData, itemId: number, locationId: number): InventoryLevelRecord {
  const level = shop.inventoryItems.get(itemId)?.levels.get(locationId);
  if (!level) throw new StoreError('NOT_FOUND', `item ${itemId} is not stocked at location ${locationId}`);
  return level;
}

/**
 * Sets a quantity. Setting `on_hand` changes `available` by the difference (as Shopify does).
 * Emits inventory_level/update. Returns the delta applied to the named quantity.
 */
export function setQuantity(
  store: Store,
  shop: ShopData,
  change: { itemId: number; locationId: number; name: QuantityName; quantity: number; appKey?: string },
): number {
  const level = getLevel(shop, change.itemId, change.locationId);
  const delta = change.quantity - quantityOf(level, change.name);
  applyDelta(store, shop, level, change.name, delta, change.appKey);
  return delta;
}

/** Adds `delta` to a quantity (`on_hand` deltas go to `available`). Emits inventory_level/update. */
export function adjustQuantity(
  store: Store,
  shop: ShopData,
  change: { itemId: number; locationId: number; name: QuantityName; delta: number; appKey?: string },
): InventoryLevelRecord {
  const level = getLevel(shop, change.itemId, change.locationId);
  applyDelta(store, shop, level, change.name, change.delta, change.appKey);
  return level;
}

/** Moves stock between two named quantities of one level (e.g. available → committed). */
export function moveQuantity(
  store: Store,
  shop: ShopData,
  level: InventoryLevelRecord,
  from: StoredQuantityName,
  to: StoredQuantityName,
  quantity: number,
): void {
  changeQuantities(store, shop, level, { [from]: -quantity, [to]: quantity });
}

/** Applies several deltas to one level at once and emits one inventory_level/update. */
export function changeQuantities(
  store: Store,
  shop: ShopData,
  level: InventoryLevelRecord,
  deltas: Partial<Record<StoredQuantityName, number>>,
): void {
  for (const [name, delta] of Object.entries(deltas) as [StoredQuantityName, number][]) {
    level.quantities[name] += delta;
  }
  level.updatedAt = nowSeconds(store.clock);
  emitLevel(store, shop, level, 'update');
}

function applyDelta(
  store: Store,
  shop: ShopData,
  level: InventoryLevelRecord,
  name: QuantityName,
  delta: number,
  appKey: string | undefined,
): void {
  const stored: StoredQuantityName = name === 'on_hand' ? 'available' : name;
  level.quantities[stored] += delta;
  level.updatedAt = nowSeconds(store.clock);
  emitLevel(store, shop, level, 'update', appKey);
}

function emitLevel(
  store: Store,
  shop: ShopData,
  level: InventoryLevelRecord,
  action: 'update' | 'connect' | 'disconnect',
  appKey?: string,
): void {
  emitChange(store, {
    shop: shop.domain,
    kind: 'inventory_level',
    action,
    id: inventoryLevelGid(level.locationId, level.itemId),
    at: level.updatedAt,
    inventoryItemId: level.itemId,
    locationId: level.locationId,
    ...(appKey === undefined ? {} : { appKey }),
  });
}

/** Updates sku / tracked / unitCost of an item. Emits inventory_item/update. */
export function updateInventoryItem(
  store: Store,
  shop: ShopData,
  itemId: number,
  patch: { sku?: string; tracked?: boolean; unitCost?: string | null },
): InventoryItemRecord {
  const item = getInventoryItem(shop, itemId);
  Object.assign(item, patch);
  item.updatedAt = nowSeconds(store.clock);
  emitChange(store, {
    shop: shop.domain,
    kind: 'inventory_item',
    action: 'update',
    id: gid('InventoryItem', item.id),
    at: item.updatedAt,
  });
  return item;
}
