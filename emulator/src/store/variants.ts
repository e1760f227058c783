import { nowSeconds } from './clock.ts';
import { gid, nextId } from './ids.ts';
import { connectLevel, createInventoryItem, updateInventoryItem } from './inventory.ts';
import { money, type VariantInput } from './product-inputs.ts';
import { emitChange, StoreError, type Store } from './store.ts';
import type { ProductRecord, SelectedOption, ShopData, VariantRecord } from './types.ts';

export function variantTitle(options: SelectedOption[]): string {
  return options.length === 0 ? 'Default Title' : options.map((o) => o.value).join(' / ');
}

export function getVariant(shop: ShopData, variantId: number): VariantRecord {
  const variant = shop.variants.get(variantId);
  if (!variant) throw new StoreError('NOT_FOUND', `variant ${variantId} not found`);
  return variant;
}

/** Adds a variant (with its inventory item and levels) to a product. No product event. */
export function addVariant(
  store: Store,
  shop: ShopData,
  product: ProductRecord,
  input: VariantInput,
): VariantRecord {
  const at = nowSeconds(store.clock);
  const id = nextId(shop, 'ProductVariant');
  const selectedOptions = input.selectedOptions ?? [{ name: 'Title', value: 'Default Title' }];
  const sku = input.sku ?? '';
  const item = createInventoryItem(
    store,
    shop,
    { variantId: id, sku, tracked: input.tracked ?? true, unitCost: input.unitCost ?? null },
    at,
  );
  const variant: VariantRecord = {
    id,
    productId: product.id,
    title: variantTitle(selectedOptions.filter((o) => o.value !== 'Default Title')),
    sku,
    barcode: input.barcode ?? null,
    price: money(input.price ?? '0'),
    compareAtPrice: input.compareAtPrice == null ? null : money(input.compareAtPrice),
    position: product.variantIds.length + 1,
    selectedOptions,
    inventoryPolicy: input.inventoryPolicy ?? 'DENY',
    taxable: input.taxable ?? true,
    inventoryItemId: item.id,
    createdAt: at,
    updatedAt: at,
  };
  shop.variants.set(id, variant);
  product.variantIds.push(id);
  const firstLocation = shop.locations.keys().next();
  const stock =
    input.stock ?? (firstLocation.done ? [] : [{ locationId: firstLocation.value, available: 0 }]);
  for (const s of stock) connectLevel(store, shop, item.id, s.locationId, s.available);
  emitVariant(store, shop, variant, 'create');
  return variant;
}

/** Applies a patch to a variant (and its item's sku/tracked/cost). No product event. */
export function patchVariant(
  store: Store,
  shop: ShopData,
  variant: VariantRecord,
  input: VariantInput,
): void {
  if (input.price !== undefined) variant.price = money(input.price);
  if (input.compareAtPrice !== undefined) {
    variant.compareAtPrice = input.compareAtPrice === null ? null : money(input.compareAtPrice);
  }
  if (input.barcode !== undefined) variant.barcode = input.barcode;
  if (input.inventoryPolicy !== undefined) variant.inventoryPolicy = input.inventoryPolicy;
  if (input.taxable !== undefined) variant.taxable = input.taxable;
  if (input.selectedOptions !== undefined) {
    variant.selectedOptions = input.selectedOptions;
    variant.title = variantTitle(input.selectedOptions.filter((o) => o.value !== 'Default Title'));
  }
  const itemPatch: { sku?: string; tracked?: boolean; unitCost?: string | null } = {};
  if (input.sku !== undefined) {
    variant.sku = input.sku;
    itemPatch.sku = input.sku;
  }
  if (input.tracked !== undefined) itemPatch.tracked = input.tracked;
  if (input.unitCost !== undefined) itemPatch.unitCost = input.unitCost;
  if (Object.keys(itemPatch).length > 0) updateInventoryItem(store, shop, variant.inventoryItemId, itemPatch);
  variant.updatedAt = nowSeconds(store.clock);
  emitVariant(store, shop, variant, 'update');
}

/** Removes a variant and its inventory item. No product event. */
export function removeVariant(
  store: Store,
  shop: ShopData,
  product: ProductRecord,
  variant: VariantRecord,
): void {
  const at = nowSeconds(store.clock);
  shop.variants.delete(variant.id);
  shop.inventoryItems.delete(variant.inventoryItemId);
  product.variantIds = product.variantIds.filter((id) => id !== variant.id);
  product.variantIds.forEach((id, index) => {
    const v = shop.variants.get(id);
    if (v) v.position = index + 1;
  });
  emitChange(store, {
    shop: shop.domain,
    kind: 'inventory_item',
    action: 'delete',
    id: gid('InventoryItem', variant.inventoryItemId),
    at,
    productId: product.id,
  });
  emitVariant(store, shop, variant, 'delete');
}

function emitVariant(
  store: Store,
  shop: ShopData,
  variant: VariantRecord,
  action: 'create' | 'update' | 'delete',
): void {
  emitChange(store, {
    shop: shop.domain,
    kind: 'variant',
    action,
    id: gid('ProductVariant', variant.id),
    at: variant.updatedAt,
    productId: variant.productId,
  });
}
