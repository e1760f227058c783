import {
  advanceCheckpoint,
  parkRecords,
  type ImportResourceRow,
  type ParkedRecord,
} from '../../db/shopify-imports.ts';
import type { BulkResource } from './bulk-queries.ts';
import { batchLines, readJsonl } from './jsonl.ts';
import { DEFAULTS, type ImportDeps } from './options.ts';
import { refreshStats, statsDue } from './planner-stats.ts';
import { batchContext, WRITERS } from './writers.ts';

/**
 * Reads a completed bulk result from the checkpoint on and commits it batch by batch: each batch's
 * rows, id map, sync base, parked records and the new checkpoint in one transaction. Returns true
 * when the file is done, false when the step's batch budget ran out first.
 */
export async function ingestFile(
  deps: ImportDeps,
  tenantId: string,
  importId: string,
  r: ImportResourceRow & { resource: BulkResource; url: string },
): Promise<boolean> {
  const opts = deps.importOptions ?? {};
  const { mode, write } = WRITERS[r.resource];
  const lines = readJsonl(r.url, { skipLines: r.linesDone, fetch: opts.fetch });
  const size = opts.batchSize ?? DEFAULTS.batchSize;
  let budget = opts.maxBatchesPerStep ?? DEFAULTS.maxBatchesPerStep;
  let done = r.done;
  let before = done;
  for await (const batch of batchLines(lines, mode, size, { line: r.linesDone, bytes: r.bytesDone })) {
    const ctx = batchContext(deps, tenantId, importId);
    await deps.db.transaction(async (tx) => {
      const out = await write(tx, ctx, batch.groups);
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
      await advanceCheckpoint(tx, importId, r.resource, c, ctx.now);
      done += out.done;
    });
    if (statsDue(size, before, done)) await refreshStats(deps.db, r.resource);
    before = done;
    await opts.afterBatch?.({ resource: r.resource, linesDone: batch.endLine, done });
    budget -= 1;
    if (budget <= 0) return false;
  }
  return true;
}
