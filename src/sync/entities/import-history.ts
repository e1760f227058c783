import type { Queryable } from '../../db/db.ts';
import type { SyncBaseEntity } from '../../db/shopify-sync-base.ts';
import { insertImportBatchHistory } from '../../db/shopify-sync-history-search.ts';
import { historyLabel } from '../../domain/history-label.ts';
import type { Json } from '../../domain/shopify-map/index.ts';

/** A record a batch wrote: its ids, its snapshot, and whether it is new in Retailos. */
export interface WrittenRecord {
  localId: string;
  gid: string;
  snapshot: Json;
  created: boolean;
}

/**
 * Sync History of an import batch: one entry for the batch (not one per record), listing its records
 * by name, so a search for any of them (title, SKU, e-mail, order name, GID) finds it.
 */
export async function recordImportHistory(
  tx: Queryable,
  tenantId: string,
  kind: SyncBaseEntity,
  written: readonly WrittenRecord[],
  now: Date,
): Promise<void> {
  const records = written.map((w) => {
    const label = historyLabel(kind, w.snapshot);
    return {
      localId: w.localId,
      gid: w.gid,
      name: label.name || w.gid,
      words: label.words,
      created: w.created,
    };
  });
  await insertImportBatchHistory(tx, tenantId, kind, records, now);
}
