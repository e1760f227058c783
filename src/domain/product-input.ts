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
  /**
   * On create, the variants. On update, the complete list: a variant with an `id` is that variant
   * (fields left out keep their current value), one without is new, and every current variant must be
   * listed or named in `removeVariantIds`.
   */
  variants?: VariantInput[] | undefined;
  /** On update, the variants to delete; each must belong to the product and not be listed in `variants`. */
  removeVariantIds?: string[] | undefined;
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

function variantDraft(v: VariantInput, index: number, current?: Variant): VariantDraft {
  return {
    ...(v.id ? { id: v.id } : {}),
    sku: v.sku === undefined && current ? current.sku : blankToNull(v.sku),
    barcode: v.barcode === undefined && current ? current.barcode : blankToNull(v.barcode),
    price: normaliseMoney(v.price),
    compareAtPrice:
      v.compareAtPrice === undefined && current
        ? current.compareAtPrice
        : v.compareAtPrice
          ? normaliseMoney(v.compareAtPrice)
          : null,
    optionValues: v.optionValues ?? current?.optionValues ?? [],
    position: index + 1,
  };
}

/** The input's variants, each listed one with an id merged onto the current variant of that id. */
function mergedVariants(inputs: readonly VariantInput[], current?: Product): VariantDraft[] {
  const byId = new Map(current?.variants.map((v) => [v.id, v]) ?? []);
  return inputs.map((v, i) => variantDraft(v, i, v.id ? byId.get(v.id) : undefined));
}

/**
 * Applies an input (create: onto nothing; update: onto the current product) and returns the full
 * normalised draft. A product always has at least one variant, as on Shopify.
 */
export function draftProduct(input: ProductInput, current?: Product): ProductDraft {
  const title = (input.title ?? current?.title ?? '').trim();
  const removed = new Set(input.removeVariantIds ?? []);
  const variants = input.variants
    ? mergedVariants(input.variants, current)
    : current
      ? current.variants.filter((v) => !removed.has(v.id)).map((v, i) => ({ ...v, position: i + 1 }))
      : [variantDraft({ price: '0.00' }, 0)];
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

/**
 * The current variants an update's variant list leaves out without naming them in `removeVariantIds`
 * (a partial list is refused rather than read as "delete the rest"), and the ids it asks to remove that
 * are not the product's or that it also lists.
 */
export function variantListProblems(
  input: ProductInput,
  current: Product,
): { missing: string[]; badRemovals: string[] } {
  const listed = new Set(input.variants?.flatMap((v) => (v.id ? [v.id] : [])) ?? []);
  const removed = new Set(input.removeVariantIds ?? []);
  const known = new Set(current.variants.map((v) => v.id));
  return {
    missing: input.variants ? [...known].filter((id) => !listed.has(id) && !removed.has(id)) : [],
    badRemovals: [...removed].filter((id) => !known.has(id) || listed.has(id)),
  };
}

/** A variant's option combination as Shopify shows it: values joined by " / ", "Default Title" when none. */
export function optionTitle(values: readonly OptionValue[]): string {
  return values.length === 0 ? 'Default Title' : values.map((o) => o.value).join(' / ');
}

/**
 * Option combinations held by more than one variant (as Shopify, which refuses a variant that
 * "already exists"). Names compare case-insensitively, values exactly after trimming.
 */
export function duplicateOptions(variants: readonly VariantDraft[]): string[] {
  const seen = new Set<string>();
  const dup = new Map<string, string>();
  for (const v of variants) {
    const key = JSON.stringify(
      v.optionValues.map((o) => [o.name.trim().toLowerCase(), o.value.trim()]).sort(),
    );
    if (seen.has(key)) dup.set(key, optionTitle(v.optionValues));
    seen.add(key);
  }
  return [...dup.values()];
}
