import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeAdminGraphQL } from '../graphql/admin.ts';
import { createStore, generateShop, manualClock } from '../store/index.ts';
import { bulkRootResolvers, createBulkOperations, type BulkOperationView } from './index.ts';
import { createStoreBulkExecutor } from './store-executor.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bulk-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const clock = manualClock(new Date(Date.UTC(2026, 4, 1, 12, 0, 0)));
const store = createStore(clock);
const shop = generateShop(store, {
  seed: 7,
  domain: 'bulk-test',
  products: 120,
  variantsPerProduct: 3,
  customers: 40,
  orders: 60,
  locations: 2,
});
const operations = createBulkOperations({
  clock,
  dataDir,
  baseUrl: () => 'http://127.0.0.1:4010',
  signingSecret: 's',
  execute: createStoreBulkExecutor(store),
  pageSize: 50,
});
const rootResolvers = bulkRootResolvers(operations);
const scopes = [
  'read_products',
  'read_customers',
  'read_orders',
  'read_all_orders',
  'read_inventory',
  'read_locations',
];

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const response = await executeAdminGraphQL({
    store,
    shop: shop.domain,
    appKey: 'app-1',
    scopes,
    rootResolvers,
    version: '2026-01',
    query,
    variables,
  });
  return response.body as { data?: Record<string, unknown>; errors?: unknown[] };
}

function fileOf(view: BulkOperationView | null): Record<string, unknown>[] {
  const id = view?.id.split('/').at(-1);
  const text = readFileSync(join(dataDir, `bulk-${id}.jsonl`), 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('bulk export through the store and the Admin API', () => {
  it('runs from the bulkOperationRunQuery mutation and is polled with currentBulkOperation', async () => {
    const run = await graphql(
      `
        mutation Run($q: String!) {
          bulkOperationRunQuery(query: $q) {
            bulkOperation {
              id
              status
              type
            }
            userErrors {
              field
              message
              code
            }
          }
        }
      `,
      { q: '{ products { edges { node { id title variants { edges { node { id sku } } } } } } }' },
    );
    expect(run.errors).toBeUndefined();
    const payload = run.data?.['bulkOperationRunQuery'] as {
      bulkOperation: { id: string; status: string; type: string };
    };
    expect(payload).toMatchObject({ bulkOperation: { status: 'CREATED', type: 'QUERY' }, userErrors: [] });
    await operations.whenIdle();
    const polled = await graphql(
      '{ currentBulkOperation { id status objectCount rootObjectCount url errorCode } }',
    );
    expect(polled.data?.['currentBulkOperation']).toMatchObject({
      id: payload.bulkOperation.id,
      status: 'COMPLETED',
      objectCount: String(shop.products.size + shop.variants.size),
      rootObjectCount: String(shop.products.size),
      errorCode: null,
    });
  });

  it('returns every product and variant of the seeded store exactly once, variants after their product', async () => {
    const caller = { shop: shop.domain, appKey: 'app-1', scopes, version: '2026-01' as const };
    const started = operations.runQuery(
      caller,
      '{ products { edges { node { id variants { edges { node { id } } } } } } }',
    );
    expect(started.userErrors).toEqual([]);
    await operations.whenIdle();
    const lines = fileOf(operations.get(caller, started.bulkOperation?.id ?? ''));
    const productIds = [...shop.products.keys()].map((id) => `gid://shopify/Product/${id}`).sort();
    const variantIds = [...shop.variants.keys()].map((id) => `gid://shopify/ProductVariant/${id}`).sort();
    const roots = lines.filter((l) => l['__parentId'] === undefined).map((l) => String(l['id']));
    const children = lines.filter((l) => l['__parentId'] !== undefined);
    expect([...roots].sort()).toEqual(productIds);
    expect(children.map((l) => String(l['id'])).sort()).toEqual(variantIds);
    const position = new Map(lines.map((l, i) => [l['id'], i]));
    for (const child of children) {
      const variantId = Number(String(child['id']).split('/').at(-1));
      const owner = `gid://shopify/Product/${shop.variants.get(variantId)?.productId}`;
      expect(child['__parentId']).toBe(owner);
      expect(position.get(owner) ?? Infinity).toBeLessThan(position.get(child['id']) ?? -1);
    }
  });

  it('exports customers and orders with nested line items', async () => {
    const caller = { shop: shop.domain, appKey: 'app-2', scopes, version: '2026-01' as const };
    const customers = operations.runQuery(caller, '{ customers { edges { node { id email } } } }');
    const orders = operations.runQuery(
      caller,
      '{ orders { edges { node { id name lineItems { edges { node { id quantity } } } } } } }',
    );
    await operations.whenIdle();
    const customerView = operations.get(caller, customers.bulkOperation?.id ?? '');
    const orderView = operations.get(caller, orders.bulkOperation?.id ?? '');
    expect(customerView).toMatchObject({ status: 'COMPLETED', objectCount: String(shop.customers.size) });
    const lineCount = [...shop.orders.values()].reduce((n, o) => n + o.lineItems.length, 0);
    expect(orderView?.errorCode).toBeNull();
    expect(orderView?.rootObjectCount).toBe(String(shop.orders.size));
    expect(orderView?.objectCount).toBe(String(shop.orders.size + lineCount));
  });

  it('lists the app’s operations newest first with bulkOperations, paged and filtered', async () => {
    const mine = operations.list({ shop: shop.domain, appKey: 'app-1', scopes, version: '2026-01' });
    expect(mine).toHaveLength(2);
    const page = await graphql(
      '{ bulkOperations(first: 1) { edges { cursor node { id status type } } pageInfo { hasNextPage } } }',
    );
    const first = page.data?.['bulkOperations'] as {
      edges: { cursor: string; node: { id: string } }[];
      pageInfo: { hasNextPage: boolean };
    };
    expect(first.edges.map((e) => e.node.id)).toEqual([mine[0]?.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await graphql(
      'query Next($after: String) { bulkOperations(first: 5, after: $after) { nodes { id } pageInfo { hasNextPage } } }',
      {
        after: first.edges[0]?.cursor,
      },
    );
    expect(next.data?.['bulkOperations']).toEqual({
      nodes: [{ id: mine[1]?.id }],
      pageInfo: { hasNextPage: false },
    });
    const oldest = await graphql(
      '{ bulkOperations(first: 5, reverse: true, query: "status:completed operation_type:query") { nodes { id } } }',
    );
    expect(oldest.data?.['bulkOperations']).toEqual({ nodes: [{ id: mine[1]?.id }, { id: mine[0]?.id }] });
    const none = await graphql(
      '{ bulkOperations(first: 5, query: "operation_type:mutation") { nodes { id } } }',
    );
    expect(none.data?.['bulkOperations']).toEqual({ nodes: [] });
  });
});
