import type { Product, Variant } from '../types.ts';
import type { FieldErrors } from './field-errors.ts';
import { tagsFromText, tagsToText } from './tags.ts';

/** A variant as the form edits it: text fields, one value per product option (same order as `options`). */
export interface VariantDraft {
  /** Stable React key; the variant's id once it exists. */
  key: string;
  id: string | null;
  price: string;
  compareAt: string;
  sku: string;
  barcode: string;
  values: string[];
}

export interface ProductDraft {
  title: string;
  status: string;
  vendor: string;
  productType: string;
  tags: string;
  /** Option names, e.g. ["Size", "Color"] (Shopify allows three). */
  options: string[];
  variants: VariantDraft[];
  /** Ids of saved variants the merchant removed. */
  removed: string[];
}

export const MAX_OPTIONS = 3;
let nextKey = 0;
export const newKey = (): string => `new-${++nextKey}`;

/** The product's option names, in the order its variants first use them. */
function optionNames(variants: readonly Variant[]): string[] {
  const names: string[] = [];
  for (const v of variants) for (const o of v.option_values) if (!names.includes(o.name)) names.push(o.name);
  return names;
}

function variantDraft(v: Variant, options: readonly string[]): VariantDraft {
  return {
    key: v.id,
    id: v.id,
    price: v.price,
    compareAt: v.compare_at_price ?? '',
    sku: v.sku ?? '',
    barcode: v.barcode ?? '',
    values: options.map((n) => v.option_values.find((o) => o.name === n)?.value ?? ''),
  };
}

export function draftOf(p: Product): ProductDraft {
  const options = optionNames(p.variants);
  return {
    title: p.title,
    status: p.status,
    vendor: p.vendor,
    productType: p.product_type,
    tags: tagsToText(p.tags),
    options,
    variants: p.variants.map((v) => variantDraft(v, options)),
    removed: [],
  };
}

export const emptyVariant = (options: readonly string[]): VariantDraft => ({
  key: newKey(),
  id: null,
  price: '0.00',
  compareAt: '',
  sku: '',
  barcode: '',
  values: options.map(() => ''),
});

export const NEW_PRODUCT: ProductDraft = {
  title: '',
  status: 'draft',
  vendor: '',
  productType: '',
  tags: '',
  options: [],
  variants: [emptyVariant([])],
  removed: [],
};

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

type VariantBody = Record<string, unknown> & { price: string };

function variantBody(d: ProductDraft, v: VariantDraft): VariantBody {
  return {
    ...(v.id ? { id: v.id } : {}),
    price: v.price.trim(),
    compare_at_price: orNull(v.compareAt),
    sku: orNull(v.sku),
    barcode: orNull(v.barcode),
    option_values: d.options.map((name, i) => ({ name: name.trim(), value: (v.values[i] ?? '').trim() })),
  };
}

/** Only what changed: a saved variant sends its id, its price (the API needs it) and the fields edited. */
function changedVariantBody(d: ProductDraft, v: VariantDraft, before: VariantBody | undefined): VariantBody {
  const full = variantBody(d, v);
  if (!before) return full;
  const out: VariantBody = { id: full['id'], price: full.price };
  for (const k of ['compare_at_price', 'sku', 'barcode', 'option_values'])
    if (JSON.stringify(full[k]) !== JSON.stringify(before[k])) out[k] = full[k];
  return out;
}

/** The POST body of a new product. */
export function createBody(d: ProductDraft): Record<string, unknown> {
  return {
    title: d.title.trim(),
    status: d.status,
    vendor: d.vendor.trim(),
    product_type: d.productType.trim(),
    tags: tagsFromText(d.tags),
    variants: d.variants.map((v) => variantBody(d, v)),
  };
}

/**
 * The PATCH body: the fields that differ from the product as loaded. The variant list, when anything
 * about variants changed, is complete (every kept variant by id, new ones without) and names the
 * removed ones, as the API requires; fields left out keep what another edit may have written meanwhile.
 */
export function updateBody(d: ProductDraft, loaded: Product): Record<string, unknown> {
  const was = draftOf(loaded);
  const now = createBody(d);
  const before = createBody(was);
  const body: Record<string, unknown> = {};
  for (const k of ['title', 'status', 'vendor', 'product_type', 'tags'])
    if (JSON.stringify(now[k]) !== JSON.stringify(before[k])) body[k] = now[k];
  if (JSON.stringify(now['variants']) !== JSON.stringify(before['variants']) || d.removed.length > 0) {
    const loadedById = new Map(was.variants.map((v) => [v.id, variantBody(was, v)]));
    body['variants'] = d.variants.map((v) =>
      changedVariantBody(d, v, v.id ? loadedById.get(v.id) : undefined),
    );
    if (d.removed.length > 0) body['remove_variant_ids'] = d.removed;
  }
  return body;
}

const variantName = (d: ProductDraft, i: number): string => {
  const values = (d.variants[i]?.values ?? []).filter((x) => x.trim());
  return values.length ? values.join(' / ') : `variant ${i + 1}`;
};

/**
 * What the form refuses before asking the API: an empty title, an option without a name or named
 * twice, and a variant missing a value for an option (a partial combination Shopify would refuse).
 */
export function checkDraft(d: ProductDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.title.trim()) errors['title'] = 'Enter a title.';
  d.options.forEach((name, j) => {
    const n = name.trim().toLowerCase();
    if (!n) errors[`options.${j}`] = 'Name this option, e.g. Size, or remove it.';
    else if (d.options.findIndex((o) => o.trim().toLowerCase() === n) !== j)
      errors[`options.${j}`] = `There is already an option named “${name.trim()}”.`;
  });
  d.variants.forEach((v, i) => {
    d.options.forEach((name, j) => {
      if (!(v.values[j] ?? '').trim())
        errors[`variants.${i}.option_values.${j}.value`] =
          `Every variant needs a ${name.trim() || 'value for this option'}: ${variantName(d, i)} has none.`;
    });
    if (!v.price.trim()) errors[`variants.${i}.price`] = 'Enter a price, e.g. 12.50.';
  });
  return errors;
}
