/**
 * Admin GraphQL paging over the 110k-record shop (never a test):
 * `npx tsx emulator/bench/graphql-paging.ts [scale]`
 * Pages products (with variants), customers and orders at 250 per page, sorted by UPDATED_AT.
 */
import { executeAdminGraphQL, loadAdminSchema } from '../src/graphql/index.ts';
import { createStore, generateShop, manualClock } from '../src/store/index.ts';

const scale = Number(process.argv[2] ?? '1');
const store = createStore(manualClock(new Date('2026-06-01T00:00:00Z')));
generateShop(store, {
  seed: 42,
  domain: 'bench',
  products: Math.round(10_000 * scale),
  variantsPerProduct: 3,
  customers: Math.round(20_000 * scale),
  orders: Math.round(50_000 * scale),
  locations: 3,
});

loadAdminSchema('2026-04'); // schema loading is not part of the paging figures

const QUERIES: Record<string, string> = {
  products:
    'query($after: String) { products(first: 100, after: $after, sortKey: UPDATED_AT) { pageInfo { hasNextPage endCursor } nodes { id title updatedAt variants(first: 3) { nodes { id sku price } } } } }',
  customers:
    'query($after: String) { customers(first: 250, after: $after, sortKey: UPDATED_AT) { pageInfo { hasNextPage endCursor } nodes { id email updatedAt } } }',
  orders:
    'query($after: String) { orders(first: 250, after: $after, sortKey: UPDATED_AT) { pageInfo { hasNextPage endCursor } nodes { id name updatedAt totalPriceSet { shopMoney { amount } } } } }',
  ordersSince: `query($after: String) { orders(first: 250, after: $after, sortKey: UPDATED_AT, query: "updated_at:>='2026-05-01T00:00:00Z'") { pageInfo { hasNextPage endCursor } nodes { id } } }`,
};

type PageData = Record<
  string,
  { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] }
>;

for (const [name, query] of Object.entries(QUERIES)) {
  const started = performance.now();
  let after: string | null = null;
  let pages = 0;
  let rows = 0;
  for (;;) {
    const res = await executeAdminGraphQL({
      store,
      shop: 'bench',
      appKey: 'bench',
      scopes: ['read_products', 'read_customers', 'read_orders', 'read_all_orders'],
      version: '2026-04',
      query,
      variables: { after },
    });
    const body = res.body as { data: PageData; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const conn = Object.values(body.data)[0]!;
    pages++;
    rows += conn.nodes.length;
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  const ms = performance.now() - started;
  console.log(
    JSON.stringify({ name, pages, rows, ms: Math.round(ms), msPerPage: Math.round((ms / pages) * 10) / 10 }),
  );
}
