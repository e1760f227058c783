import { nowSeconds } from './clock.ts';
import { gid, nextId } from './ids.ts';
import {
  slugify,
  type OptionInput,
  type ProductInput,
  type ProductPatch,
  type ProductSetInput,
  type VariantInput,
} from './product-inputs.ts';
import { dropMetafields } from './metafields.ts';
import { emitChange, StoreError, type Store } from './store.ts';
import type { ProductOption, ProductRecord, ShopData } from './types.ts';
import { addVariant, getVariant, patchVariant, removeVariant } from './variants.ts';

export function getProduct(shop: ShopData, productId: number): ProductRecord {
  const product = shop.products.get(productId);
  if (!product) throw new StoreError('NOT_FOUND', `product ${productId} not found`);
  return product;
}

/** A handle not used by another product: `tee`, `tee-1`, `tee-2`… */
export function uniqueHandle(shop: ShopData, wanted: string, ownId?: number): string {
  const base = slugify(wanted);
  let candidate = base;
  for (let n = 1; ; n++) {
    const owner = shop.handles.get(candidate);
    if (owner === undefined || owner === ownId) return candidate;
    candidate = `${base}-${n}`;
  }
}

function buildOptions(shop: ShopData, options: OptionInput[] | undefined): ProductOption[] {
  const list = options && options.length > 0 ? options : [{ name: 'Title', values: ['Default Title'] }];
  return list.map((o, i) => ({
    id: nextId(shop, 'ProductOption'),
    name: o.name,
    position: i + 1,
    values: [...o.values],
  }));
}

/** Creates a product with its variants (default: one "Default Title" variant). */
export function createProduct(
  store: Store,
  shop: ShopData,
  input: ProductInput,
  appKey?: string,
): ProductRecord {
  const at = nowSeconds(store.clock);
  const status = input.status ?? 'ACTIVE';
  const product: ProductRecord = {
    id: nextId(shop, 'Product'),
    title: input.title,
    handle: '',
    descriptionHtml: input.descriptionHtml ?? '',
    vendor: input.vendor ?? shop.name,
    productType: input.productType ?? '',
    status,
    tags: normalizeTags(input.tags ?? []),
    options: buildOptions(shop, input.options),
    variantIds: [],
    createdAt: at,
    updatedAt: at,
    publishedAt: status === 'ACTIVE' ? at : null,
  };
  product.handle = uniqueHandle(shop, input.handle ?? input.title);
  shop.handles.set(product.handle, product.id);
  shop.products.set(product.id, product);
  for (const v of input.variants && input.variants.length > 0 ? input.variants : [{}])
    addVariant(store, shop, product, v);
  emitProduct(store, shop, product, 'create', appKey);
  return product;
}

/** Updates scalar fields (not variants). Bumps updatedAt; emits product/update. */
export function updateProduct(
  store: Store,
  shop: ShopData,
  productId: number,
  patch: ProductPatch,
  appKey?: string,
): ProductRecord {
  const product = getProduct(shop, productId);
  applyPatch(shop, product, patch);
  touchProduct(store, shop, product, appKey);
  return product;
}

function applyPatch(shop: ShopData, product: ProductRecord, patch: ProductPatch): void {
  if (patch.title !== undefined) product.title = patch.title;
  if (patch.descriptionHtml !== undefined) product.descriptionHtml = patch.descriptionHtml;
  if (patch.vendor !== undefined) product.vendor = patch.vendor;
  if (patch.productType !== undefined) product.productType = patch.productType;
  if (patch.status !== undefined) product.status = patch.status;
  if (patch.tags !== undefined) product.tags = normalizeTags(patch.tags);
  if (patch.handle !== undefined && patch.handle !== product.handle) {
    shop.handles.delete(product.handle);
    product.handle = uniqueHandle(shop, patch.handle, product.id);
    shop.handles.set(product.handle, product.id);
  }
}

/** Deletes a product, its variants and inventory items; records a deletion event. */
export function deleteProduct(store: Store, shop: ShopData, productId: number, appKey?: string): void {
  const product = getProduct(shop, productId);
  for (const id of [...product.variantIds]) removeVariant(store, shop, product, getVariant(shop, id));
  shop.products.delete(productId);
  shop.handles.delete(product.handle);
  dropMetafields(shop, 'PRODUCT', productId);
  const at = nowSeconds(store.clock);
  shop.deletionEvents.push({ subjectType: 'PRODUCT', subjectId: productId, occurredAt: at });
  product.updatedAt = at;
  emitProduct(store, shop, product, 'delete', appKey);
}

/** Adds variants to a product; emits product/update. */
export function createVariants(
  store: Store,
  shop: ShopData,
  productId: number,
  inputs: VariantInput[],
  appKey?: string,
) {
  const product = getProduct(shop, productId);
  const created = inputs.map((input) => addVariant(store, shop, product, input));
  touchProduct(store, shop, product, appKey);
  return created;
}

/** Patches variants of one product; emits product/update. */
export function updateVariants(
  store: Store,
  shop: ShopData,
  productId: number,
  inputs: (VariantInput & { id: number })[],
  appKey?: string,
) {
  const product = getProduct(shop, productId);
  const updated = inputs.map((input) => {
    const variant = getVariant(shop, input.id);
    if (variant.productId !== productId)
      throw new StoreError('INVALID', `variant ${input.id} is not on product ${productId}`);
    patchVariant(store, shop, variant, input);
    return variant;
  });
  touchProduct(store, shop, product, appKey);
  return updated;
}

export const LAST_VARIANT = 'Cannot delete the last variant of a product';

/** Deletes variants of one product, never its last one; emits product/update. */
export function deleteVariants(
  store: Store,
  shop: ShopData,
  productId: number,
  variantIds: number[],
  appKey?: string,
): void {
  const product = getProduct(shop, productId);
  const variants = variantIds.map((id) => {
    const variant = getVariant(shop, id);
    if (variant.productId !== productId)
      throw new StoreError('INVALID', `variant ${id} is not on product ${productId}`);
    return variant;
  });
  // Shopify keeps at least one variant on every product (CANNOT_DELETE_LAST_VARIANT), the admin's
  // deletion of a variant included: all or nothing, so a refused call deletes none.
  if (new Set(variantIds).size >= product.variantIds.length) throw new StoreError('INVALID', LAST_VARIANT);
  for (const variant of variants) removeVariant(store, shop, product, variant);
  touchProduct(store, shop, product, appKey);
}

/**
 * Upsert of a whole product (productSet): scalars omitted stay, `options`/`variants`
 * given replace the lists (variants with an id are updated, others created, missing deleted).
 */
export function setProduct(
  store: Store,
  shop: ShopData,
  input: ProductSetInput,
  appKey?: string,
): ProductRecord {
  if (input.id === undefined) {
    if (input.title === undefined) throw new StoreError('INVALID', 'title is required to create a product');
    return createProduct(store, shop, { ...input, title: input.title }, appKey);
  }
  const product = getProduct(shop, input.id);
  // An empty list would delete every variant: Shopify keeps at least one (checked before any change).
  if (input.variants?.length === 0) throw new StoreError('INVALID', LAST_VARIANT);
  applyPatch(shop, product, input);
  if (input.options !== undefined) product.options = buildOptions(shop, input.options);
  if (input.variants !== undefined) replaceVariants(store, shop, product, input.variants);
  touchProduct(store, shop, product, appKey);
  return product;
}

function replaceVariants(store: Store, shop: ShopData, product: ProductRecord, inputs: VariantInput[]): void {
  const keep = new Set(inputs.flatMap((v) => (v.id === undefined ? [] : [v.id])));
  for (const id of [...product.variantIds]) {
    if (!keep.has(id)) removeVariant(store, shop, product, getVariant(shop, id));
  }
  const order: number[] = [];
  for (const input of inputs) {
    if (input.id === undefined) {
      order.push(addVariant(store, shop, product, input).id);
      continue;
    }
    const variant = getVariant(shop, input.id);
    if (variant.productId !== product.id)
      throw new StoreError('INVALID', `variant ${input.id} is not on product ${product.id}`);
    patchVariant(store, shop, variant, input);
    order.push(variant.id);
  }
  product.variantIds = order;
  order.forEach((id, i) => {
    const v = shop.variants.get(id);
    if (v) v.position = i + 1;
  });
}

function touchProduct(store: Store, shop: ShopData, product: ProductRecord, appKey?: string): void {
  product.updatedAt = nowSeconds(store.clock);
  emitProduct(store, shop, product, 'update', appKey);
}

function emitProduct(
  store: Store,
  shop: ShopData,
  product: ProductRecord,
  action: 'create' | 'update' | 'delete',
  appKey?: string,
): void {
  emitChange(store, {
    shop: shop.domain,
    kind: 'product',
    action,
    id: gid('Product', product.id),
    at: product.updatedAt,
    productId: product.id,
    ...(appKey === undefined ? {} : { appKey }),
  });
}

/** Trims, drops empties and duplicates, sorts (Shopify returns tags sorted). */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))].sort((a, b) =>
    a.localeCompare(b),
  );
}
