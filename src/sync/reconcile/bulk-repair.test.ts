import { describe, expect, it } from 'vitest';
import { productSetDelta } from '../entities/product.ts';
import { setsTags } from './bulk-repair.ts';

const was = { title: 'Shirt', handle: 'shirt', tags: ['cotton'], productOptions: [], variants: [] };

describe('setsTags: which bulk lines would replace Shopify tags', () => {
  it("a product line (productSet's delta) names tags only when its tags change", () => {
    const line = (next: Record<string, unknown>) => ({
      identifier: { id: 'gid://shopify/Product/1' },
      input: productSetDelta(next, was),
    });
    expect(setsTags(line({ ...was, title: 'Tee' }))).toBe(false);
    expect(setsTags(line({ ...was, tags: ['cotton', 'sale'] }))).toBe(true);
    expect(setsTags(line({ ...was, tags: [] }))).toBe(true);
  });

  it('customer and order lines: an input naming tags, even an empty list, is one', () => {
    expect(setsTags({ identifier: { id: 'gid://shopify/Customer/1' }, input: { note: 'x' } })).toBe(false);
    expect(setsTags({ identifier: { id: 'gid://shopify/Customer/1' }, input: { tags: [] } })).toBe(true);
    expect(setsTags({ input: { id: 'gid://shopify/Order/1', note: 'x' }, after: null })).toBe(false);
    expect(setsTags({ input: { id: 'gid://shopify/Order/1', tags: ['gift'] }, after: null })).toBe(true);
  });
});
