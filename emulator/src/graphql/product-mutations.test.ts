import { describe, expect, it } from 'vitest';
import { gid, subscribe, type ChangeEvent } from '../store/index.ts';
import { addTee, dataOf, fixture } from './test-support.ts';

const VARIANT_FIELDS = 'id sku price compareAtPrice barcode selectedOptions { name value } inventoryQuantity';

describe('productCreate / productUpdate / productDelete', () => {
  it('creates a product with a default variant and a unique handle', async () => {
    const f = fixture();
    addTee(f, 'Café Tee');
    const data = dataOf(
      await f.run(`mutation { productCreate(product: {title: "Café Tee", vendor: "Acme", tags: ["b", "a"], status: DRAFT}) {
      product { title handle vendor status tags variants(first: 5) { nodes { title price } } } shop { myshopifyDomain } userErrors { field message } } }`),
    );
    expect(data['productCreate']).toEqual({
      product: {
        title: 'Café Tee',
        handle: 'cafe-tee-1',
        vendor: 'Acme',
        status: 'DRAFT',
        tags: ['a', 'b'],
        variants: { nodes: [{ title: 'Default Title', price: '0.00' }] },
      },
      shop: { myshopifyDomain: 'test-shop.myshopify.com' },
      userErrors: [],
    });
  });

  it('refuses a blank title', async () => {
    const data = dataOf(
      await fixture().run(
        'mutation { productCreate(product: {title: " "}) { product { id } userErrors { field message } } }',
      ),
    );
    expect(data['productCreate']).toEqual({
      product: null,
      userErrors: [{ field: ['title'], message: "Title can't be blank" }],
    });
  });

  it('names input fields it does not apply', async () => {
    const body = await fixture().run(
      'mutation { productCreate(product: {title: "x", seo: {title: "y"}}) { userErrors { message } } }',
    );
    expect(body.errors?.[0]?.message).toBe(
      "Input field 'seo' of ProductCreateInput is not implemented in the Shopify emulator",
    );
  });

  it('updates scalars, bumps updatedAt and emits product/update', async () => {
    const f = fixture();
    const tee = addTee(f);
    const events: ChangeEvent[] = [];
    subscribe(f.store, (e) => events.push(e));
    f.clock.advance(2000);
    const data = dataOf(
      await f.run(
        `mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { title descriptionHtml updatedAt } userErrors { field message } } }`,
        {
          p: { id: gid('Product', tee.id), title: 'New', descriptionHtml: '<p>Hi</p>' },
        },
      ),
    );
    expect(data['productUpdate']).toEqual({
      product: { title: 'New', descriptionHtml: '<p>Hi</p>', updatedAt: '2026-05-01T12:00:02Z' },
      userErrors: [],
    });
    expect(events.map((e) => `${e.kind}/${e.action}`)).toEqual(['product/update']);
  });

  it('answers a userError for an unknown product', async () => {
    const data = dataOf(
      await fixture().run(
        'mutation { productUpdate(product: {id: "gid://shopify/Product/1", title: "x"}) { product { id } userErrors { field message } } }',
      ),
    );
    expect(data['productUpdate']).toEqual({
      product: null,
      userErrors: [{ field: ['id'], message: 'Product does not exist' }],
    });
  });

  it('deletes a product and records a deletion event', async () => {
    const f = fixture();
    const tee = addTee(f);
    const mutation = `mutation($id: ID!) { productDelete(input: {id: $id}) { deletedProductId userErrors { field message } } }`;
    const data = dataOf(await f.run(mutation, { id: gid('Product', tee.id) }));
    expect(data['productDelete']).toEqual({ deletedProductId: gid('Product', tee.id), userErrors: [] });
    expect(f.shop.deletionEvents).toHaveLength(1);
    const again = dataOf(await f.run(mutation, { id: gid('Product', tee.id) }));
    expect(again['productDelete']).toEqual({
      deletedProductId: null,
      userErrors: [{ field: ['id'], message: 'Product does not exist' }],
    });
  });
});

describe('productSet', () => {
  const SET = `mutation($input: ProductSetInput!) { productSet(input: $input, synchronous: true) {
    product { id title tags options { name values } variants(first: 10) { nodes { ${VARIANT_FIELDS} } } } userErrors { field message code } } }`;

  it('creates a whole product with options, variants and stock', async () => {
    const f = fixture();
    const data = dataOf(
      await f.run(SET, {
        input: {
          title: 'Hoodie',
          tags: ['x'],
          productOptions: [{ name: 'Color', values: [{ name: 'Red' }, { name: 'Blue' }] }],
          variants: [
            {
              optionValues: [{ optionName: 'Color', name: 'Red' }],
              sku: 'H-R',
              price: '40',
              inventoryQuantities: [
                { locationId: gid('Location', f.locationId), name: 'available', quantity: 4 },
              ],
            },
            { optionValues: [{ optionName: 'Color', name: 'Blue' }], sku: 'H-B', price: '41.5' },
          ],
        },
      }),
    );
    const product = data['productSet'].product;
    expect(data['productSet'].userErrors).toEqual([]);
    expect(product.options).toEqual([{ name: 'Color', values: ['Red', 'Blue'] }]);
    expect(
      product.variants.nodes.map((v: { sku: string; price: string; inventoryQuantity: number }) => [
        v.sku,
        v.price,
        v.inventoryQuantity,
      ]),
    ).toEqual([
      ['H-R', '40.00', 4],
      ['H-B', '41.50', 0],
    ]);
  });

  it('replaces the variant list: listed ids are updated, new ones created, missing ones deleted', async () => {
    const f = fixture();
    const tee = addTee(f);
    const [small, medium] = tee.variantIds as [number, number];
    const data = dataOf(
      await f.run(SET, {
        input: {
          id: gid('Product', tee.id),
          productOptions: [{ name: 'Size', values: [{ name: 'M' }, { name: 'L' }] }],
          variants: [
            {
              id: gid('ProductVariant', medium),
              optionValues: [{ optionName: 'Size', name: 'M' }],
              price: '25',
            },
            { optionValues: [{ optionName: 'Size', name: 'L' }], sku: 'TEE-L', price: '26' },
          ],
        },
      }),
    );
    const nodes = data['productSet'].product.variants.nodes;
    expect(nodes.map((v: { sku: string; price: string }) => [v.sku, v.price])).toEqual([
      ['TEE-M', '25.00'],
      ['TEE-L', '26.00'],
    ]);
    expect(data['productSet'].product.title).toBe('Tee');
    expect(f.shop.variants.has(small)).toBe(false);
  });

  it('refuses an empty variant list on an update: a product keeps at least one variant, nothing changes', async () => {
    const f = fixture();
    const tee = addTee(f);
    const before = [...tee.variantIds];
    const data = dataOf(
      await f.run(SET, {
        input: { id: gid('Product', tee.id), title: 'Renamed', productOptions: [], variants: [] },
      }),
    );
    expect(data['productSet']).toMatchObject({
      product: null,
      userErrors: [{ field: ['input', 'variants'], code: 'INVALID_VARIANT' }],
    });
    expect(f.shop.products.get(tee.id)?.variantIds).toEqual(before);
    expect(f.shop.products.get(tee.id)?.title).toBe('Tee');
  });

  it('upserts by handle identifier: a retry updates instead of duplicating', async () => {
    const f = fixture();
    const query = `mutation($input: ProductSetInput!) { productSet(identifier: {handle: "retailos-42"}, input: $input) { product { id handle title } userErrors { code } } }`;
    const first = dataOf(await f.run(query, { input: { title: 'Lamp' } }));
    const retry = dataOf(await f.run(query, { input: { title: 'Lamp v2' } }));
    expect(first['productSet'].product).toMatchObject({ handle: 'retailos-42', title: 'Lamp' });
    expect(retry['productSet'].product).toEqual({ ...first['productSet'].product, title: 'Lamp v2' });
    expect(f.shop.products.size).toBe(1);
  });

  it.each([
    [{ id: 'gid://shopify/Product/99', title: 'x' }, ['input', 'id'], 'PRODUCT_DOES_NOT_EXIST'],
    [
      { title: 'x', variants: [{ optionValues: [{ optionName: 'Size', name: 'S' }] }] },
      ['input', 'productOptions'],
      'PRODUCT_OPTIONS_INPUT_MISSING',
    ],
    [
      {
        title: 'x',
        productOptions: [{ name: 'Size', values: [{ name: 'S' }] }],
        variants: [{ optionValues: [{ optionName: 'Colour', name: 'S' }] }],
      },
      ['input', 'variants', '0', 'optionValues', '0'],
      'OPTION_DOES_NOT_EXIST',
    ],
    [
      {
        title: 'x',
        productOptions: [{ name: 'Size', values: [{ name: 'S' }] }],
        variants: [
          { id: 'gid://shopify/ProductVariant/5', optionValues: [{ optionName: 'Size', name: 'S' }] },
        ],
      },
      ['input', 'variants', '0', 'id'],
      'PRODUCT_VARIANT_DOES_NOT_EXIST',
    ],
  ])('answers typed userErrors for %j', async (input, field, code) => {
    const f = fixture();
    const data = dataOf(await f.run(SET, { input }));
    expect(data['productSet'].product).toBeNull();
    expect(data['productSet'].userErrors[0]).toMatchObject({ field, code });
    expect(f.shop.products.size).toBe(0);
  });
});

describe('productVariantsBulk*', () => {
  it('creates variants and removes the standalone default variant', async () => {
    const f = fixture();
    const created = dataOf(
      await f.run(
        'mutation { productCreate(product: {title: "Mug", productOptions: [{name: "Color", values: [{name: "Red"}]}]}) { product { id } } }',
      ),
    );
    const productId = created['productCreate'].product.id;
    const data = dataOf(
      await f.run(
        `mutation($id: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkCreate(productId: $id, variants: $v, strategy: REMOVE_STANDALONE_VARIANT) {
      productVariants { sku price selectedOptions { value } } product { variantsCount { count } options { values } } userErrors { field code } } }`,
        {
          id: productId,
          v: [
            {
              optionValues: [{ optionName: 'Color', name: 'Red' }],
              price: '9',
              inventoryItem: { sku: 'M-R' },
              inventoryQuantities: [{ locationId: gid('Location', f.locationId), availableQuantity: 3 }],
            },
            {
              optionValues: [{ optionName: 'Color', name: 'Green' }],
              price: '9.5',
              inventoryItem: { sku: 'M-G' },
            },
          ],
        },
      ),
    );
    const r = data['productVariantsBulkCreate'];
    expect(r.userErrors).toEqual([]);
    expect(r.productVariants).toEqual([
      { sku: 'M-R', price: '9.00', selectedOptions: [{ value: 'Red' }] },
      { sku: 'M-G', price: '9.50', selectedOptions: [{ value: 'Green' }] },
    ]);
    expect(r.product).toEqual({ variantsCount: { count: 2 }, options: [{ values: ['Red', 'Green'] }] });
  });

  it('updates prices and skus, refusing foreign variants as a whole unless partial updates are allowed', async () => {
    const f = fixture();
    const tee = addTee(f);
    const other = addTee(f, 'Other');
    const query = `mutation($id: ID!, $v: [ProductVariantsBulkInput!]!, $partial: Boolean) { productVariantsBulkUpdate(productId: $id, variants: $v, allowPartialUpdates: $partial) {
      productVariants { sku price compareAtPrice } userErrors { field code } } }`;
    const v = [
      {
        id: gid('ProductVariant', tee.variantIds[0] as number),
        price: '5',
        compareAtPrice: '7',
        inventoryItem: { sku: 'NEW' },
      },
      { id: gid('ProductVariant', other.variantIds[0] as number), price: '1' },
    ];
    const refused = dataOf(await f.run(query, { id: gid('Product', tee.id), v }));
    expect(refused['productVariantsBulkUpdate']).toEqual({
      productVariants: null,
      userErrors: [{ field: ['variants', '1', 'id'], code: 'MUST_BE_FOR_THIS_PRODUCT' }],
    });
    expect(f.shop.variants.get(tee.variantIds[0] as number)?.price).toBe('19.99');
    const partial = dataOf(await f.run(query, { id: gid('Product', tee.id), v, partial: true }));
    expect(partial['productVariantsBulkUpdate'].productVariants).toEqual([
      { sku: 'NEW', price: '5.00', compareAtPrice: '7.00' },
    ]);
    expect(
      f.shop.inventoryItems.get(f.shop.variants.get(tee.variantIds[0] as number)!.inventoryItemId)?.sku,
    ).toBe('NEW');
  });

  it('refuses a negative price', async () => {
    const f = fixture();
    const tee = addTee(f);
    const data = dataOf(
      await f.run(
        `mutation($id: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $id, variants: $v) { userErrors { field code } } }`,
        {
          id: gid('Product', tee.id),
          v: [{ id: gid('ProductVariant', tee.variantIds[0] as number), price: '-1' }],
        },
      ),
    );
    expect(data['productVariantsBulkUpdate'].userErrors).toEqual([
      { field: ['variants', '0', 'price'], code: 'GREATER_THAN_OR_EQUAL_TO' },
    ]);
  });

  it('deletes variants but never the last one', async () => {
    const f = fixture();
    const tee = addTee(f);
    const query = `mutation($id: ID!, $ids: [ID!]!) { productVariantsBulkDelete(productId: $id, variantsIds: $ids) { product { variantsCount { count } } userErrors { code } } }`;
    const one = dataOf(
      await f.run(query, {
        id: gid('Product', tee.id),
        ids: [gid('ProductVariant', tee.variantIds[0] as number)],
      }),
    );
    expect(one['productVariantsBulkDelete']).toEqual({
      product: { variantsCount: { count: 1 } },
      userErrors: [],
    });
    const last = dataOf(
      await f.run(query, {
        id: gid('Product', tee.id),
        ids: [gid('ProductVariant', tee.variantIds[0] as number)],
      }),
    );
    expect(last['productVariantsBulkDelete'].userErrors).toEqual([{ code: 'CANNOT_DELETE_LAST_VARIANT' }]);
  });
});
