import { gid, type ProductRecord, type ShopData, type VariantRecord } from '../../store/index.ts';
import type { PageArgs } from '../connection.ts';
import type { ExecContext } from '../context.ts';
import { requestError } from '../errors.ts';
import {
  connectionView,
  countView,
  iso,
  legacyId,
  PAGE_ARGS,
  rejectUnknownArgs,
  type View,
} from './common.ts';
import { inventoryItemView } from './inventory.ts';

function variantsOf(shop: ShopData, product: ProductRecord): VariantRecord[] {
  return product.variantIds.flatMap((id) => shop.variants.get(id) ?? []);
}

/** Sum of `available` over the variant's levels (Shopify's inventoryQuantity). */
export function inventoryQuantity(shop: ShopData, variant: VariantRecord): number {
  const item = shop.inventoryItems.get(variant.inventoryItemId);
  let total = 0;
  if (item) for (const level of item.levels.values()) total += level.quantities.available;
  return total;
}

function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function productView(ctx: ExecContext, product: ProductRecord): View {
  const shop = ctx.shop;
  return {
    __typename: 'Product',
    id: gid('Product', product.id),
    legacyResourceId: legacyId(product.id),
    title: product.title,
    handle: product.handle,
    descriptionHtml: product.descriptionHtml,
    description: () => stripHtml(product.descriptionHtml),
    vendor: product.vendor,
    productType: product.productType,
    status: product.status,
    tags: product.tags,
    createdAt: iso(product.createdAt),
    updatedAt: iso(product.updatedAt),
    publishedAt: iso(product.publishedAt),
    hasOnlyDefaultVariant: product.variantIds.length === 1 && product.options[0]?.name === 'Title',
    totalInventory: () => variantsOf(shop, product).reduce((sum, v) => sum + inventoryQuantity(shop, v), 0),
    tracksInventory: () =>
      variantsOf(shop, product).some((v) => shop.inventoryItems.get(v.inventoryItemId)?.tracked === true),
    variantsCount: () => countView(product.variantIds.length),
    options: (args: { first?: number | null }) =>
      product.options.slice(0, args.first ?? undefined).map((o) => ({
        id: gid('ProductOption', o.id),
        name: o.name,
        position: o.position,
        values: o.values,
        optionValues: o.values.map((value, i) => ({
          id: gid('ProductOptionValue', o.id * 1000 + i),
          name: value,
          hasVariants: variantsOf(shop, product).some((v) =>
            v.selectedOptions.some((s) => s.name === o.name && s.value === value),
          ),
        })),
      })),
    variants: (args: PageArgs & { reverse?: boolean | null; sortKey?: string | null }) => {
      rejectUnknownArgs(args, [...PAGE_ARGS, 'sortKey'], 'Product.variants');
      if (args.sortKey && args.sortKey !== 'POSITION' && args.sortKey !== 'ID') {
        throw requestError(
          `Sort key ${args.sortKey} on Product.variants is not implemented in the Shopify emulator`,
          'NOT_IMPLEMENTED_IN_EMULATOR',
        );
      }
      const list = variantsOf(shop, product);
      const byId = args.sortKey === 'ID' ? [...list].sort((a, b) => a.id - b.id) : list;
      const key = args.sortKey === 'ID' ? (v: VariantRecord) => v.id : (v: VariantRecord) => v.position;
      const reverse = args.reverse === true;
      const items = reverse ? [...byId].reverse() : byId;
      return connectionView(ctx, { items, key, id: (v) => v.id, reverse }, args, (v) => variantView(ctx, v));
    },
  };
}

export function variantView(ctx: ExecContext, variant: VariantRecord): View {
  const shop = ctx.shop;
  return {
    __typename: 'ProductVariant',
    id: gid('ProductVariant', variant.id),
    legacyResourceId: legacyId(variant.id),
    title: variant.title,
    displayName: () => `${shop.products.get(variant.productId)?.title ?? ''} - ${variant.title}`,
    sku: variant.sku || null,
    barcode: variant.barcode,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    position: variant.position,
    selectedOptions: variant.selectedOptions,
    inventoryPolicy: variant.inventoryPolicy,
    taxable: variant.taxable,
    availableForSale: true,
    inventoryQuantity: () => inventoryQuantity(shop, variant),
    createdAt: iso(variant.createdAt),
    updatedAt: iso(variant.updatedAt),
    product: () => {
      const product = shop.products.get(variant.productId);
      return product ? productView(ctx, product) : null;
    },
    inventoryItem: () => {
      const item = shop.inventoryItems.get(variant.inventoryItemId);
      return item ? inventoryItemView(ctx, item) : null;
    },
  };
}
