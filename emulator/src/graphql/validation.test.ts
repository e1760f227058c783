import { describe, expect, it } from 'vitest';
import { NOT_IMPLEMENTED } from './errors.ts';
import { resolveApiVersion } from './schema.ts';
import { addTee, fixture } from './test-support.ts';

describe('API versions', () => {
  it.each([
    ['2026-01', '2026-01'],
    ['2026-10', '2026-10'],
    ['2025-07', '2026-01'],
    ['2024-01', '2026-01'],
    ['unstable', '2026-10'],
    ['2027-01', null],
    ['2026-02', null],
    ['latest', null],
  ])('%s is served as %s', (requested, served) => {
    expect(resolveApiVersion(requested)).toBe(served);
  });

  it('answers 404 for an unknown version and reports the served one otherwise', async () => {
    const f = fixture();
    expect((await f.raw('{ shop { name } }', {}, { version: '2030-01' })).status).toBe(404);
    const old = await f.raw('{ shop { name } }', {}, { version: '2025-01' });
    expect(old).toMatchObject({ status: 200, version: '2026-01' });
  });
});

describe('validation errors shaped like Shopify', () => {
  it.each([
    [
      '{ products(first: 1) { nodes { id foo } } }',
      {
        message: "Field 'foo' doesn't exist on type 'Product'",
        path: ['query', 'products', 'nodes', 'foo'],
        extensions: { code: 'undefinedField', typeName: 'Product', fieldName: 'foo' },
      },
    ],
    [
      '{ product { id } }',
      {
        message: "Field 'product' is missing required arguments: id",
        extensions: { code: 'missingRequiredArguments', arguments: 'id' },
      },
    ],
    [
      '{ products(first: 1, bogus: 2) { nodes { id } } }',
      {
        message: "Field 'products' doesn't accept argument 'bogus'",
        extensions: { code: 'argumentNotAccepted', argumentName: 'bogus' },
      },
    ],
    [
      '{ products(first: "ten") { nodes { id } } }',
      {
        message: `Argument 'first' on Field 'products' has an invalid value ("ten"). Expected type 'Int'.`,
        path: ['query', 'products', 'first'],
        extensions: { code: 'argumentLiteralsIncompatible' },
      },
    ],
    [
      'query Q($id: String!) { product(id: $id) { id } }',
      {
        message: 'Type mismatch on variable $id and argument id (String! / ID!)',
        extensions: { code: 'variableMismatch' },
      },
    ],
    [
      'query Q($id: ID) { product(id: $id) { id } }',
      {
        message: 'Nullability mismatch on variable $id and argument id (ID / ID!)',
        extensions: { code: 'variableMismatch' },
      },
    ],
    ['{ shop }', { extensions: { code: 'selectionMismatch' } }],
    [
      'query Q($unused: Int) { shop { name } }',
      {
        message: 'Variable $unused is declared by query Q but not used',
        extensions: { code: 'variableNotUsed' },
      },
    ],
  ])('%s', async (query, expected) => {
    const body = await fixture().run(query);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject(expected);
    expect(body.errors?.[0]?.locations?.[0]?.line).toBe(1);
  });

  it('reports a syntax error with its location', async () => {
    const body = await fixture().run('{ shop { name }');
    expect(body.errors?.[0]?.message).toMatch(/^syntax error, .* at \[1, 16\]$/);
  });

  it('answers 400 when the query is missing', async () => {
    const res = await fixture().raw('');
    expect(res).toMatchObject({
      status: 400,
      body: { errors: { query: 'Required parameter missing or invalid' } },
    });
  });

  it('checks variable values against their declared types', async () => {
    const body = await fixture().run('query Q($first: Int!) { products(first: $first) { nodes { id } } }', {
      first: 'x',
    });
    expect(body.errors?.[0]).toMatchObject({
      message: 'Variable $first of type Int! was provided invalid value',
      extensions: { code: 'INVALID_VARIABLE', value: 'x' },
    });
  });

  it('uses the version-specific schema (compareQuantity exists in 2026-01 only)', async () => {
    const query =
      'mutation($q: [InventoryQuantityInput!]!) { inventorySetQuantities(input: {name: "available", reason: "correction", quantities: $q}) { userErrors { code } } }';
    const q = [
      {
        inventoryItemId: 'gid://shopify/InventoryItem/1',
        locationId: 'gid://shopify/Location/1',
        quantity: 1,
        compareQuantity: 0,
      },
    ];
    const f = fixture();
    const v1 = await f.run(query, { q }, { version: '2026-01' });
    expect(v1.errors).toBeUndefined();
    const v4 = await f.run(query, { q }, { version: '2026-04' });
    expect(v4.errors?.[0]?.extensions?.['code']).toBe('INVALID_VARIABLE');
  });
});

describe('fields the emulator does not implement', () => {
  it('names an unimplemented field instead of answering null', async () => {
    const f = fixture();
    addTee(f);
    const body = await f.run('{ products(first: 1) { nodes { title seo { title } } } }');
    expect(body.errors?.[0]).toMatchObject({
      message: "Field 'seo' on type 'Product' is not implemented in the Shopify emulator",
      path: ['products', 'nodes', 0, 'seo'],
      extensions: { code: NOT_IMPLEMENTED },
    });
  });

  it('names an unimplemented root field and mutation', async () => {
    const f = fixture();
    const q = await f.run('{ collections(first: 1) { nodes { id } } }');
    expect(q.errors?.[0]?.message).toBe(
      "Query field 'collections' is not implemented in the Shopify emulator",
    );
    const m = await f.run('mutation { collectionCreate(input: {title: "x"}) { userErrors { message } } }');
    expect(m.errors?.[0]?.message).toBe(
      "Mutation field 'collectionCreate' is not implemented in the Shopify emulator",
    );
  });

  it('names an argument the emulator would otherwise ignore', async () => {
    const body = await fixture().run(
      '{ products(first: 1, savedSearchId: "gid://shopify/SavedSearch/1") { nodes { id } } }',
    );
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: NOT_IMPLEMENTED } });
    expect(body.errors?.[0]?.message).toContain("'savedSearchId'");
  });
});
