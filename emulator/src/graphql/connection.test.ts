import { describe, expect, it } from 'vitest';
import { createProduct } from '../store/index.ts';
import { dataOf, fixture, type Fixture } from './test-support.ts';

/** Five products created one second apart; titles out of creation order. */
function shopWithProducts(): { f: Fixture; ids: string[] } {
  const f = fixture();
  const titles = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
  const ids = titles.map((title) => {
    f.clock.advance(1000);
    return `gid://shopify/Product/${createProduct(f.store, f.shop, { title }).id}`;
  });
  return { f, ids };
}

const PAGE = `query($first: Int, $last: Int, $after: String, $before: String, $sortKey: ProductSortKeys, $reverse: Boolean, $query: String) {
  products(first: $first, last: $last, after: $after, before: $before, sortKey: $sortKey, reverse: $reverse, query: $query) {
    edges { cursor node { id title } }
    nodes { title }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

async function page(f: Fixture, vars: Record<string, unknown>) {
  return dataOf(await f.run(PAGE, vars))['products'];
}

describe('connections', () => {
  it('pages forward with after/endCursor until hasNextPage is false', async () => {
    const { f, ids } = shopWithProducts();
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const p = await page(f, { first: 2, after });
      seen.push(...p.edges.map((e: { node: { id: string } }) => e.node.id));
      expect(p.pageInfo.hasPreviousPage).toBe(i > 0);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);
  });

  it('pages backward with last/before', async () => {
    const { f, ids } = shopWithProducts();
    const lastTwo = await page(f, { last: 2 });
    expect(lastTwo.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(3));
    expect(lastTwo.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = await page(f, { last: 2, before: lastTwo.pageInfo.startCursor });
    expect(before.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(1, 3));
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('gives edges and nodes the same order and cursors matching pageInfo', async () => {
    const { f } = shopWithProducts();
    const p = await page(f, { first: 3 });
    expect(p.nodes.map((n: { title: string }) => n.title)).toEqual(
      p.edges.map((e: { node: { title: string } }) => e.node.title),
    );
    expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
    expect(p.pageInfo.endCursor).toBe(p.edges[2].cursor);
  });

  it.each([
    ['TITLE', false, ['alpha', 'bravo', 'charlie', 'delta', 'echo']],
    ['TITLE', true, ['echo', 'delta', 'charlie', 'bravo', 'alpha']],
    ['CREATED_AT', false, ['delta', 'alpha', 'echo', 'charlie', 'bravo']],
    ['CREATED_AT', true, ['bravo', 'charlie', 'echo', 'alpha', 'delta']],
    ['ID', true, ['bravo', 'charlie', 'echo', 'alpha', 'delta']],
  ])('sorts by %s (reverse %s)', async (sortKey, reverse, titles) => {
    const { f } = shopWithProducts();
    const first = await page(f, { first: 3, sortKey, reverse });
    const rest = await page(f, { first: 3, sortKey, reverse, after: first.pageInfo.endCursor });
    expect([...first.nodes, ...rest.nodes].map((n: { title: string }) => n.title)).toEqual(titles);
  });

  it('keeps UPDATED_AT paging stable when a record moves after the cursor', async () => {
    const { f } = shopWithProducts();
    const first = await page(f, { first: 2, sortKey: 'UPDATED_AT' });
    f.clock.advance(5000);
    await f.run(
      'mutation($id: ID!) { productUpdate(product: {id: $id, title: "alpha 2"}) { userErrors { message } } }',
      { id: first.edges[1].node.id },
    );
    const rest = await page(f, { first: 5, sortKey: 'UPDATED_AT', after: first.pageInfo.endCursor });
    expect(rest.nodes.map((n: { title: string }) => n.title)).toEqual([
      'echo',
      'charlie',
      'bravo',
      'alpha 2',
    ]);
  });

  it('filters with query and pages within the filtered set', async () => {
    const { f } = shopWithProducts();
    const p = await page(f, { first: 1, query: 'title:alpha OR title:echo' });
    expect(p.nodes.map((n: { title: string }) => n.title)).toEqual(['alpha']);
    const next = await page(f, { first: 1, query: 'title:alpha OR title:echo', after: p.pageInfo.endCursor });
    expect(next.nodes.map((n: { title: string }) => n.title)).toEqual(['echo']);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    [{}, 'you must provide one of first or last'],
    [{ first: 251 }, 'The first argument must be between 0 and 250.'],
    [{ last: 300 }, 'The last argument must be between 0 and 250.'],
  ])('rejects page size %j', async (vars, message) => {
    const { f } = shopWithProducts();
    const body = await f.run(PAGE, vars);
    expect(body.errors?.[0]).toMatchObject({ message, path: ['products'] });
  });

  it('rejects a malformed cursor', async () => {
    const { f } = shopWithProducts();
    const body = await f.run(PAGE, { first: 1, after: 'nope' });
    expect(body.errors?.[0]?.message).toMatch(/Invalid cursor/);
  });

  it('counts with productsCount', async () => {
    const { f } = shopWithProducts();
    const data = dataOf(
      await f.run(
        '{ all: productsCount { count precision } some: productsCount(query: "title:a*") { count } capped: productsCount(limit: 2) { count precision } }',
      ),
    );
    expect(data).toEqual({
      all: { count: 5, precision: 'EXACT' },
      some: { count: 1 },
      capped: { count: 2, precision: 'AT_LEAST' },
    });
  });
});
