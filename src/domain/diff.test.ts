import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldDiff } from './diff.ts';
import { CUSTOMER_MERGE_RULES, PRODUCT_MERGE_RULES } from './merge-rules.ts';
import { canonicalJson, productSnapshot, type Json, type ProductSyncFields } from './shopify-map/snapshot.ts';

type Variant = ProductSyncFields['variants'][number];
const variant = (sku: string | null, position: number, price = '10.00'): Variant => ({
  sku,
  barcode: null,
  price,
  compareAtPrice: null,
  optionValues: [],
  position,
});
const PRODUCT: ProductSyncFields = {
  title: 'Linen shirt',
  handle: 'linen-shirt',
  descriptionHtml: '',
  vendor: 'Acme',
  productType: 'Shirt',
  status: 'active',
  tags: ['linen'],
  variants: [variant('SKU-1', 1), variant('SKU-2', 2)],
};
const product = (patch: Partial<ProductSyncFields> = {}): Json => productSnapshot({ ...PRODUCT, ...patch });
const variantJson = (v: Variant): Json =>
  (productSnapshot({ ...PRODUCT, variants: [v] }) as { variants: Json[] }).variants[0]!;

describe('field diff', () => {
  it('reports top-level fields whole, sorted by path', () => {
    expect(
      fieldDiff(product(), product({ title: 'New', tags: ['linen', 'sale'] }), PRODUCT_MERGE_RULES),
    ).toEqual([
      { path: 'tags', before: ['linen'], after: ['linen', 'sale'] },
      { path: 'title', before: 'Linen shirt', after: 'New' },
    ]);
  });

  it('diffs keyed variants element by element: edited, added and removed', () => {
    const after = product({ variants: [variant('SKU-1', 1, '12.00'), variant('SKU-3', 3)] });
    expect(fieldDiff(product(), after, PRODUCT_MERGE_RULES)).toEqual([
      { path: 'variants[SKU-1].price', before: '10.00', after: '12.00' },
      { path: 'variants[SKU-2]', before: variantJson(variant('SKU-2', 2)), after: null },
      { path: 'variants[SKU-3]', before: null, after: variantJson(variant('SKU-3', 3)) },
    ]);
  });

  it('without rules, variants are one whole value', () => {
    const after = product({ variants: [variant('SKU-1', 1, '12.00'), variant('SKU-2', 2)] });
    expect(fieldDiff(product(), after).map((c) => c.path)).toEqual(['variants']);
  });

  it('a keyed list whose only change is the order of its elements is one whole-field change', () => {
    const before = { variants: [{ sku: 'A' }, { sku: 'B' }] };
    const after = { variants: [{ sku: 'B' }, { sku: 'A' }] };
    expect(fieldDiff(before, after, PRODUCT_MERGE_RULES)).toEqual([
      { path: 'variants', before: before.variants, after: after.variants },
    ]);
  });

  it('a creation gives one change per non-null field, a deletion likewise', () => {
    const created = { email: 'a@example.com', phone: null, tags: ['vip'] };
    expect(fieldDiff(null, created, CUSTOMER_MERGE_RULES)).toEqual([
      { path: 'email', before: null, after: 'a@example.com' },
      { path: 'tags', before: null, after: ['vip'] },
    ]);
    expect(fieldDiff(created, null, CUSTOMER_MERGE_RULES)).toEqual([
      { path: 'email', before: 'a@example.com', after: null },
      { path: 'tags', before: ['vip'], after: null },
    ]);
    expect(fieldDiff(null, null)).toEqual([]);
  });

  it('key order never matters and a missing key counts as null', () => {
    expect(fieldDiff({ a: 1, b: { x: 1, y: 2 } }, { b: { y: 2, x: 1 }, a: 1, c: null })).toEqual([]);
    expect(fieldDiff({ a: 1 }, { b: 2 })).toEqual([
      { path: 'a', before: 1, after: null },
      { path: 'b', before: null, after: 2 },
    ]);
  });

  it('values that are not objects compare whole', () => {
    expect(fieldDiff(1, 2)).toEqual([{ path: '', before: 1, after: 2 }]);
    expect(fieldDiff([1], [1])).toEqual([]);
  });
});

// Records over a fixed set of keys (every key present, as in snapshots), so "no change" and
// "equal canonical JSON" mean the same thing.
const jsonArb = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
const variantArb = fc.record({
  sku: fc.option(fc.constantFrom('A', 'B', 'C'), { nil: null }),
  barcode: fc.option(fc.constantFrom('1', '2'), { nil: null }),
  price: fc.constantFrom('1.00', '2.00'),
  compareAtPrice: fc.option(fc.constantFrom('3.00'), { nil: null }),
  optionValues: fc.constant<Json[]>([]),
  position: fc.integer({ min: 1, max: 4 }),
});
const productArb = fc.record({
  title: fc.constantFrom('a', 'b'),
  tags: fc.uniqueArray(fc.constantFrom('x', 'y', 'z')).map((t) => t.sort()),
  variants: fc.array(variantArb, { maxLength: 4 }),
  extra: jsonArb,
}) as fc.Arbitrary<Json>;

describe('field diff properties', () => {
  it('a snapshot diffed with itself has no changes', () => {
    fc.assert(
      fc.property(productArb, (a) => {
        expect(fieldDiff(a, a, PRODUCT_MERGE_RULES)).toEqual([]);
      }),
    );
  });

  it('the diff is empty exactly when the canonical JSON is equal', () => {
    fc.assert(
      fc.property(productArb, productArb, (a, b) => {
        const empty = fieldDiff(a, b, PRODUCT_MERGE_RULES).length === 0;
        expect(empty).toBe(canonicalJson(a) === canonicalJson(b));
        expect(fieldDiff(a, b).length === 0).toBe(empty);
      }),
    );
  });

  it('is sorted by path and reversing it swaps before and after', () => {
    fc.assert(
      fc.property(productArb, productArb, (a, b) => {
        const forward = fieldDiff(a, b, PRODUCT_MERGE_RULES);
        const paths = forward.map((c) => c.path);
        expect(paths).toEqual([...paths].sort());
        const back = fieldDiff(b, a, PRODUCT_MERGE_RULES).map((c) => ({
          path: c.path,
          before: c.after,
          after: c.before,
        }));
        expect(back).toEqual(forward);
      }),
    );
  });
});
