/**
 * A bulk repair group's results, line by line (decision 0008): each line matched to its record by
 * `__lineNumber`, settled as a live push settles (its result becomes the sync base, the echo note
 * clears, one Sync History entry with origin reconcile and the cause in words), a refusal a dead letter
 * with Shopify's words. A line without a result (its execution failed, the operation ended early, the
 * file expired) stays pending: the one-at-a-time path reads the record afresh. Each line settles once:
 * its difference is locked and settled in the same transaction, so a restart after a kill skips it.
 */
import type { Queryable } from '../../db/db.ts';
import {
  deleteBulk,
  lockDifferenceState,
  setBulkDone,
  setBulkSubmitted,
  type BulkLine,
  type BulkRow,
} from '../../db/shopify-reconcile-bulk.ts';
import { settleDifference } from '../../db/shopify-reconcile.ts';
import {
  clearPushingNote,
  getSyncBase,
  lockSyncBase,
  markPushed,
  noteAnswered,
  upsertSyncBase,
  type SyncBaseRow,
} from '../../db/shopify-sync-base.ts';
import { insertHistory, type HistoryEntry } from '../../db/shopify-sync-history.ts';
import type { CoreDeps } from '../../deps.ts';
import type { Conflict } from '../../domain/merge.ts';
import { canonicalJson, snapshotHash, type Json } from '../../domain/shopify-map/index.ts';
import { PermanentError } from '../../errors.ts';
import {
  BulkOperationEndedError,
  bulkMutationResults,
  findBulkMutation,
  waitForBulkOperation,
  type BulkLineResult,
  type BulkSession,
} from '../../shopify/bulk-mutation.ts';
import { historyEntry } from '../continuous/sync-entity.ts';
import type { AnyAdapter, RemoteState } from '../entities/adapter.ts';
import { refusedAsGone } from '../entities/shopify-write.ts';
import type { ShopSession } from '../shop-session.ts';
import { repairRefused } from './repair.ts';

export interface SettleOptions {
  wait: (ms: number) => Promise<void>;
  pollMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

/** How far before the row's time a lost operation is looked for (clocks of two machines differ). */
const FIND_SLACK_MS = 5 * 60_000;

/**
 * Waits for the group's operation to end and settles its lines. A group a kill left `staging` is
 * first looked for by its operation name: found, its id is adopted; not found, Shopify never created
 * it, and the group is dropped (its records are decided again). Returns how many lines it settled.
 */
export async function finishBulk(
  deps: CoreDeps,
  session: ShopSession,
  bulk: BulkSession,
  a: AnyAdapter,
  row: BulkRow,
  opts: SettleOptions,
): Promise<number> {
  let id = row.operationId;
  if (!id) {
    const since = new Date(row.createdAt.getTime() - FIND_SLACK_MS);
    const found = await findBulkMutation(bulk, row.operationName, since);
    if (!found) {
      await dropGroup(deps, row);
      return 0;
    }
    id = found.id;
    await setBulkSubmitted(deps.db, row.id, id);
  }
  const op = await waitForBulkOperation(bulk, id, {
    wait: opts.wait,
    pollMs: opts.pollMs ?? 100,
    maxPollMs: 1_000,
  });
  let results: AsyncGenerator<BulkLineResult>;
  try {
    results = bulkMutationResults(op, row.lines.length, { fetch: opts.fetch });
  } catch (err) {
    if (!(err instanceof BulkOperationEndedError)) throw err;
    deps.logger.warn(
      { runId: row.runId, reason: err.message },
      'bulk repair ended early: the rest one at a time',
    );
    results = err.lines(row.lines.length);
  }
  let settled = 0;
  try {
    for await (const r of results) {
      const line = row.lines[r.lineNumber] as BulkLine;
      if (r.missing || r.errors || !r.data) continue;
      if (await settleLine(deps, session, a, row, line, r.data)) settled += 1;
    }
  } catch (err) {
    // The result file is gone (Shopify keeps it 7 days): the lines not settled go one at a time.
    if (!(err instanceof PermanentError && err.errorClass === 'bulk_result_gone')) throw err;
  }
  await setBulkDone(deps.db, row.id);
  return settled;
}

/** A group Shopify never took: its lines' notes cleared, its row removed (its records stay pending). */
export async function dropGroup(deps: CoreDeps, row: BulkRow): Promise<void> {
  await deps.db.transaction(async (tx) => {
    for (const l of row.lines) await clearPushingNote(tx, row.tenantId, row.entity, l.localId, l.pushedHash);
    await deleteBulk(tx, row.id);
  });
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a as Json) === canonicalJson(b as Json);

/**
 * One line's result. Refused: a dead letter with Shopify's words (the record's note cleared); refused
 * because the record is gone: left pending (the one-at-a-time path reads it). Applied: settled in one
 * transaction, as `mergeBoth` settles a push — unless live sync got there first: when the line's
 * echo was applied (the base is the pushed state, the note gone), that recorded it, as the
 * reconciliation's (the note's cause).
 */
async function settleLine(
  deps: CoreDeps,
  session: ShopSession,
  a: AnyAdapter,
  row: BulkRow,
  line: BulkLine,
  data: Record<string, unknown>,
): Promise<boolean> {
  const d = { ...line, entity: row.entity, cause: 'retailos_changed' };
  // Settled already (a restart after a kill reads the same results again): nothing more to do.
  if ((await lockDifferenceState(deps.db, row.runId, row.entity, line.key)) !== 'pending') return false;
  let final: RemoteState | undefined;
  try {
    const answer = a.bulkPush?.answer(data, line.merged as Json);
    final = answer === 'read' ? await a.readRemote(session, line.gid) : answer;
  } catch (err) {
    // Refused because the record is gone: the one-at-a-time path reads it and applies the deletion.
    if (refusedAsGone(err)) return false;
    if (!(err instanceof PermanentError)) throw err;
    const reason = await repairRefused(deps, row.tenantId, row.runId, d, err);
    await deps.db.transaction(async (tx) => {
      await clearPushingNote(tx, row.tenantId, row.entity, line.localId, line.pushedHash);
      await settleDifference(tx, row.runId, d, 'failed', reason);
    });
    return true;
  }
  if (!final) return false;
  const pushed = final;
  return deps.db.transaction(async (tx) => {
    if ((await lockDifferenceState(tx, row.runId, row.entity, line.key)) !== 'pending') return false;
    const current = await a.loadLocal(tx, row.tenantId, line.localId, true);
    await lockSyncBase(tx, row.tenantId, row.entity, line.localId);
    const base = await getSyncBase(tx, row.tenantId, row.entity, line.localId);
    const wroteLocal = await settleBase(deps, tx, a, row, line, pushed, base, current?.version);
    const outcome = `applied: ${wroteLocal ? 'applied to Retailos and ' : ''}pushed to Shopify (bulk mutation)`;
    await settleDifference(tx, row.runId, d, 'repaired', outcome);
    return true;
  });
}

/**
 * The sync base and history after a line was applied, under the record's locks. Answers whether
 * Retailos was written (Shopify's answer held more than the push: an edit of another field meanwhile).
 */
async function settleBase(
  deps: CoreDeps,
  tx: Queryable,
  a: AnyAdapter,
  row: BulkRow,
  line: BulkLine,
  pushed: RemoteState,
  base: SyncBaseRow | undefined,
  version: number | undefined,
): Promise<boolean> {
  const now = deps.clock.now();
  const after = a.remoteSnapshot(pushed);
  const hash = snapshotHash(after);
  const conflicts = line.conflicts as Conflict[];
  const outcome = conflicts.length > 0 ? 'merged' : 'applied';
  const entry = (direction: 'inbound' | 'outbound', before: unknown): HistoryEntry => ({
    ...historyEntry(
      a,
      direction,
      'reconcile',
      'update',
      line.localId,
      pushed.gid,
      before as Json,
      after,
      conflicts,
      outcome,
    ),
    cause: line.cause,
  });
  const entries: HistoryEntry[] = [];
  let wroteLocal = false;
  const ours = (h: string | null | undefined) => h === line.pushedHash;
  if (base && base.hash === line.baseHash) {
    if (version === line.localVersion) {
      wroteLocal = !same(after, line.localSnapshot);
      if (wroteLocal) {
        await a.writeLocal(tx, row.tenantId, pushed, line.localId, now);
        entries.push(entry('inbound', line.localSnapshot));
      }
      const links = a.baseLinks?.(pushed);
      const write = {
        localId: line.localId,
        gid: pushed.gid,
        hash,
        snapshot: after,
        remoteUpdatedAt: pushed.updatedAt,
      };
      await upsertSyncBase(
        tx,
        row.tenantId,
        row.entity,
        [links === undefined ? write : { ...write, links }],
        now,
      );
      await markPushed(tx, row.tenantId, row.entity, line.localId, hash, now);
    } else {
      // Edited in Retailos meanwhile: the base becomes the state the push started from (as mergeBoth
      // does), the note stays, and live sync pushes the newer edit.
      const ancestor = {
        localId: line.localId,
        gid: pushed.gid,
        hash: snapshotHash(line.localSnapshot as Json),
        snapshot: line.localSnapshot,
        remoteUpdatedAt: pushed.updatedAt,
      };
      await upsertSyncBase(tx, row.tenantId, row.entity, [ancestor], now);
      // Its echo is ours up to Shopify's time of this write (migration 0047); an answer other than what
      // was sent means Shopify never held the sent state after the write: no echo to await.
      if (hash === line.pushedHash)
        await noteAnswered(tx, row.tenantId, row.entity, line.localId, hash, pushed.updatedAt);
      else await clearPushingNote(tx, row.tenantId, row.entity, line.localId, line.pushedHash);
    }
    entries.push(entry('outbound', line.remoteSnapshot));
  } else if (base && (ours(base.pushingHash) || ours(base.pushingPrevHash))) {
    // Synced meanwhile by something else (the note is still ours): the push happened, recorded here.
    entries.push(entry('outbound', line.remoteSnapshot));
  }
  // Else live sync applied the line's echo first and recorded it as the reconciliation's (the note's cause).
  await insertHistory(tx, row.tenantId, entries, now);
  return wroteLocal;
}
