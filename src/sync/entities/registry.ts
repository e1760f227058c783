import type { Queryable } from '../../db/db.ts';
import type { MergedKind, SyncedKind } from '../../domain/synced-kinds.ts';
import type { AnyAdapter } from './adapter.ts';
import type { BatchContext, BatchOutcome, PreparedBatch } from './batch.ts';
import { CUSTOMER_FIELDS, customerAdapter, prepareCustomerBatch } from './customer.ts';
import { LEVEL_FIELDS, prepareInventoryBatch } from './inventory-level.ts';
import { LOCATIONS_PAGE, writeLocationBatch } from './location.ts';
import { LINE_ITEM_FIELDS, ORDER_FIELDS, orderAdapter, prepareOrderBatch } from './order.ts';
import { PRODUCT_FIELDS, productAdapter, prepareProductBatch, VARIANT_FIELDS } from './product.ts';
import type { JsonObject, RecordGroup } from './record-group.ts';

/**
 * How Shopify's records of a kind are read in full and written to Retailos (the import now; the
 * reconciliation next). `bulk`: one bulk operation; `parent` records are a root with its children
 * (products + variants), `child` records are the children themselves (levels, under their location).
 * `pages`: few records, read page by page.
 */
export type FullRead =
  | {
      via: 'bulk';
      resource: 'products' | 'customers' | 'orders' | 'inventory';
      query: string;
      mode: 'parent' | 'child';
      /** Maps a batch outside any transaction and returns its write. */
      prepare: (groups: readonly RecordGroup[]) => PreparedBatch;
      /** The fields of the root and of the children, for reads that page instead (paged import). */
      fields: { root: string; child: string | null };
    }
  | {
      via: 'pages';
      resource: 'locations';
      query: string;
      write: (tx: Queryable, ctx: BatchContext, nodes: readonly JsonObject[]) => Promise<BatchOutcome>;
    };

/** How a Retailos change of a kind reaches Shopify. */
export type PushStyle<K extends SyncedKind> = K extends MergedKind
  ? { style: 'merge'; adapter: (newId: () => string) => AnyAdapter }
  : K extends 'inventory_level'
    ? { style: 'delta' }
    : { style: 'none' };

/** One synced kind: everything the use cases (import, webhook apply, push, reconciliation) need of it. */
export interface EntityModule<K extends SyncedKind> {
  kind: K;
  read: FullRead;
  push: PushStyle<K>;
}

/** A bulk read: one bulk query of `connection` (root fields, and a child connection's), written by `prepare`. */
function bulkRead(
  resource: 'products' | 'customers' | 'orders' | 'inventory',
  connection: string,
  root: string,
  child: { name: string; fields: string } | null,
  mode: 'parent' | 'child',
  prepare: (groups: readonly RecordGroup[]) => PreparedBatch,
): FullRead {
  const children = child ? `\n    ${child.name} { edges { node { ${child.fields} } } }` : '';
  return {
    via: 'bulk',
    resource,
    query: `{ ${connection} { edges { node {\n    ${root}${children}\n  } } } }`,
    mode,
    prepare,
    fields: { root, child: child?.fields ?? null },
  };
}

/**
 * Every synced kind and its module. Typed over `SYNCED_KINDS`: a kind without its module, or a module
 * without an operation, does not compile; every other list of kinds is derived from this one.
 */
export const ENTITIES: { readonly [K in SyncedKind]: EntityModule<K> } = {
  location: {
    kind: 'location',
    read: {
      via: 'pages',
      resource: 'locations',
      query: LOCATIONS_PAGE,
      write: (tx, ctx, nodes) => writeLocationBatch(tx, ctx, nodes as never),
    },
    push: { style: 'none' },
  },
  product: {
    kind: 'product',
    read: bulkRead(
      'products',
      'products',
      PRODUCT_FIELDS,
      { name: 'variants', fields: VARIANT_FIELDS },
      'parent',
      prepareProductBatch,
    ),
    push: { style: 'merge', adapter: productAdapter },
  },
  customer: {
    kind: 'customer',
    read: bulkRead('customers', 'customers', CUSTOMER_FIELDS, null, 'parent', prepareCustomerBatch),
    push: { style: 'merge', adapter: customerAdapter },
  },
  order: {
    kind: 'order',
    read: bulkRead(
      'orders',
      'orders',
      ORDER_FIELDS,
      { name: 'lineItems', fields: LINE_ITEM_FIELDS },
      'parent',
      prepareOrderBatch,
    ),
    push: { style: 'merge', adapter: orderAdapter },
  },
  // Levels are read per location: the location line is their parent.
  inventory_level: {
    kind: 'inventory_level',
    read: bulkRead(
      'inventory',
      'locations',
      'id',
      { name: 'inventoryLevels', fields: LEVEL_FIELDS },
      'child',
      prepareInventoryBatch,
    ),
    push: { style: 'delta' },
  },
};
