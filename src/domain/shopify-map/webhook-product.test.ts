import { describe, expect, it } from 'vitest';
import { mapProduct, productFromWebhook, type ProductFromShopify } from './index.ts';

const variantPayload = (n: number, over: Record<string, unknown> = {}) => ({
  id: 1000 + n,
  admin_graphql_api_id: `gid://shopify/ProductVariant/${1000 + n}`,
  product_id: 1,
  title: `S${n} / Red`,
  price: '19.90',
  compare_at_price: null,
  sku: `TEE-${n}`,
  barcode: null,
  position: n,
  option1: `S${n}`,
  option2: 'Red',
  option3: null,
  inventory_item_id: 5000 + n,
  inventory_quantity: 3,
  created_at: '2026-05-01T10:00:00-04:00',
  updated_at: '2026-05-02T05:15:03-04:00',
  ...over,
});

const payload = (over: Record<string, unknown> = {}) => ({
  id: 1,
  admin_graphql_api_id: 'gid://shopify/Product/1',
  title: 'Tee',
  handle: 'tee',
  body_html: '<p>Soft</p>',
  vendor: 'Acme',
  product_type: 'Shirts',
  status: 'active',
  tags: 'summer, sale,, ',
  created_at: '2026-05-01T10:00:00-04:00',
  updated_at: '2026-05-02T05:15:03-04:00',
  options: [
    { name: 'Size', position: 1, values: ['S1', 'S2'] },
    { name: 'Colour', position: 2, values: ['Red'] },
  ],
  variants: [variantPayload(2), variantPayload(1)],
  ...over,
});

function convert(body: unknown) {
  const r = productFromWebhook(body);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('productFromWebhook', () => {
  it('turns a full products/update payload into the GraphQL product and variant lines', () => {
    const w = convert(payload());
    expect(w).toMatchObject({ gid: 'gid://shopify/Product/1', complete: true, missing: [] });
    expect(w.updatedAt).toEqual(new Date('2026-05-02T09:15:03Z'));
    expect(w.value.product).toEqual({
      id: 'gid://shopify/Product/1',
      title: 'Tee',
      handle: 'tee',
      descriptionHtml: '<p>Soft</p>',
      vendor: 'Acme',
      productType: 'Shirts',
      status: 'ACTIVE',
      tags: ['summer', 'sale'],
      createdAt: '2026-05-01T14:00:00Z',
      updatedAt: '2026-05-02T09:15:03Z',
    });
    expect(w.value.variants[1]).toEqual({
      id: 'gid://shopify/ProductVariant/1001',
      sku: 'TEE-1',
      barcode: null,
      price: '19.90',
      compareAtPrice: null,
      position: 1,
      selectedOptions: [
        { name: 'Size', value: 'S1' },
        { name: 'Colour', value: 'Red' },
      ],
      inventoryItem: { id: 'gid://shopify/InventoryItem/5001' },
    });
  });

  it.each([
    ['variants left out (includeFields)', { variants: undefined }, ['variants']],
    [
      'the 100-variant cap reached',
      { variants: Array.from({ length: 100 }, (_, i) => variantPayload(i + 1)) },
      ['variants (100 sent; Shopify sends at most 100)'],
    ],
    [
      'variant_gids listing more variants than were sent',
      { variant_gids: [1, 2, 3].map((n) => ({ admin_graphql_api_id: `gid://shopify/ProductVariant/${n}` })) },
      ['variants (2 sent of the 3 in variant_gids)'],
    ],
    ['no tags field', { tags: undefined }, ['tags']],
    ['option values without option names', { options: [] }, ['options']],
    ['created_at null', { created_at: null }, ['created_at']],
    [
      'a variant without inventory_item_id',
      { variants: [variantPayload(1, { inventory_item_id: undefined })] },
      ['variants[].inventory_item_id'],
    ],
  ])('is incomplete with %s', (_, over, missing) => {
    const w = convert(payload(over));
    expect(w.complete).toBe(false);
    expect(w.missing).toEqual(missing);
  });

  it.each([
    ['a string', 'not json', 'the product payload is not an object'],
    ['an array', [payload()], 'the product payload is not an object'],
    ['null', null, 'the product payload is not an object'],
    ['no id', { ...payload(), id: undefined, admin_graphql_api_id: undefined }, 'the Product has no id'],
    [
      'a gid of another type',
      payload({ admin_graphql_api_id: 'gid://shopify/Order/1' }),
      'is not a gid://shopify/Product/<id>',
    ],
    ['a rounded id', { ...payload(), admin_graphql_api_id: undefined, id: 788032119674292900 }, 'past 2^53'],
    ['a bad timestamp', payload({ updated_at: 'yesterday' }), 'updated_at is not a timestamp'],
    [
      'a timestamp without offset',
      payload({ updated_at: '2026-05-02T05:15:03' }),
      'updated_at is not a timestamp',
    ],
    ['tags that are not text', payload({ tags: 7 }), 'tags is not tags'],
    [
      'a variant without id',
      payload({ variants: [variantPayload(1, { id: undefined, admin_graphql_api_id: undefined })] }),
      'the variant 1 has no id',
    ],
    ['a numeric price', payload({ variants: [variantPayload(1, { price: 19.9 })] }), 'price is not text'],
  ])('refuses %s', (_, body, reason) => {
    const r = productFromWebhook(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('builds gids from ids when admin_graphql_api_id is absent, and keeps option order by position', () => {
    const w = convert({
      ...payload({
        options: [
          { name: 'Colour', position: 2 },
          { name: 'Size', position: 1 },
        ],
        variants: [{ ...variantPayload(1), admin_graphql_api_id: undefined }],
      }),
      admin_graphql_api_id: undefined,
    });
    expect(w.gid).toBe('gid://shopify/Product/1');
    expect(w.value.variants[0]?.id).toBe('gid://shopify/ProductVariant/1001');
    expect(w.value.variants[0]?.selectedOptions).toEqual([
      { name: 'Size', value: 'S1' },
      { name: 'Colour', value: 'Red' },
    ]);
  });
});

describe('a products/update payload built from a known product', () => {
  const known: ProductFromShopify = {
    gid: 'gid://shopify/Product/42',
    title: 'Linen Shirt',
    handle: 'linen-shirt',
    descriptionHtml: '<p>Cool</p>',
    vendor: 'Acme',
    productType: 'Shirts',
    status: 'draft',
    tags: ['linen', 'summer'],
    createdAt: new Date('2026-04-30T22:00:00Z'),
    updatedAt: new Date('2026-05-02T09:15:03Z'),
    variants: [
      {
        gid: 'gid://shopify/ProductVariant/420',
        inventoryItemGid: 'gid://shopify/InventoryItem/4200',
        sku: 'LIN-S',
        barcode: '0123',
        price: '49.00',
        compareAtPrice: '59.00',
        optionValues: [{ name: 'Size', value: 'S' }],
        position: 1,
      },
      {
        gid: 'gid://shopify/ProductVariant/421',
        inventoryItemGid: null,
        sku: null,
        barcode: null,
        price: '49.00',
        compareAtPrice: null,
        optionValues: [{ name: 'Size', value: 'M' }],
        position: 2,
      },
    ],
  };
  const body = {
    id: 42,
    title: known.title,
    handle: known.handle,
    body_html: known.descriptionHtml,
    vendor: known.vendor,
    product_type: known.productType,
    status: 'draft',
    tags: 'summer, linen',
    created_at: '2026-05-01T00:00:00+02:00',
    updated_at: '2026-05-02T05:15:03-04:00',
    options: [{ name: 'Size', position: 1, values: ['S', 'M'] }],
    variants: [
      {
        id: 421,
        position: 2,
        price: '49.00',
        compare_at_price: null,
        sku: null,
        barcode: null,
        option1: 'M',
        option2: null,
        option3: null,
        inventory_item_id: null,
      },
      {
        id: 420,
        position: 1,
        price: '49.00',
        compare_at_price: '59.00',
        sku: 'LIN-S',
        barcode: '0123',
        option1: 'S',
        option2: null,
        option3: null,
        inventory_item_id: 4200,
      },
    ],
  };

  it('maps through mapProduct to the same ProductFromShopify, field by field', () => {
    const w = convert(body);
    expect(w.complete).toBe(true);
    const r = mapProduct(w.value.product, w.value.variants);
    if (!r.ok) throw new Error(r.reason);
    for (const key of Object.keys(known) as (keyof ProductFromShopify)[]) {
      expect(r.value[key], key).toEqual(known[key]);
    }
    expect(r.value).toEqual(known);
  });
});
