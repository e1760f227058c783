import type { BatchContext, PreparedBatch } from '../entities/batch.ts';
import { pooledRandom, timeOrderedId } from '../entities/ids.ts';
import type { RecordGroup } from '../entities/record-group.ts';
import { BULK_READS, type BulkResource } from './bulk-queries.ts';
import type { ImportDeps } from './options.ts';

/**
 * How each resource's records are written, whichever way they were read (from the entity registry).
 * `parent`: a record is a root with its children (products + variants); `child`: each child is a record
 * (inventory levels). `prepare` maps a batch outside any transaction and returns the write.
 */
export const WRITERS: Readonly<
  Record<
    BulkResource,
    { mode: 'parent' | 'child'; prepare: (groups: readonly RecordGroup[]) => PreparedBatch }
  >
> = BULK_READS;

/**
 * The import's batches write no `changes` rows (decision 0007, item 2): there is nothing to push, and
 * every reader of `changes` (the outbox relay, Sync Health's waiting count, a record's unrelayed fact,
 * the newest pushable change) skips the sync's own rows (origin shopify) anyway. The records the
 * import creates (products, variants, customers, orders, locations, their line items and stock levels)
 * take time-ordered ids (UUIDv7, item 4), so the indexes they lead take their inserts at the right edge;
 * their random bits come from a pool the batch draws from `deps.randomBytes` a block at a time.
 */
export function batchContext(deps: ImportDeps, tenantId: string, importId: string): BatchContext {
  const random = pooledRandom(deps.randomBytes);
  return {
    tenantId,
    importId,
    now: deps.clock.now(),
    newId: () => timeOrderedId(deps.clock.now().getTime(), random(16)),
    changeRows: false,
  };
}
