import type { SyncedKind } from '../../domain/synced-kinds.ts';
import { TransientError } from '../../errors.ts';
import { call } from '../entities/shopify-write.ts';
import type { RecordGroup } from '../entities/record-group.ts';
import { ENTITIES } from '../entities/registry.ts';
import { RUN_BULK } from '../import/bulk-queries.ts';
import { batchLines, readJsonl } from '../import/jsonl.ts';
import type { ShopSession } from '../shop-session.ts';

/** The kinds the registry reads with a bulk operation (locations are read page by page). */
export type BulkKind = Exclude<SyncedKind, 'location'>;

export interface ReadOptions {
  /** Waiting between polls of the bulk operation is passed in. */
  wait: (ms: number) => Promise<void>;
  /** The first wait between polls (it grows by half up to a second); default 100 ms. */
  pollMs?: number;
  batchSize?: number;
  fetch?: typeof fetch | undefined;
}

/** The import's poll, with the operation's `createdAt`: Shopify's time when the export began. */
const POLL_EXPORT = `query PollReconcileExport($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount url createdAt }
}`;

interface Op {
  id: string;
  status: string;
  createdAt?: string | null;
  errorCode: string | null;
  url: string | null;
  rootObjectCount: string;
  objectCount: string;
}

interface Started {
  bulkOperationRunQuery: {
    bulkOperation: { id: string } | null;
    userErrors: { message: string; code?: string | null }[];
  };
}

/** Starts one kind's export: its id, or null when Shopify has as many running as it allows. */
async function start(s: ShopSession, kind: BulkKind): Promise<string | null> {
  const read = ENTITIES[kind].read;
  if (read.via !== 'bulk') throw new Error(`${kind} is not read in bulk`);
  const started = await call<Started>(s, RUN_BULK, { query: read.query });
  const { bulkOperation, userErrors } = started.data.bulkOperationRunQuery;
  if (bulkOperation) return bulkOperation.id;
  if (userErrors.some((e) => e.code === 'OPERATION_IN_PROGRESS')) return null;
  const why = userErrors.map((e) => e.message).join('; ');
  throw new TransientError(`Shopify did not start the ${kind} export: ${why || 'no reason given'}`);
}

/**
 * Starts the exports of the kinds at once, so Shopify builds them while the run compares the first
 * ones (2026-01 and later run five bulk queries of an app at a time). A kind Shopify does not take
 * yet (an older version runs one at a time) is started when its turn comes.
 */
export async function startExports(
  s: ShopSession,
  kinds: readonly BulkKind[],
): Promise<Map<BulkKind, string>> {
  const ids = new Map<BulkKind, string>();
  for (const kind of kinds) {
    const id = await start(s, kind);
    if (id === null) break;
    ids.set(kind, id);
  }
  return ids;
}

/** A batch of an export's records, with Shopify's time when the export began. */
export interface ExportBatch {
  groups: RecordGroup[];
  total: number;
  /** The bulk operation's `createdAt` (Shopify's clock): every record was read at or after it. */
  exportedAt: string | null;
}

/**
 * Reads every record of a kind from its export (started now when `id` is undefined): waits for it,
 * then streams its JSONL file in batches of record groups (memory flat in store size). A refused or
 * failed export is a TransientError: the run fails with the reason and is retried.
 */
export async function* readExport(
  s: ShopSession,
  kind: BulkKind,
  id: string | undefined,
  opts: ReadOptions,
): AsyncGenerator<ExportBatch> {
  const read = ENTITIES[kind].read;
  if (read.via !== 'bulk') throw new Error(`${kind} is not read in bulk`);
  const opId = id ?? (await start(s, kind));
  if (opId === null)
    throw new TransientError(`Shopify is running other bulk operations: the ${kind} export waits`);
  const op = await completed(s, kind, opId, opts);
  const total =
    kind === 'inventory_level'
      ? Number(op.objectCount) - Number(op.rootObjectCount)
      : Number(op.rootObjectCount);
  if (!op.url) return; // an export that found nothing has no file
  const lines = readJsonl(op.url, { skipLines: 0, fetch: opts.fetch });
  for await (const batch of batchLines(lines, read.mode, opts.batchSize ?? 500, { line: 0, bytes: 0 })) {
    yield { groups: batch.groups, total, exportedAt: op.createdAt ?? null };
  }
}

/** Polls the export until it completed: quickly at first (a small store's export is done at once), then each second. */
async function completed(s: ShopSession, kind: BulkKind, id: string, opts: ReadOptions): Promise<Op> {
  let waitMs = opts.pollMs ?? 100;
  for (;;) {
    const polled = await call<{ bulkOperation: Op | null }>(s, POLL_EXPORT, { id });
    const op = polled.data.bulkOperation;
    if (!op) throw new TransientError(`Shopify lost the ${kind} export`);
    if (op.status === 'COMPLETED') return op;
    if (op.status !== 'CREATED' && op.status !== 'RUNNING')
      throw new TransientError(
        `Shopify's ${kind} export ended ${op.status.toLowerCase()}${op.errorCode ? ` (${op.errorCode})` : ''}`,
      );
    await opts.wait(waitMs);
    waitMs = Math.min(1_000, Math.max(waitMs * 1.5, 10));
  }
}
