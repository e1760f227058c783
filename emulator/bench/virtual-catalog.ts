/**
 * A catalog of any size whose nodes are made on demand, served on Shopify's real schema by
 * graphql-js: the 1M-object export measures the exporter (execution, flattening, file
 * writing with backpressure) without first building a 1M-record store in memory.
 */
import { execute } from 'graphql';
import type { BulkPageExecutor } from '../src/bulk/index.ts';
import { loadAdminSchema } from '../src/graphql/schema.ts';

const cursor = (i: number): string => Buffer.from(String(i)).toString('base64');

function variantsOf(p: number, perProduct: number) {
  const edges = [];
  for (let v = 1; v <= perProduct; v++) {
    const id = p * 10 + v;
    edges.push({
      cursor: cursor(v),
      node: { id: `gid://shopify/ProductVariant/${id}`, sku: `SKU-${id}`, price: '19.00' },
    });
  }
  return {
    edges,
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}

function productPage(
  total: number,
  perProduct: number,
  args: { first?: number | null; after?: string | null },
) {
  const start = args.after ? Number(Buffer.from(args.after, 'base64').toString('utf8')) + 1 : 0;
  const end = Math.min(total, start + (args.first ?? total));
  const edges = [];
  for (let i = start; i < end; i++) {
    const p = i + 1;
    const node = {
      id: `gid://shopify/Product/${p}`,
      title: `Product ${p}`,
      updatedAt: '2026-05-01T12:00:00Z',
      variants: () => variantsOf(p, perProduct),
    };
    edges.push({ cursor: cursor(i), node });
  }
  const endCursor = end > start ? cursor(end - 1) : null;
  return {
    edges,
    pageInfo: { hasNextPage: end < total, hasPreviousPage: start > 0, startCursor: null, endCursor },
  };
}

export function virtualCatalogExecutor(products: number, variantsPerProduct: number): BulkPageExecutor {
  const schema = loadAdminSchema('2026-01');
  const rootValue = {
    products: (args: { first?: number; after?: string }) => productPage(products, variantsPerProduct, args),
  };
  return async (request) =>
    execute({ schema, document: request.document, variableValues: request.variables, rootValue });
}
