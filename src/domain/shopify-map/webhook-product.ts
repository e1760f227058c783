import { attempt } from './common.ts';
import type { Mapped, ShopifyProduct, ShopifyVariant } from './shapes.ts';
import {
  asPayload,
  fromWebhook,
  Reader,
  refGid,
  resourceGid,
  type FromWebhook,
  type Payload,
} from './webhook-payload.ts';

/** Shopify sends the first 100 variants in full; past that, only `variant_gids`. */
export const WEBHOOK_VARIANT_CAP = 100;

/** The option names by position (1..3): `options[].position` when given, else list order. */
function optionNames(options: readonly Payload[] | null): Map<number, string> {
  const names = new Map<number, string>();
  (options ?? []).forEach((o, i) => {
    const position = typeof o['position'] === 'number' ? o['position'] : i + 1;
    if (typeof o['name'] === 'string') names.set(position, o['name']);
  });
  return names;
}

function variant(v: Payload, index: number, names: Map<number, string>, missing: string[]): ShopifyVariant {
  const gid = resourceGid(v, 'ProductVariant', `variant ${index + 1}`);
  const r = new Reader(v, `variant ${gid}`);
  const selectedOptions: ShopifyVariant['selectedOptions'] = [];
  for (const n of [1, 2, 3]) {
    const value = r.p[`option${n}`];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw r.bad(`option${n}`, value, 'text');
    const name = names.get(n);
    if (name === undefined) missing.push('options');
    else selectedOptions.push({ name, value });
  }
  const position = r.raw('position');
  const inventoryItemGid = refGid(v, 'inventory_item_id', 'InventoryItem');
  const out: ShopifyVariant = {
    id: gid,
    sku: r.text('sku'),
    barcode: r.text('barcode'),
    price: r.text('price') ?? '',
    compareAtPrice: r.text('compare_at_price'),
    position: typeof position === 'number' ? position : index + 1,
    selectedOptions,
    inventoryItem: inventoryItemGid === null ? null : { id: inventoryItemGid },
  };
  if (v['inventory_item_id'] === undefined) r.missing.push('inventory_item_id');
  missing.push(...r.missing.map((k) => `variants[].${k}`));
  return out;
}

/** Why the variant list is not the product's whole list, if it is not. */
function variantGaps(p: Payload, variants: readonly Payload[] | null): string[] {
  if (variants === null) return []; // already noted as absent
  const gaps: string[] = [];
  if (variants.length >= WEBHOOK_VARIANT_CAP) {
    gaps.push(`variants (${variants.length} sent; Shopify sends at most ${WEBHOOK_VARIANT_CAP})`);
  }
  const all = p['variant_gids'];
  if (Array.isArray(all) && all.length > variants.length) {
    gaps.push(`variants (${variants.length} sent of the ${all.length} in variant_gids)`);
  }
  return gaps;
}

/** products/create and products/update → the GraphQL product and variant lines `mapProduct` reads. */
export function productFromWebhook(
  body: unknown,
): Mapped<FromWebhook<{ product: ShopifyProduct; variants: ShopifyVariant[] }>> {
  return attempt(() => {
    const p = asPayload(body, 'product');
    const gid = resourceGid(p, 'Product');
    const r = new Reader(p, `product ${gid}`);
    const status = r.text('status');
    const createdAt = r.requiredTime('created_at');
    const updatedAt = r.requiredTime('updated_at');
    const product: ShopifyProduct = {
      id: gid,
      title: r.text('title') ?? '',
      handle: r.text('handle') ?? '',
      descriptionHtml: r.text('body_html'),
      vendor: r.text('vendor'),
      productType: r.text('product_type'),
      status: (status ?? '').toUpperCase(),
      tags: r.tags(),
      createdAt: createdAt.iso,
      updatedAt: updatedAt.iso,
    };
    const rawVariants = r.list('variants');
    const names = optionNames(rawVariants === null ? [] : r.list('options'));
    const missing = [...r.missing, ...variantGaps(p, rawVariants)];
    const variants = (rawVariants ?? []).map((v, i) => variant(v, i, names, missing));
    return fromWebhook(gid, updatedAt.date, missing, { product, variants });
  });
}
