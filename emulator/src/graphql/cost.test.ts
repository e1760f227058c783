import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { maxCostExceededError, exceedsMaxCost } from './cost-errors.ts';
import {
  actualQueryCost,
  analyzeQueryCost,
  costDebugFields,
  logarithmicSizing,
  type CostOptions,
} from './cost.ts';
import { loadAdminSchema } from './schema.ts';

const schema = loadAdminSchema('2026-01');

function requested(query: string, options: CostOptions = {}): number {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return analyzeQueryCost(schema, document, options).requestedQueryCost;
}

// Each expected value is worked out by hand from the documented rules:
// scalar/enum 0, object 1, connection 2 + size × children (item = its node, 1 + fields), mutation 10.
const cases: ReadonlyArray<[string, string, number, CostOptions?]> = [
  ['one object with scalars: 1', '{ shop { name currencyCode } }', 1],
  ['connection of scalar nodes: 2 + 10 × 1', '{ products(first: 10) { nodes { id title } } }', 12],
  [
    'edges/node + cursor + pageInfo: the edge wrapper and pageInfo are free',
    '{ products(first: 10) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }',
    12,
  ],
  [
    'observed Shopify figure: 2 + 250 × 1',
    '{ productVariants(first: 250) { nodes { id sku } pageInfo { hasNextPage } } }',
    252,
  ],
  ['last sizes like first', '{ customers(last: 7) { nodes { id email } } }', 9],
  [
    'object inside each item: 1 + (2 + 250 × (1 + 1))',
    '{ product(id: "gid://shopify/Product/1") { variants(first: 250) { nodes { inventoryItem { id tracked } } } } }',
    503,
  ],
  [
    'nested connections multiply: 2 + 10 × (1 + 2 + 5 × 1)',
    '{ products(first: 10) { edges { node { title variants(first: 5) { edges { node { price } } } } } } }',
    82,
  ],
  [
    'nested page over the cap: 2 + 50 × (1 + 2 + 20 × 1)',
    '{ products(first: 50) { nodes { id title variants(first: 20) { nodes { id sku price } } } } }',
    1152,
  ],
  [
    'sizes come from variables',
    'query Q($n: Int!) { products(first: $n) { nodes { id } } }',
    27,
    { variables: { n: 25 } },
  ],
  ['two root fields add up: 1 + (2 + 2)', '{ shop { name } products(first: 2) { nodes { id } } }', 5],
  [
    'fragments are expanded: 2 + 3 × (1 + 1)',
    'query { products(first: 3) { nodes { ...P } } } fragment P on Product { id seo { title } }',
    8,
  ],
  [
    '@skip removes a field',
    'query Q($s: Boolean!) { shop { name } products(first: 5) @skip(if: $s) { nodes { id } } }',
    1,
    { variables: { s: true } },
  ],
  [
    'interface: the most expensive possible type, 1 + max(2 + 5 × 1, 0)',
    '{ node(id: "gid://shopify/Product/1") { id ... on Product { variants(first: 5) { nodes { id } } } ... on Customer { email } } }',
    8,
  ],
  [
    'nodes(ids:) is charged per id: 3 × (1 + 0)',
    '{ nodes(ids: ["gid://shopify/Product/1", "gid://shopify/Product/2", "gid://shopify/Customer/3"]) { id ... on Product { title } } }',
    3,
  ],
  [
    'a mutation costs 10 whatever it selects',
    'mutation { customerUpdate(input: { id: "gid://shopify/Customer/1", note: "x" }) { customer { id orders(first: 100) { nodes { id } } } userErrors { field message } } }',
    10,
  ],
  [
    'productSet: 10 + 3 × 0.2 + 2 × 0.4 = 11.4 → 11',
    `mutation { productSet(input: { title: "T", productOptions: [{ name: "Size", values: [{ name: "S" }, { name: "M" }, { name: "L" }] }],
       metafields: [{ namespace: "a", key: "b", type: "single_line_text_field", value: "c" }, { namespace: "a", key: "d", type: "single_line_text_field", value: "e" }],
       variants: [{ optionValues: [{ optionName: "Size", name: "S" }] }, { optionValues: [{ optionName: "Size", name: "M" }] }, { optionValues: [{ optionName: "Size", name: "L" }] }] })
       { product { id } userErrors { field message } } }`,
    11,
  ],
  [
    'productUpdate: 10 + 1 media × 1.9 = 11.9 → 12',
    'mutation { productUpdate(product: { id: "gid://shopify/Product/1" }, media: [{ originalSource: "https://x.test/a.png", mediaContentType: IMAGE }]) { product { id } } }',
    12,
  ],
  [
    'metafieldsSet: 10 + 2 products × 4 + 1 order × 10',
    `mutation { metafieldsSet(metafields: [
       { ownerId: "gid://shopify/Product/1", namespace: "a", key: "b", type: "single_line_text_field", value: "c" },
       { ownerId: "gid://shopify/Product/1", namespace: "a", key: "c", type: "single_line_text_field", value: "c" },
       { ownerId: "gid://shopify/Product/2", namespace: "a", key: "b", type: "single_line_text_field", value: "c" },
       { ownerId: "gid://shopify/Order/9", namespace: "a", key: "b", type: "single_line_text_field", value: "c" }]) { userErrors { field message } } }`,
    28,
  ],
  [
    'logarithmic sizing reproduces the published live figure 25',
    '{ product(id: "gid://shopify/Product/1") { variants(first: 250) { nodes { inventoryItem { id tracked } } } } }',
    25,
    { sizing: logarithmicSizing },
  ],
];

describe('requested query cost', () => {
  it.each(cases)('%s', (_name, query, expected, options) => {
    expect(requested(query, options)).toBe(expected);
  });

  it('picks the named operation', () => {
    const query = 'query A { shop { name } } query B { products(first: 4) { nodes { id } } }';
    expect(requested(query, { operationName: 'B' })).toBe(6);
    expect(requested(query, { operationName: 'A' })).toBe(1);
  });
});

describe('actual query cost', () => {
  const analyze = (query: string) => analyzeQueryCost(schema, parse(query));

  it('a connection that returned fewer nodes costs less (observed 252 requested → 12 actual)', () => {
    const cost = analyze('{ productVariants(first: 250) { nodes { id sku } pageInfo { hasNextPage } } }');
    const nodes = Array.from({ length: 10 }, (_, i) => ({
      id: `gid://shopify/ProductVariant/${i}`,
      sku: 'S',
    }));
    expect(actualQueryCost(cost, { productVariants: { nodes, pageInfo: { hasNextPage: false } } })).toBe(12);
  });

  it('a null object still costs its own point (observed: product null → 1)', () => {
    const cost = analyze(
      '{ product(id: "gid://shopify/Product/1") { variants(first: 250) { nodes { inventoryItem { id } } } } }',
    );
    expect(actualQueryCost(cost, { product: null })).toBe(1);
  });

  it('counts nested edges per returned item', () => {
    const cost = analyze(
      '{ products(first: 10) { edges { node { id variants(first: 5) { edges { node { id } } } } } } }',
    );
    const product = (id: number) => ({ node: { id, variants: { edges: [{ node: { id: id * 10 } }] } } });
    // each product: 1 + (2 + 1) = 4; two of them under a connection: 2 + 8
    expect(actualQueryCost(cost, { products: { edges: [product(1), product(2)] } })).toBe(10);
    expect(cost.requestedQueryCost).toBe(82);
  });

  it('never exceeds the requested cost and is 0 without data', () => {
    const cost = analyze('{ products(first: 1) { nodes { id } } }');
    const many = { products: { nodes: [{ id: 1 }, { id: 2 }, { id: 3 }] } };
    expect(actualQueryCost(cost, many)).toBe(3);
    expect(actualQueryCost(cost, null)).toBe(0);
  });
});

describe('cost debug breakdown', () => {
  it('lists every field deepest first with defined, total and children costs', () => {
    const cost = analyzeQueryCost(
      schema,
      parse('{ product(id: "gid://shopify/Product/1") { variants(first: 2) { nodes { sku } } } }'),
    );
    expect(costDebugFields(cost)).toEqual([
      {
        path: ['product', 'variants', 'nodes', 'sku'],
        definedCost: 0,
        requestedTotalCost: 0,
        requestedChildrenCost: null,
      },
      {
        path: ['product', 'variants', 'nodes'],
        definedCost: 1,
        requestedTotalCost: 1,
        requestedChildrenCost: 0,
      },
      { path: ['product', 'variants'], definedCost: 2, requestedTotalCost: 4, requestedChildrenCost: 1 },
      { path: ['product'], definedCost: 1, requestedTotalCost: 5, requestedChildrenCost: 4 },
    ]);
  });
});

describe('MAX_COST_EXCEEDED', () => {
  it('is above 1000 only', () => {
    expect(exceedsMaxCost(1000)).toBe(false);
    expect(exceedsMaxCost(1001)).toBe(true);
  });

  it('names the cost and the cap as Shopify does', () => {
    const error = maxCostExceededError(1152);
    expect(
      error.message.startsWith('Query cost is 1152, which exceeds the single query max cost limit (1000).'),
    ).toBe(true);
    expect(error.extensions).toEqual({ code: 'MAX_COST_EXCEEDED', cost: 1152, maxCost: 1000 });
  });
});
