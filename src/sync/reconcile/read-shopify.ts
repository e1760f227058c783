import type { SyncedKind } from '../../domain/synced-kinds.ts';
import { TransientError } from '../../errors.ts';
import { call } from '../entities/shopify-write.ts';
import type { RecordGroup } from '../entities/record-group.ts';
import { ENTITIES } from '../entities/registry.ts';
import { POLL_BULK, RUN_BULK } from '../import/bulk-queries.ts';
import { batchLines, readJsonl } from '../import/jsonl.ts';
import type { ShopSession } from '../shop-session.ts';

/** The kinds the registry reads with a bulk operation (locations are read by pages, and not compared yet). */
export type BulkKind = Exclude<SyncedKind, 'location'>;

export interface ReadOptions {
  /** Waiting between polls of the bulk operation is passed in. */
  wait: (ms: number) => Promise<void>;
  pollMs?: number;
  batchSize?: number;
  fetch?: typeof fetch | undefined;
  /** Told the points each call cost (Shopify's actual cost, else the estimate). */
  spent: (points: number) => void;
}

interface Op {
  id: string;
  status: string;
  errorCode: string | null;
  url: string | null;
  rootObjectCount: string;
  objectCount: string;
}

/**
 * Reads every record of a kind from Shopify with the registry's bulk query: starts the operation,
 * waits for it, then streams its JSONL file in batches of record groups (memory flat in store size).
 * A refused or failed export is a TransientError: the run fails with the reason and is retried.
 */
export async function* readAll(
  s: ShopSession,
  kind: BulkKind,
  opts: ReadOptions,
): AsyncGenerator<{ groups: RecordGroup[]; total: number }> {
  const read = ENTITIES[kind].read;
  if (read.via !== 'bulk') throw new Error(`${kind} is not read in bulk`);
  const started = await call<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string }[] };
  }>(s, RUN_BULK, { query: read.query });
  opts.spent(started.cost?.actualQueryCost ?? 10);
  const op0 = started.data.bulkOperationRunQuery.bulkOperation;
  if (!op0) {
    const why = started.data.bulkOperationRunQuery.userErrors.map((e) => e.message).join('; ');
    throw new TransientError(`Shopify did not start the ${kind} export: ${why || 'no reason given'}`);
  }
  let op: Op | null = null;
  for (;;) {
    const polled = await call<{ bulkOperation: Op | null }>(s, POLL_BULK, { id: op0.id });
    opts.spent(polled.cost?.actualQueryCost ?? 1);
    op = polled.data.bulkOperation;
    if (!op) throw new TransientError(`Shopify lost the ${kind} export`);
    if (op.status === 'COMPLETED') break;
    if (op.status !== 'CREATED' && op.status !== 'RUNNING')
      throw new TransientError(
        `Shopify's ${kind} export ended ${op.status.toLowerCase()}${op.errorCode ? ` (${op.errorCode})` : ''}`,
      );
    await opts.wait(opts.pollMs ?? 500);
  }
  const total =
    kind === 'inventory_level'
      ? Number(op.objectCount) - Number(op.rootObjectCount)
      : Number(op.rootObjectCount);
  if (!op.url) return; // an export that found nothing has no file
  const lines = readJsonl(op.url, { skipLines: 0, fetch: opts.fetch });
  for await (const batch of batchLines(lines, read.mode, opts.batchSize ?? 500, { line: 0, bytes: 0 })) {
    yield { groups: batch.groups, total };
  }
}
