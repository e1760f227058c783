import { describe, expect, it } from 'vitest';
import { appClientId, gid } from '../store/index.ts';
import { addCustomer, addTee, dataOf, fixture, type Fixture } from './test-support.ts';

const APP_NS = `app--${appClientId('app-1')}`;

const DEFINE = `mutation($definition: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $definition) {
  createdDefinition { id namespace key name ownerType type { name } capabilities { uniqueValues { enabled eligible } } metafieldsCount }
  userErrors { field message code } } }`;

async function defineId(f: Fixture, ownerType: 'PRODUCT' | 'CUSTOMER', key = 'retailos_id') {
  const data = dataOf(
    await f.run(DEFINE, {
      definition: { namespace: '$app', key, name: 'Retailos id', type: 'id', ownerType },
    }),
  );
  expect(data['metafieldDefinitionCreate'].userErrors).toEqual([]);
  return data['metafieldDefinitionCreate'].createdDefinition;
}

const PRODUCT_SET = `mutation($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input) {
    product { id title metafield(key: "retailos_id") { namespace key type value }
      metafields(first: 10) { nodes { namespace key type value } } }
    userErrors { field message code } } }`;

const CUSTOMER_SET = `mutation($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) {
  customerSet(identifier: $identifier, input: $input) {
    customer { id firstName lastName metafield(key: "retailos_id") { namespace key type value } }
    userErrors { field message code } } }`;

const customId = (value: string) => ({ customId: { key: 'retailos_id', value } });

describe('metafieldDefinitionCreate', () => {
  it('resolves $app to the app-reserved namespace and makes an id definition unique', async () => {
    const f = fixture();
    const created = await defineId(f, 'PRODUCT');
    expect(created).toMatchObject({
      namespace: APP_NS,
      key: 'retailos_id',
      ownerType: 'PRODUCT',
      type: { name: 'id' },
      capabilities: { uniqueValues: { enabled: true, eligible: true } },
      metafieldsCount: 0,
    });
    expect(APP_NS).toMatch(/^app--\d{12}$/);
    // Omitted namespace = the same reserved one; another app gets another namespace.
    const read = dataOf(
      await f.run(
        `{ metafieldDefinition(identifier: {ownerType: PRODUCT, key: "retailos_id"}) { id namespace } }`,
      ),
    );
    expect(read['metafieldDefinition']).toEqual({ id: created.id, namespace: APP_NS });
    const other = dataOf(
      await f.run(
        `{ metafieldDefinition(identifier: {ownerType: PRODUCT, key: "retailos_id"}) { id } }`,
        {},
        { appKey: 'app-2' },
      ),
    );
    expect(other['metafieldDefinition']).toBeNull();
  });

  it('refuses a taken key, an id type without unique values and a one-letter key; creates nothing', async () => {
    const f = fixture();
    await defineId(f, 'PRODUCT');
    const cases: [Record<string, unknown>, unknown][] = [
      [
        { key: 'retailos_id' },
        {
          field: ['definition', 'key'],
          message: `Key is in use for Product metafields on the '${APP_NS}' namespace.`,
          code: 'TAKEN',
        },
      ],
      [
        { key: 'other_id', capabilities: { uniqueValues: { enabled: false } } },
        {
          field: ['definition'],
          message: 'Capability unique_values is required for type id but is disabled',
          code: 'CAPABILITY_REQUIRED_BUT_DISABLED',
        },
      ],
      [{ key: 'x' }, { field: ['definition', 'key'], code: 'TOO_SHORT' }],
    ];
    for (const [extra, error] of cases) {
      const data = dataOf(
        await f.run(DEFINE, {
          definition: { name: 'n', type: 'id', ownerType: 'PRODUCT', ...extra },
        }),
      );
      expect(data['metafieldDefinitionCreate'].createdDefinition).toBeNull();
      expect(data['metafieldDefinitionCreate'].userErrors).toEqual([expect.objectContaining(error)]);
    }
    expect(f.shop.metafieldDefinitions.size).toBe(1);
    // The same key on another owner type is another definition.
    await defineId(f, 'CUSTOMER');
    expect(f.shop.metafieldDefinitions.size).toBe(2);
  });
});

describe('productSet metafields', () => {
  it('writes input.metafields, reads them back, and replaces the list on the next call', async () => {
    const f = fixture();
    const tee = addTee(f);
    const first = dataOf(
      await f.run(PRODUCT_SET, {
        identifier: { id: gid('Product', tee.id) },
        input: {
          metafields: [
            { namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'cotton' },
            { key: 'weight_g', type: 'number_integer', value: '180' },
          ],
        },
      }),
    );
    expect(first['productSet'].userErrors).toEqual([]);
    expect(first['productSet'].product.metafields.nodes).toEqual([
      { namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'cotton' },
      { namespace: APP_NS, key: 'weight_g', type: 'number_integer', value: '180' },
    ]);
    const read = dataOf(
      await f.run(
        `query($id: ID!) { product(id: $id) {
        material: metafield(namespace: "custom", key: "material") { value jsonValue }
        weight: metafield(key: "weight_g") { value jsonValue }
        custom: metafields(first: 5, namespace: "custom") { nodes { key } } } }`,
        { id: gid('Product', tee.id) },
      ),
    );
    expect(read['product']).toEqual({
      material: { value: 'cotton', jsonValue: 'cotton' },
      weight: { value: '180', jsonValue: 180 },
      custom: { nodes: [{ key: 'material' }] },
    });
    const second = dataOf(
      await f.run(PRODUCT_SET, {
        identifier: { id: gid('Product', tee.id) },
        input: { metafields: [{ key: 'weight_g', type: 'number_integer', value: '200' }] },
      }),
    );
    expect(second['productSet'].product.metafields.nodes).toEqual([
      { namespace: APP_NS, key: 'weight_g', type: 'number_integer', value: '200' },
    ]);
  });

  it('refuses a value its type does not allow and a metafield without a type or definition', async () => {
    const f = fixture();
    const tee = addTee(f);
    for (const [metafield, code] of [
      [{ key: 'weight_g', type: 'number_integer', value: 'heavy' }, 'INVALID_METAFIELD'],
      [{ key: 'weight_g', value: '12' }, 'INVALID_METAFIELD'],
    ] as const) {
      const data = dataOf(
        await f.run(PRODUCT_SET, {
          identifier: { id: gid('Product', tee.id) },
          input: { title: 'Changed', metafields: [metafield] },
        }),
      );
      expect(data['productSet'].userErrors).toEqual([
        expect.objectContaining({ field: ['input', 'metafields', '0', 'value'], code }),
      ]);
    }
    expect(f.shop.products.get(tee.id)?.title).toBe('Tee');
    expect(f.shop.metafields.size).toBe(0);
  });
});

describe('productSet by custom id', () => {
  it('creates when not found and updates when found: the same call twice makes one product', async () => {
    const f = fixture();
    await defineId(f, 'PRODUCT');
    const call = {
      identifier: customId('r-1'),
      input: { title: 'Lamp', metafields: [{ key: 'retailos_id', type: 'id', value: 'r-1' }] },
    };
    const first = dataOf(await f.run(PRODUCT_SET, call));
    const retry = dataOf(await f.run(PRODUCT_SET, call));
    expect(first['productSet'].userErrors).toEqual([]);
    expect(first['productSet'].product.metafield).toEqual({
      namespace: APP_NS,
      key: 'retailos_id',
      type: 'id',
      value: 'r-1',
    });
    expect(retry['productSet'].product.id).toBe(first['productSet'].product.id);
    expect(f.shop.products.size).toBe(1);
    const updated = dataOf(await f.run(PRODUCT_SET, { ...call, input: { ...call.input, title: 'Lamp v2' } }));
    expect(updated['productSet'].product).toMatchObject({
      id: first['productSet'].product.id,
      title: 'Lamp v2',
    });
    expect(f.shop.products.size).toBe(1);
    const byIdentifier = dataOf(
      await f.run(
        `{ productByIdentifier(identifier: {customId: {namespace: "$app", key: "retailos_id", value: "r-1"}}) { id title } }`,
      ),
    );
    expect(byIdentifier['productByIdentifier']).toEqual({
      id: first['productSet'].product.id,
      title: 'Lamp v2',
    });
    const missing = dataOf(
      await f.run(
        `{ productByIdentifier(identifier: {customId: {key: "retailos_id", value: "r-2"}}) { id } }`,
      ),
    );
    expect(missing['productByIdentifier']).toBeNull();
  });

  it('writes the custom id itself when a creation has no metafields, and keeps it on updates without them', async () => {
    const f = fixture();
    await defineId(f, 'PRODUCT');
    const created = dataOf(
      await f.run(PRODUCT_SET, { identifier: customId('r-7'), input: { title: 'Vase' } }),
    );
    expect(created['productSet'].product.metafields.nodes).toEqual([
      { namespace: APP_NS, key: 'retailos_id', type: 'id', value: 'r-7' },
    ]);
    const again = dataOf(
      await f.run(PRODUCT_SET, { identifier: customId('r-7'), input: { title: 'Vase 2' } }),
    );
    expect(again['productSet'].product).toMatchObject({
      id: created['productSet'].product.id,
      title: 'Vase 2',
      metafield: { value: 'r-7' },
    });
    expect(f.shop.products.size).toBe(1);
  });

  it('refuses metafields that do not hold the custom id (METAFIELD_MISMATCH), creating nothing', async () => {
    const f = fixture();
    await defineId(f, 'PRODUCT');
    const data = dataOf(
      await f.run(PRODUCT_SET, {
        identifier: customId('r-1'),
        input: { title: 'Lamp', metafields: [{ key: 'retailos_id', value: 'r-2' }] },
      }),
    );
    expect(data['productSet']).toEqual({
      product: null,
      userErrors: [
        {
          field: ['input', 'metafields'],
          message: 'The input argument `metafields` (if present) must contain the `customId` value.',
          code: 'METAFIELD_MISMATCH',
        },
      ],
    });
    expect(f.shop.products.size).toBe(0);
  });

  it("answers Shopify's NOT_FOUND error when no id definition exists", async () => {
    const f = fixture();
    const body = await f.run(PRODUCT_SET, { identifier: customId('r-1'), input: { title: 'Lamp' } });
    expect(body.data).toEqual({ productSet: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "Metafield definition of type 'id' is required when using custom ids.",
        path: ['productSet'],
        extensions: { code: 'NOT_FOUND' },
      }),
    ]);
    expect(f.shop.products.size).toBe(0);
  });

  it('refuses a custom id value another product holds (unique values), by productSet and metafieldsSet', async () => {
    const f = fixture();
    await defineId(f, 'PRODUCT');
    dataOf(await f.run(PRODUCT_SET, { identifier: customId('r-1'), input: { title: 'Lamp' } }));
    const tee = addTee(f);
    const bySet = dataOf(
      await f.run(PRODUCT_SET, {
        input: { title: 'Copy', metafields: [{ key: 'retailos_id', value: 'r-1' }] },
      }),
    );
    expect(bySet['productSet'].product).toBeNull();
    expect(bySet['productSet'].userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'metafields', '0', 'value'], code: 'CAPABILITY_VIOLATION' }),
    ]);
    const byMetafieldsSet = dataOf(
      await f.run(
        `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { field code } } }`,
        { m: [{ ownerId: gid('Product', tee.id), key: 'retailos_id', value: 'r-1' }] },
      ),
    );
    expect(byMetafieldsSet['metafieldsSet']).toEqual({
      metafields: null,
      userErrors: [{ field: ['metafields', '0', 'value'], code: 'CAPABILITY_VIOLATION' }],
    });
    expect(f.shop.products.size).toBe(2);
    // The holder itself may write its own value again.
    const lamp = [...f.shop.products.values()].find((p) => p.title === 'Lamp');
    const own = dataOf(
      await f.run(
        `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { value } userErrors { code } } }`,
        { m: [{ ownerId: gid('Product', lamp?.id ?? 0), key: 'retailos_id', value: 'r-1' }] },
      ),
    );
    expect(own['metafieldsSet']).toEqual({ metafields: [{ value: 'r-1' }], userErrors: [] });
  });

  it('frees a custom id when its product is deleted', async () => {
    const f = fixture();
    await defineId(f, 'PRODUCT');
    const first = dataOf(await f.run(PRODUCT_SET, { identifier: customId('r-1'), input: { title: 'Lamp' } }));
    const id = first['productSet'].product.id as string;
    dataOf(
      await f.run(`mutation($id: ID!) { productDelete(input: {id: $id}) { deletedProductId } }`, { id }),
    );
    const again = dataOf(await f.run(PRODUCT_SET, { identifier: customId('r-1'), input: { title: 'Lamp' } }));
    expect(again['productSet'].userErrors).toEqual([]);
    expect(again['productSet'].product.id).not.toBe(id);
    expect(f.shop.products.size).toBe(1);
  });
});

describe('customerSet by custom id and customerByIdentifier', () => {
  it('creates with the custom id written from the identifier, then updates the same customer', async () => {
    const f = fixture();
    await defineId(f, 'CUSTOMER');
    const call = { identifier: customId('c-1'), input: { firstName: 'Ann', lastName: 'Lee' } };
    const created = dataOf(await f.run(CUSTOMER_SET, call));
    const retried = dataOf(await f.run(CUSTOMER_SET, call));
    expect(created['customerSet'].userErrors).toEqual([]);
    expect(created['customerSet'].customer.metafield).toEqual({
      namespace: APP_NS,
      key: 'retailos_id',
      type: 'id',
      value: 'c-1',
    });
    expect(retried['customerSet'].customer.id).toBe(created['customerSet'].customer.id);
    const updated = dataOf(
      await f.run(CUSTOMER_SET, { ...call, input: { firstName: 'Ann', lastName: 'Ng' } }),
    );
    expect(updated['customerSet'].customer).toMatchObject({
      id: created['customerSet'].customer.id,
      lastName: 'Ng',
    });
    expect(f.shop.customers.size).toBe(1);
  });

  it('finds a customer by custom id, id, email address (any case) or phone number, else null', async () => {
    const f = fixture();
    await defineId(f, 'CUSTOMER');
    const ann = addCustomer(f, 'ann@example.com');
    ann.phone = '+14155550101';
    const made = dataOf(
      await f.run(CUSTOMER_SET, { identifier: customId('c-9'), input: { firstName: 'Bo' } }),
    );
    const query = `query($i: CustomerIdentifierInput!) { customerByIdentifier(identifier: $i) { id } }`;
    const find = async (i: Record<string, unknown>) =>
      (dataOf(await f.run(query, { i }))['customerByIdentifier'] as { id: string } | null)?.id ?? null;
    expect(await find(customId('c-9'))).toBe(made['customerSet'].customer.id);
    expect(await find({ id: gid('Customer', ann.id) })).toBe(gid('Customer', ann.id));
    expect(await find({ emailAddress: 'ANN@example.com' })).toBe(gid('Customer', ann.id));
    expect(await find({ phoneNumber: '+14155550101' })).toBe(gid('Customer', ann.id));
    expect(await find({ emailAddress: 'nobody@example.com' })).toBeNull();
    expect(await find(customId('c-404'))).toBeNull();
    const denied = await f.run(query, { i: customId('c-9') }, { scopes: ['read_products'] });
    expect(denied.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
  });

  it("answers Shopify's NOT_FOUND error for a custom id without an id definition", async () => {
    const f = fixture();
    const body = await f.run(CUSTOMER_SET, { identifier: customId('c-1'), input: { firstName: 'Ann' } });
    expect(body.data).toEqual({ customerSet: null });
    expect(body.errors?.[0]).toMatchObject({
      message: "Metafield definition of type 'id' is required when using custom ids.",
      extensions: { code: 'NOT_FOUND' },
    });
    expect(f.shop.customers.size).toBe(0);
  });
});

describe('metafieldsSet', () => {
  it('writes metafields on products and customers; the type comes from the definition', async () => {
    const f = fixture();
    await defineId(f, 'CUSTOMER');
    const tee = addTee(f);
    const ann = addCustomer(f);
    const data = dataOf(
      await f.run(
        `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
          metafields { namespace key type value } userErrors { field message code } } }`,
        {
          m: [
            {
              ownerId: gid('Product', tee.id),
              namespace: 'custom',
              key: 'care',
              type: 'multi_line_text_field',
              value: 'wash\ncold',
            },
            { ownerId: gid('Customer', ann.id), key: 'retailos_id', value: 'c-3' },
          ],
        },
      ),
    );
    expect(data['metafieldsSet']).toEqual({
      metafields: [
        { namespace: 'custom', key: 'care', type: 'multi_line_text_field', value: 'wash\ncold' },
        { namespace: APP_NS, key: 'retailos_id', type: 'id', value: 'c-3' },
      ],
      userErrors: [],
    });
    const missingType = dataOf(
      await f.run(
        `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { field code } } }`,
        { m: [{ ownerId: gid('Product', tee.id), key: 'untyped', value: 'x' }] },
      ),
    );
    expect(missingType['metafieldsSet']).toEqual({
      metafields: null,
      userErrors: [{ field: ['metafields', '0', 'type'], code: 'BLANK' }],
    });
  });
});
