/**
 * Per-field cost overrides: the places where Shopify documents a number other than the
 * default rules (scalar/enum 0, object 1, connection 2 + size × children, mutation 10).
 *
 * Sources (shopify.dev changelog, paraphrased):
 * - productSet (2025-10): 10 + 0.2/variant + 0.6/variant file + 0.4/variant metafield
 *   + 0.4/product metafield + 1.9/product file. "1 variant, nothing else" is quoted as 10,
 *   so fractional totals are rounded to the nearest point.
 * - productCreate / productUpdate (2025-10): 10 + 0.4/product metafield + 1.9/media.
 * - metafieldsSet (2026-09): 10 + Σ distinct owners × owner-type weight
 *   (Order 10, Product 4, ProductVariant 2, Collection/Customer/Shop 1, others 0).
 *   The weight-2 row lost its type name in the stored page; ProductVariant is inferred.
 * - pageInfo costs nothing (observed: `productVariants(first:250){nodes{…} pageInfo{…}}` → 252).
 */

export type ArgumentValues = Readonly<Record<string, unknown>>;

/** Cost of one field: a fixed number or a function of its (coerced) arguments. */
export type FieldCostOverride = number | ((args: ArgumentValues) => number);

/** Keyed by `ParentType.field` (e.g. `Mutation.productSet`). */
export type CostOverrideTable = ReadonlyMap<string, FieldCostOverride>;

const MUTATION_BASE_COST = 10;

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function productSetCost(args: ArgumentValues): number {
  const input = record(args['input']);
  const variants = list(input['variants']).map(record);
  const variantFiles = variants.filter((v) => v['file'] != null).length;
  const variantMetafields = variants.reduce((n, v) => n + list(v['metafields']).length, 0);
  const raw =
    MUTATION_BASE_COST +
    variants.length * 0.2 +
    variantFiles * 0.6 +
    variantMetafields * 0.4 +
    list(input['metafields']).length * 0.4 +
    list(input['files']).length * 1.9;
  return Math.round(raw);
}

function productWriteCost(args: ArgumentValues): number {
  const product = record(args['product'] ?? args['input']);
  const raw =
    MUTATION_BASE_COST + list(product['metafields']).length * 0.4 + list(args['media']).length * 1.9;
  return Math.round(raw);
}

const OWNER_WEIGHTS: Readonly<Record<string, number>> = {
  Order: 10,
  Product: 4,
  ProductVariant: 2,
  Collection: 1,
  Customer: 1,
  CompanyLocation: 1,
  Shop: 1,
};

function ownerType(ownerId: unknown): string {
  const match = typeof ownerId === 'string' ? /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(ownerId) : null;
  return match?.[1] ?? '';
}

function metafieldsSetCost(args: ArgumentValues): number {
  const owners = new Set(list(args['metafields']).map((m) => String(record(m)['ownerId'])));
  let cost = MUTATION_BASE_COST;
  for (const owner of owners) cost += OWNER_WEIGHTS[ownerType(owner)] ?? 0;
  return cost;
}

export const DEFAULT_COST_OVERRIDES: CostOverrideTable = new Map<string, FieldCostOverride>([
  ['Mutation.productSet', productSetCost],
  ['Mutation.productCreate', productWriteCost],
  ['Mutation.productUpdate', productWriteCost],
  ['Mutation.metafieldsSet', metafieldsSetCost],
]);

export function resolveOverride(
  table: CostOverrideTable,
  parentType: string,
  field: string,
  args: ArgumentValues,
): number | undefined {
  const override = table.get(`${parentType}.${field}`);
  if (override === undefined) return undefined;
  return typeof override === 'number' ? override : override(args);
}
