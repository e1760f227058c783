import { describe, expect, it } from 'vitest';
import { productEditKeys } from './product-edit-keys.ts';

const variant = (id: string, sku: string, price: string, position: number) => ({
  id,
  sku,
  barcode: null,
  price,
  compareAtPrice: null,
  optionValues: [],
  position,
});
const product = (title: string, variants: ReturnType<typeof variant>[]) => ({
  title,
  handle: 'tee',
  descriptionHtml: '',
  vendor: '',
  productType: '',
  status: 'active' as const,
  tags: [],
  variants,
});

describe('productEditKeys', () => {
  it('names each variant a write changed by its id, with the fields it changed', () => {
    const before = product('Tee', [variant('a', 'A', '1.00', 1), variant('b', 'B', '2.00', 2)]);
    const after = product('Tee', [variant('a', 'A', '1.50', 1), variant('b', 'B', '2.00', 2)]);
    expect(productEditKeys(before, after)).toEqual(['variants', 'variants[a]', 'variants[a].price']);
    expect(productEditKeys(before, { ...before, title: 'Shirt' })).toEqual(['title']);
  });

  it('names a variant added or removed by its id alone', () => {
    const before = product('Tee', [variant('a', 'A', '1.00', 1), variant('b', 'B', '2.00', 2)]);
    const after = product('Tee', [variant('a', 'A2', '1.00', 1), variant('c', 'C', '3.00', 2)]);
    expect(productEditKeys(before, after)).toEqual([
      'variants',
      'variants[a]',
      'variants[a].sku',
      'variants[b]',
      'variants[c]',
    ]);
    expect(productEditKeys(null, before)).toEqual([
      'title',
      'handle',
      'descriptionHtml',
      'vendor',
      'productType',
      'status',
      'tags',
      'variants',
      'variants[a]',
      'variants[b]',
    ]);
  });
});
