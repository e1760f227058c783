import type { OptionValue, Product, ProductStatus, Variant } from './entities.ts';
import { normaliseMoney } from './money.ts';
import { handleFromTitle, normaliseTags } from './text.ts';

export interface VariantInput {
  id?: string | undefined;
  sku?: string | null | undefined;
  barcode?: string | null | undefined;
  price: string;
  compareAtPrice?: string | null | undefined;
  optionValues?: OptionValue[] | undefined;
}

export interface ProductInput {
  title?: string | undefined;
  handle?: string | undefined;
  descriptionHtml?: string | undefined;
  vendor?: string | undefined;
  productType?: string | undefined;
  status?: ProductStatus | undefined;
  tags?: string[] | undefined;
  variants?: VariantInput[] | undefined;
}

export type VariantDraft = Omit<Variant, 'id'> & { id?: string | undefined };

export interface ProductDraft {
  title: string;
  handle: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  variants: VariantDraft[];
}

const blankToNull = (s: string | null | undefined): string | null =>
  s === undefined || s === null || s.trim() === '' ? null : s.trim();

function variantDraft(v: VariantInput, index: number): VariantDraft {
  return {
    ...(v.id ? { id: v.id } : {}),
    sku: blankToNull(v.sku),
    barcode: blankToNull(v.barcode),
    price: normaliseMoney(v.price),
    compareAtPrice: v.compareAtPrice ? normaliseMoney(v.compareAtPrice) : null,
    optionValues: v.optionValues ?? [],
    position: index + 1,
  };
}

/**
 * Applies an input (create: onto nothing; update: onto the current product) and returns the full
 * normalised draft. A product always has at least one variant, as on Shopify.
 */
export function draftProduct(input: ProductInput, current?: Product): ProductDraft {
  const title = (input.title ?? current?.title ?? '').trim();
  const variants = input.variants
    ? input.variants.map(variantDraft)
    : (current?.variants ?? [{ price: '0.00' }].map((v, i) => variantDraft(v, i)));
  return {
    title,
    handle: input.handle?.trim() || current?.handle || handleFromTitle(title),
    descriptionHtml: input.descriptionHtml ?? current?.descriptionHtml ?? '',
    vendor: (input.vendor ?? current?.vendor ?? '').trim(),
    productType: (input.productType ?? current?.productType ?? '').trim(),
    status: input.status ?? current?.status ?? 'active',
    tags: normaliseTags(input.tags ?? current?.tags ?? []),
    variants: variants.length > 0 ? variants : [variantDraft({ price: '0.00' }, 0)],
  };
}

/** SKUs that appear twice within one product's variants. */
export function duplicateSkus(variants: readonly VariantDraft[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of variants) {
    if (v.sku === null) continue;
    if (seen.has(v.sku)) dup.add(v.sku);
    seen.add(v.sku);
  }
  return [...dup];
}
