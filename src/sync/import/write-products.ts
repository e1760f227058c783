import type { Queryable } from '../../db/db.ts';
import { upsertProductBatch, type ProductBatchRow } from '../../db/product-batch.ts';
import { linkIds, linkNewIds, localIdsOf, unlinkLocal } from '../../db/shopify-id-map.ts';
import {
  mapProduct,
  productSnapshot,
  type ProductFromShopify,
  type ShopifyProduct,
  type ShopifyVariant,
} from '../../domain/shopify-map/index.ts';
import {
  assignIds,
  freshLinks,
  type BatchContext,
  type Planned,
  prepareRecords,
  type PreparedBatch,
} from './batch.ts';
import type { RecordGroup } from './jsonl.ts';

export async function upsertProducts(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<ProductFromShopify>[],
): Promise<Map<string, string>> {
  const t = ctx.tenantId;
  const products = items.map((i) => i.mapped);
  const variants = products.flatMap((p) => p.variants);
  const knownProducts = await localIdsOf(
    tx,
    t,
    'product',
    products.map((p) => p.gid),
  );
  const knownVariants = await localIdsOf(
    tx,
    t,
    'variant',
    variants.map((v) => v.gid),
  );
  const productIds = assignIds(
    knownProducts,
    products.map((p) => p.gid),
    ctx.newId,
  );
  const variantIds = assignIds(
    knownVariants,
    variants.map((v) => v.gid),
    ctx.newId,
  );
  // Variants a known product no longer has on Shopify go; SKUs of kept ones are freed so they can move.
  const { rows: gone } = await tx.query<{ id: string }>(
    `delete from variants where tenant_id = $1 and product_id = any($2::uuid[]) and not (id = any($3::uuid[])) returning id`,
    [t, [...knownProducts.values()], [...variantIds.values()]],
  );
  await unlinkLocal(
    tx,
    t,
    'variant',
    gone.map((g) => g.id),
  );
  await unlinkLocal(
    tx,
    t,
    'inventory_item',
    gone.map((g) => g.id),
  );
  await tx.query('update variants set sku = null where tenant_id = $1 and id = any($2::uuid[])', [
    t,
    [...knownVariants.values()],
  ]);
  const rows: ProductBatchRow[] = products.map((p) => ({
    id: productIds.get(p.gid) as string,
    title: p.title,
    handle: p.handle,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    variants: p.variants.map((v) => ({
      id: variantIds.get(v.gid) as string,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      optionValues: v.optionValues,
      position: v.position,
    })),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  }));
  await upsertProductBatch(tx, t, 'shopify', rows);
  await linkNewIds(tx, t, 'product', freshLinks(productIds, knownProducts), ctx.now);
  await linkNewIds(tx, t, 'variant', freshLinks(variantIds, knownVariants), ctx.now);
  // A new variant's inventory item cannot be linked yet; a known one's usually is, and keeps its link.
  const itemLinks = (known: boolean) =>
    variants.flatMap((v) =>
      v.inventoryItemGid && knownVariants.has(v.gid) === known
        ? [{ gid: v.inventoryItemGid, localId: variantIds.get(v.gid) as string }]
        : [],
    );
  await linkNewIds(tx, t, 'inventory_item', itemLinks(false), ctx.now);
  await linkIds(tx, t, 'inventory_item', itemLinks(true), ctx.now);
  return productIds;
}

/** One batch of product groups (product line + variant lines). */
export function prepareProductBatch(groups: readonly RecordGroup[]): PreparedBatch {
  return prepareRecords(
    groups,
    'product',
    (g) => mapProduct(g.root as unknown as ShopifyProduct, g.children as unknown as ShopifyVariant[]),
    productSnapshot,
    upsertProducts,
    (p) => p.updatedAt,
  );
}
