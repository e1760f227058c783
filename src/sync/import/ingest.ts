import {
  advanceCheckpoint,
  parkRecords,
  type ImportResourceRow,
  type ParkedRecord,
} from '../../db/shopify-imports.ts';
import { advanceRangeCheckpoint } from '../../db/shopify-import-ranges.ts';
import type { BulkResource } from './bulk-queries.ts';
import { importStopped } from './import-stopped.ts';
import { batchLines, readJsonl } from './jsonl.ts';
import { DEFAULTS, type ImportDeps } from './options.ts';
import { refreshStats, statsDue } from './planner-stats.ts';
import { batchContext, WRITERS } from './writers.ts';

/**
 * Yields the source's items with the next one already requested: while the caller works on one item
 * (a batch's statements, awaiting the database), the next is read, parsed and prepared. When the
 * caller stops early, the item in flight is awaited and dropped and the source is closed. Dropping it
 * loses nothing: the next step reads the file again from the committed checkpoint, so an error in that
 * read (an expired download, say) is met there, where it is handled.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  let finished = false;
  try {
    for (;;) {
      const r = await next;
      if (r.done) {
        finished = true;
        return;
      }
      next = it.next();
      yield r.value;
    }
  } finally {
    if (!finished) {
      const settled = await next.then(
        (r) => r,
        () => undefined,
      );
      if (settled && !settled.done) await it.return?.(undefined);
    }
  }
}

/** A result file to write: a resource's whole export, or one of its ranges' (`range`: its seq). */
export type FileRow = ImportResourceRow & { resource: BulkResource; url: string; range: number | null };

/**
 * Reads a completed bulk result from the checkpoint on and commits it batch by batch: each batch's
 * rows, id map, sync base, parked records and the new checkpoint (the resource's, or its range's) in
 * one transaction. On a Postgres server the next batch is read and mapped while one is being written.
 * Returns true when the file is done, false when the step's batch budget ran out first.
 */
export async function ingestFile(
  deps: ImportDeps,
  tenantId: string,
  importId: string,
  r: FileRow,
  /** Called after each committed batch (the step polls its exports there, so the next range starts). */
  between?: () => Promise<void>,
): Promise<boolean> {
  const opts = deps.importOptions ?? {};
  const { mode, prepare } = WRITERS[r.resource];
  const lines = readJsonl(r.url, { skipLines: r.linesDone, fetch: opts.fetch });
  const size = opts.batchSize ?? DEFAULTS.batchSize;
  let budget = opts.maxBatchesPerStep ?? DEFAULTS.maxBatchesPerStep;
  let done = r.done;
  let before = done;
  const batches = batchLines(lines, mode, size, { line: r.linesDone, bytes: r.bytesDone });
  const prepared = async function* () {
    for await (const batch of batches) yield { batch, write: prepare(batch.groups) };
  };
  // On PGlite every statement runs on this thread: preparing ahead would overlap nothing and only hold
  // one more batch in memory.
  const source = deps.db.kind === 'postgres' ? readAhead(prepared()) : prepared();
  for await (const { batch, write } of source) {
    const ctx = batchContext(deps, tenantId, importId);
    await deps.db.transaction(async (tx) => {
      const out = await write(tx, ctx);
      const orphans: ParkedRecord[] = batch.orphans.map((o) => ({
        gid: String(o['id']),
        reason: `a child line whose parent ${String(o['__parentId'])} does not precede it`,
        payload: o,
      }));
      const parked = [...out.parked, ...orphans];
      await parkRecords(tx, tenantId, importId, r.resource, parked, ctx.now);
      const c = {
        linesDone: batch.endLine,
        bytesDone: batch.endBytes,
        done: out.done,
        parked: parked.length,
      };
      const moved =
        r.range === null
          ? await advanceCheckpoint(tx, importId, r.resource, c, ctx.now)
          : await advanceRangeCheckpoint(tx, importId, { resource: r.resource, seq: r.range }, c, ctx.now);
      if (!moved) throw importStopped(importId);
      done += out.done;
    });
    if (statsDue(size, before, done)) await refreshStats(deps.db, r.resource);
    before = done;
    await opts.afterBatch?.({
      resource: r.resource,
      ...(r.range === null ? {} : { range: r.range }),
      linesDone: batch.endLine,
      done,
    });
    await between?.();
    budget -= 1;
    if (budget <= 0) return false;
  }
  return true;
}
