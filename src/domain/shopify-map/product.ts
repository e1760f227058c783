import type { OptionValue, ProductStatus } from '../entities.ts';
import { PRODUCT_STATUSES } from '../entities.ts';
import { handleFromTitle, normaliseTags } from '../text.ts';
import {
  attempt,
  blankToNull,
  MappingError,
  parseMoney,
  parseTime,
  requireGid,
  shopifyTime,
} from './common.ts';
import type { Mapped, ShopifyProduct, ShopifyVariant } from './shapes.ts';
import type { ProductSyncFields } from './snapshot.ts';

export interface VariantFromShopify {
  gid: string;
  inventoryItemGid: string | null;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  optionValues: OptionValue[];
  position: number;
}

/** A Shopify product as Retailos fields, still keyed by GIDs (the import resolves local ids). */
export interface ProductFromShopify extends ProductSyncFields {
  gid: string;
  tags: string[];
  variants: VariantFromShopify[];
  createdAt: Date;
  updatedAt: Date;
}

function status(value: string): ProductStatus {
  const s = value.toLowerCase() as ProductStatus;
  if (!PRODUCT_STATUSES.includes(s))
    throw new MappingError(`unknown product status ${JSON.stringify(value)}`);
  return s;
}

function variant(v: ShopifyVariant, index: number): VariantFromShopify {
  const gid = requireGid(v.id, 'ProductVariant');
  const compareAt = blankToNull(v.compareAtPrice);
  return {
    gid,
    inventoryItemGid: v.inventoryItem ? requireGid(v.inventoryItem.id, 'InventoryItem') : null,
    sku: blankToNull(v.sku),
    barcode: blankToNull(v.barcode),
    price: parseMoney(v.price, `variant ${gid} price`),
    compareAtPrice: compareAt === null ? null : parseMoney(compareAt, `variant ${gid} compareAtPrice`),
    optionValues: (v.selectedOptions ?? []).map((o) => ({ name: o.name, value: o.value })),
    position: Number.isInteger(v.position) && v.position > 0 ? v.position : index + 1,
  };
}

function duplicateSku(variants: readonly VariantFromShopify[]): string | undefined {
  const seen = new Set<string>();
  for (const v of variants) {
    if (v.sku === null) continue;
    if (seen.has(v.sku)) return v.sku;
    seen.add(v.sku);
  }
  return undefined;
}

/** A product line and its variant lines → Retailos fields, or why not. */
export function mapProduct(
  p: ShopifyProduct,
  variants: readonly ShopifyVariant[],
): Mapped<ProductFromShopify> {
  return attempt(() => {
    const gid = requireGid(p.id, 'Product');
    const title = (p.title ?? '').trim();
    if (!title) throw new MappingError('the product has no title');
    const mappedVariants = variants.map(variant).sort((a, b) => a.position - b.position);
    if (mappedVariants.length === 0) throw new MappingError('the product has no variants');
    const dup = duplicateSku(mappedVariants);
    if (dup !== undefined) throw new MappingError(`two variants share the SKU ${JSON.stringify(dup)}`);
    return {
      gid,
      title,
      handle: (p.handle ?? '').trim() || handleFromTitle(title),
      descriptionHtml: p.descriptionHtml ?? '',
      vendor: (p.vendor ?? '').trim(),
      productType: (p.productType ?? '').trim(),
      status: status(p.status),
      tags: normaliseTags(p.tags ?? []),
      variants: mappedVariants,
      createdAt: parseTime(p.createdAt, 'createdAt'),
      updatedAt: parseTime(p.updatedAt, 'updatedAt'),
    };
  });
}

/** The inverse, for tests and pushes: Retailos fields as Shopify-shaped lines. */
export function productToShopify(p: ProductFromShopify): {
  product: ShopifyProduct;
  variants: ShopifyVariant[];
} {
  return {
    product: {
      id: p.gid,
      title: p.title,
      handle: p.handle,
      descriptionHtml: p.descriptionHtml,
      vendor: p.vendor,
      productType: p.productType,
      status: p.status.toUpperCase(),
      tags: [...p.tags],
      createdAt: shopifyTime(p.createdAt),
      updatedAt: shopifyTime(p.updatedAt),
    },
    variants: p.variants.map((v) => ({
      id: v.gid,
      sku: v.sku ?? '',
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      position: v.position,
      selectedOptions: v.optionValues.map((o) => ({ ...o })),
      inventoryItem: v.inventoryItemGid === null ? null : { id: v.inventoryItemGid },
    })),
  };
}
