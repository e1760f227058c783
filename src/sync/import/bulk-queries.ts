import type { ImportResource } from '../../db/shopify-imports.ts';
import { ENTITIES, type FullRead } from '../entities/registry.ts';

/** Resources read through a bulk operation (locations are few and read page by page). */
export type BulkResource = Exclude<ImportResource, 'locations'>;

type BulkRead = Extract<FullRead, { via: 'bulk' }>;

/** Each bulk resource's read, from the entity registry (its order is the order the import runs them). */
export const BULK_READS: Readonly<Record<BulkResource, BulkRead>> = Object.fromEntries(
  Object.values(ENTITIES).flatMap((e) => (e.read.via === 'bulk' ? [[e.read.resource, e.read]] : [])),
) as Record<BulkResource, BulkRead>;
export const BULK_RESOURCES: readonly BulkResource[] = ['products', 'customers', 'orders', 'inventory'];

/** One bulk query per resource; children (variants, line items, levels) come as their own lines with `__parentId`. */
export const BULK_QUERIES: Readonly<Record<BulkResource, string>> = {
  products: BULK_READS.products.query,
  customers: BULK_READS.customers.query,
  orders: BULK_READS.orders.query,
  inventory: BULK_READS.inventory.query,
};

/** Resources exported in Shopify id ranges when large (their connections take an `id` range and sort by ID). */
export const RANGED_RESOURCES = ['products', 'customers', 'orders'] as const;
export type RangedResource = (typeof RANGED_RESOURCES)[number];

export const isRanged = (resource: string): resource is RangedResource =>
  (RANGED_RESOURCES as readonly string[]).includes(resource);

/** The resource's bulk query, limited to a search (`id:>=… id:<=…`) when one is given. */
export function bulkQueryFor(resource: BulkResource, search = ''): string {
  if (search === '') return BULK_QUERIES[resource];
  return BULK_QUERIES[resource].replace(
    /^\{ (\w+) \{/,
    (_, c: string) => `{ ${c}(query: ${JSON.stringify(search)}) {`,
  );
}

/** The smallest and largest id of a ranged resource, and how many records it has. */
export const ID_SPAN: Readonly<Record<RangedResource, string>> = Object.fromEntries(
  RANGED_RESOURCES.map((c) => [
    c,
    `query ImportIdSpan { low: ${c}(first: 1, sortKey: ID) { nodes { id } }
  high: ${c}(first: 1, sortKey: ID, reverse: true) { nodes { id } }
  total: ${c}Count(limit: null) { count precision } }`,
  ]),
) as Record<RangedResource, string>;

/** Counts of a ranged resource's records with an id at or below each of `ids` (one aliased Count each). */
export const countsAtOrBelow = (resource: RangedResource, ids: readonly bigint[]): string =>
  `query ImportIdCounts { ${ids
    .map((id, i) => `c${i}: ${resource}Count(query: "id:<=${id}", limit: null) { count precision }`)
    .join('\n  ')} }`;

/** The fields read of each record: shared by the bulk queries and the paged ones (page-queries.ts). */
export const FIELDS = {
  product: BULK_READS.products.fields.root,
  variant: BULK_READS.products.fields.child as string,
  customer: BULK_READS.customers.fields.root,
  order: BULK_READS.orders.fields.root,
  lineItem: BULK_READS.orders.fields.child as string,
  level: BULK_READS.inventory.fields.child as string,
} as const;

export const RUN_BULK = `mutation RunBulk($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

export const POLL_BULK = `query PollBulk($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount url }
}`;

export const LOCATIONS_PAGE = ENTITIES.location.read.query;
