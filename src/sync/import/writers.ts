import type { PreparedBatch } from './batch.ts';
import type { BulkResource } from './bulk-queries.ts';
import type { RecordGroup } from './jsonl.ts';
import { uuidFrom, type ImportDeps } from './options.ts';
import { prepareCustomerBatch } from './write-customers.ts';
import { prepareInventoryBatch } from './write-inventory.ts';
import { prepareOrderBatch } from './write-orders.ts';
import { prepareProductBatch } from './write-products.ts';
import type { BatchContext } from './batch.ts';

/**
 * How each resource's records are written, whichever way they were read. `parent`: a record is a root
 * with its children (products + variants); `child`: each child is a record (inventory levels).
 * `prepare` maps a batch outside any transaction and returns the write.
 */
export const WRITERS: Readonly<
  Record<
    BulkResource,
    { mode: 'parent' | 'child'; prepare: (groups: readonly RecordGroup[]) => PreparedBatch }
  >
> = {
  products: { mode: 'parent', prepare: prepareProductBatch },
  customers: { mode: 'parent', prepare: prepareCustomerBatch },
  orders: { mode: 'parent', prepare: prepareOrderBatch },
  inventory: { mode: 'child', prepare: prepareInventoryBatch },
};

export function batchContext(deps: ImportDeps, tenantId: string, importId: string): BatchContext {
  return { tenantId, importId, now: deps.clock.now(), newId: () => uuidFrom(deps.randomBytes(16)) };
}
