import type { Queryable } from '../../db/db.ts';
import type { BatchContext, BatchOutcome } from './batch.ts';
import type { BulkResource } from './bulk-queries.ts';
import type { RecordGroup } from './jsonl.ts';
import { uuidFrom, type ImportDeps } from './options.ts';
import { writeCustomerBatch } from './write-customers.ts';
import { writeInventoryBatch } from './write-inventory.ts';
import { writeOrderBatch } from './write-orders.ts';
import { writeProductBatch } from './write-products.ts';

export type Writer = (
  tx: Queryable,
  ctx: BatchContext,
  groups: readonly RecordGroup[],
) => Promise<BatchOutcome>;

/**
 * How each resource's records are written, whichever way they were read. `parent`: a record is a root
 * with its children (products + variants); `child`: each child is a record (inventory levels).
 */
export const WRITERS: Readonly<Record<BulkResource, { mode: 'parent' | 'child'; write: Writer }>> = {
  products: { mode: 'parent', write: writeProductBatch },
  customers: { mode: 'parent', write: writeCustomerBatch },
  orders: { mode: 'parent', write: writeOrderBatch },
  inventory: { mode: 'child', write: writeInventoryBatch },
};

export function batchContext(deps: ImportDeps, tenantId: string, importId: string): BatchContext {
  return { tenantId, importId, now: deps.clock.now(), newId: () => uuidFrom(deps.randomBytes(16)) };
}
