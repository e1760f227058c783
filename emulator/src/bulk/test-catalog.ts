/**
 * Test support: a small catalog served on Shopify's real schema by graphql-js default
 * resolvers, behaving like the store in bulk mode (the root connection honours
 * first/after; nested connections return every child). Lets the bulk tests run without
 * the full store.
 */
import { execute } from 'graphql';
import { loadAdminSchema } from '../graphql/schema.ts';
import type { BulkPageExecutor } from './runner.ts';

type Node = Record<string, unknown> & { id: string };

function connection(items: readonly Node[], args: { first?: number | null; after?: string | null }) {
  const start = args.after ? Number(Buffer.from(args.after, 'base64').toString('utf8')) + 1 : 0;
  const end = args.first == null ? items.length : Math.min(items.length, start + args.first);
  const slice = items.slice(start, end);
  return {
    edges: slice.map((node, i) => ({ node, cursor: Buffer.from(String(start + i)).toString('base64') })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      endCursor: slice.length > 0 ? Buffer.from(String(end - 1)).toString('base64') : null,
      startCursor: null,
    },
  };
}

export interface Catalog {
  readonly products: readonly Node[];
  readonly execute: BulkPageExecutor;
  /** Pages executed so far. */
  readonly calls: () => number;
}

export function createCatalog(productCount: number, variantsPerProduct: number, levelsPerItem = 2): Catalog {
  const products: Node[] = [];
  for (let p = 1; p <= productCount; p++) {
    const variants: Node[] = [];
    for (let v = 1; v <= variantsPerProduct; v++) {
      const variantId = p * 100 + v;
      const levels: Node[] = [];
      for (let l = 1; l <= levelsPerItem; l++) {
        levels.push({
          id: `gid://shopify/InventoryLevel/${l}?inventory_item_id=${variantId}`,
          location: { id: `gid://shopify/Location/${l}` },
        });
      }
      const inventoryItem = {
        id: `gid://shopify/InventoryItem/${variantId}`,
        tracked: true,
        inventoryLevels: (args: object) => connection(levels, args),
      };
      variants.push({
        id: `gid://shopify/ProductVariant/${variantId}`,
        sku: `SKU-${variantId}`,
        price: '10.00',
        inventoryItem,
      });
    }
    products.push({
      id: `gid://shopify/Product/${p}`,
      title: `Product ${p}`,
      status: 'ACTIVE',
      seo: { title: `SEO ${p}` },
      variants: (args: object) => connection(variants, args),
    });
  }
  const schema = loadAdminSchema('2026-01');
  let calls = 0;
  return {
    products,
    calls: () => calls,
    execute: async (request) => {
      calls++;
      const rootValue = { products: (args: object) => connection(products, args) };
      return execute({ schema, document: request.document, variableValues: request.variables, rootValue });
    },
  };
}
