import { gid, restId, type ProductRecord, type ShopData, type VariantRecord } from '../../store/index.ts';
import { lower, restTags, restTime, restTimeOf } from './rest.ts';

export function productPayload(shop: ShopData, product: ProductRecord): Record<string, unknown> {
  const variants = product.variantIds
    .map((id) => shop.variants.get(id))
    .filter((v): v is VariantRecord => v !== undefined);
  return {
    admin_graphql_api_id: gid('Product', product.id),
    body_html: product.descriptionHtml,
    category: null,
    created_at: restTime(product.createdAt),
    handle: product.handle,
    has_variants_that_requires_components: false,
    id: restId(product.id),
    image: null,
    images: [],
    media: [],
    options: product.options.map((o) => ({
      id: restId(o.id),
      product_id: restId(product.id),
      name: o.name,
      position: o.position,
      values: o.values,
    })),
    product_type: product.productType,
    published_at: restTime(product.publishedAt),
    published_scope: 'global',
    status: lower(product.status),
    tags: restTags(product.tags),
    template_suffix: null,
    title: product.title,
    updated_at: restTime(product.updatedAt),
    variant_gids: variants.map((v) => ({
      admin_graphql_api_id: gid('ProductVariant', v.id),
      updated_at: restTimeOf(v.updatedAt),
    })),
    variants: variants.map((v) => variantPayload(shop, v)),
    vendor: product.vendor,
  };
}

function variantPayload(shop: ShopData, v: VariantRecord): Record<string, unknown> {
  const item = shop.inventoryItems.get(v.inventoryItemId);
  let quantity = 0;
  for (const level of item?.levels.values() ?? []) quantity += level.quantities.available;
  const option = (i: number): string | null => v.selectedOptions[i]?.value ?? null;
  return {
    admin_graphql_api_id: gid('ProductVariant', v.id),
    barcode: v.barcode,
    compare_at_price: v.compareAtPrice,
    created_at: restTime(v.createdAt),
    fulfillment_service: 'manual',
    grams: 0,
    id: restId(v.id),
    image_id: null,
    inventory_item_id: restId(v.inventoryItemId),
    inventory_management: item?.tracked === false ? null : 'shopify',
    inventory_policy: v.inventoryPolicy.toLowerCase(),
    inventory_quantity: quantity,
    old_inventory_quantity: quantity,
    option1: option(0),
    option2: option(1),
    option3: option(2),
    position: v.position,
    price: v.price,
    product_id: restId(v.productId),
    requires_shipping: true,
    sku: v.sku,
    taxable: v.taxable,
    title: v.title,
    updated_at: restTime(v.updatedAt),
    weight: 0,
    weight_unit: 'kg',
  };
}

export function productDeletePayload(productId: number): Record<string, unknown> {
  return { id: restId(productId) };
}
