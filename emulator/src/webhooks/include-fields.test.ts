import { describe, expect, it } from 'vitest';
import { pickFields, serializePayload } from './include-fields.ts';

describe('includeFields', () => {
  const payload = {
    id: 1,
    title: 'T',
    variants: [
      { id: 2, price: '1.00', sku: 'A' },
      { id: 3, price: '2.00', sku: 'B' },
    ],
    image: { src: 'x', alt: null },
  };

  it('keeps every field when the list is empty', () => {
    expect(pickFields(payload, [])).toBe(payload);
  });

  it('keeps top-level and dotted paths, inside every array element', () => {
    expect(pickFields(payload, ['id', 'variants.price', 'variants.id', 'image.src'])).toEqual({
      id: 1,
      variants: [
        { price: '1.00', id: 2 },
        { price: '2.00', id: 3 },
      ],
      image: { src: 'x' },
    });
  });

  it('ignores paths that do not exist', () => {
    expect(pickFields(payload, ['nope', 'title.deeper'])).toEqual({});
  });
});

describe('serializePayload', () => {
  it('escapes / and & like Shopify and stays valid JSON', () => {
    const text = serializePayload({ a: 'x/y & z' });
    expect(text).toBe('{"a":"x\\/y \\u0026 z"}');
    expect(JSON.parse(text)).toEqual({ a: 'x/y & z' });
  });
});
