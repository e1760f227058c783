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
