import { describe, expect, it } from 'vitest';
import { productSetDelta } from './product.ts';

const options = [{ name: 'Size', values: [{ name: 'M' }, { name: 'L' }] }];
const variant = (id: string, size: string, price: string) => ({
  id,
  sku: `SKU-${size}`,
  barcode: null,
  price,
  compareAtPrice: null,
  position: size === 'M' ? 1 : 2,
  optionValues: [{ optionName: 'Size', name: size }],
});
const was = {
  title: 'Shirt',
  handle: 'shirt',
  vendor: 'Acme',
  tags: ['cotton'],
  productOptions: options,
  variants: [variant('V1', 'M', '10.00'), variant('V2', 'L', '12.00')],
};

describe('productSetDelta', () => {
  it('a title edit sends the title alone: no variants, no options (Shopify wants both or neither)', () => {
    expect(productSetDelta({ ...was, title: 'Tee' }, was)).toEqual({ title: 'Tee' });
  });

  it("a variant's price edit sends the options and every variant by id, only that one with its price", () => {
    const next = { ...was, variants: [variant('V1', 'M', '11.00'), variant('V2', 'L', '12.00')] };
    expect(productSetDelta(next, was)).toEqual({
      productOptions: options,
      variants: [
        { id: 'V1', price: '11.00', optionValues: [{ optionName: 'Size', name: 'M' }] },
        { id: 'V2', optionValues: [{ optionName: 'Size', name: 'L' }] },
      ],
    });
  });

  it('a new variant goes whole; a creation (nothing read) sends everything', () => {
    const extra = { sku: 'SKU-XL', price: '14.00', optionValues: [{ optionName: 'Size', name: 'XL' }] };
    const next = { ...was, variants: [...was.variants, extra] };
    const d = productSetDelta(next, was);
    expect((d['variants'] as unknown[]).at(-1)).toEqual(extra);
    expect(productSetDelta(next, undefined)).toBe(next);
  });
});
