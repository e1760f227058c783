import type { Queryable } from '../../db/db.ts';
import { upsertProductBatch, type ProductBatchRow } from '../../db/product-batch.ts';
import { linkIds, localIdsOf, unlinkLocal } from '../../db/shopify-id-map.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import {
  mapProduct,
  productSnapshot,
  type ProductFromShopify,
  type ShopifyProduct,
  type ShopifyVariant,
} from '../../domain/shopify-map/index.ts';
import {
  assignIds,
  plan,
  writeChanged,
  type BatchContext,
  type BatchOutcome,
  type Planned,
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
  await linkIds(
    tx,
    t,
    'product',
    [...productIds].map(([gid, localId]) => ({ gid, localId })),
    ctx.now,
  );
  await linkIds(
    tx,
    t,
    'variant',
    [...variantIds].map(([gid, localId]) => ({ gid, localId })),
    ctx.now,
  );
  const items2 = variants.flatMap((v) =>
    v.inventoryItemGid ? [{ gid: v.inventoryItemGid, localId: variantIds.get(v.gid) as string }] : [],
  );
  await linkIds(tx, t, 'inventory_item', items2, ctx.now);
  return productIds;
}

/** One batch of product groups (product line + variant lines). */
export async function writeProductBatch(
  tx: Queryable,
  ctx: BatchContext,
  groups: readonly RecordGroup[],
): Promise<BatchOutcome> {
  const parked: ParkedRecord[] = [];
  const planned: Planned<ProductFromShopify>[] = [];
  for (const g of groups) {
    const m = mapProduct(g.root as unknown as ShopifyProduct, g.children as unknown as ShopifyVariant[]);
    if (!m.ok) parked.push({ gid: String(g.root['id']), reason: m.reason, payload: g });
    else planned.push(plan(m.value.gid, m.value, productSnapshot(m.value), g));
  }
  parked.push(
    ...(await writeChanged(
      tx,
      ctx,
      'product',
      planned,
      (q, some) => upsertProducts(q, ctx, some),
      (p) => p.updatedAt,
    )),
  );
  return { done: groups.length - parked.length, parked };
}
