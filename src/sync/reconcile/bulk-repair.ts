/**
 * The reconciliation's bulk repairs (decision 0008): a kind's repairs that push to Shopify, when there
 * are at least `min` of them, go by one bulk mutation instead of one call each. The records are read
 * again in batches (`nodes(ids:)`) just before the file is built, and a record that moved on either
 * side since the run read it is left to live sync (never backwards); live sync's own merge decides what
 * each line pushes. The group's row (every line) and the lines' echo notes are written in one
 * transaction before anything is staged; the mutation is named after the row, so a kill at any point
 * finds the operation again (or knows it was never created) and no line is sent twice. Results settle
 * line by line (bulk-settle.ts).
 */
import { openLetterKeys } from '../../db/reconcile-reads.ts';
import { entityKey } from '../../db/shopify-dead-letters.ts';
import {
  bulkKeys,
  insertBulk,
  openBulks,
  setBulkSubmitted,
  type BulkLine,
  type BulkRow,
} from '../../db/shopify-reconcile-bulk.ts';
import { pendingDifferences, settleDifference, type DifferenceRow } from '../../db/shopify-reconcile.ts';
import { getSyncBasesByGid, markPushing } from '../../db/shopify-sync-base.ts';
import type { CoreDeps } from '../../deps.ts';
import { snapshotHash } from '../../domain/shopify-map/index.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import { PermanentError } from '../../errors.ts';
import {
  BulkMutationRefusedError,
  submitBulkMutation,
  variablesParts,
  type BulkSession,
} from '../../shopify/bulk-mutation.ts';
import { limitedCall } from '../../shopify/limiter.ts';
import { syncAdapters } from '../continuous/adapters.ts';
import { mergeDecision } from '../continuous/sync-entity.ts';
import type { AnyAdapter, BulkPush, RemoteState } from '../entities/adapter.ts';
import type { ShopSession } from '../shop-session.ts';
import { dropGroup, finishBulk } from './bulk-settle.ts';
import { CAUSE_WORDS, type Cause } from './classify.ts';
import type { Seen } from './compare.ts';
import { readNow } from './read-nodes.ts';

/** The causes whose repair pushes a record both sides hold: the ones a bulk mutation can carry. */
const PUSHING: ReadonlySet<string> = new Set<Cause>(['retailos_changed', 'both_changed']);

/** A kind's pushes go by one bulk mutation when at least this many (decision 0008; fewer: one call each). */
export const RECONCILE_BULK_MIN = 25;

/** At most this many lines in one group (its variables file stays far under Shopify's 100 MB). */
export const BULK_GROUP_MAX = 2_000;

export interface BulkOptions {
  /** A group smaller than this goes one at a time. */
  min: number;
  wait: (ms: number) => Promise<void>;
  pollMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

interface RunRef {
  tenantId: string;
  id: string;
}

/** The bulk-mutation client's session: the run's own, its calls through the shop's budget (counted). */
export function bulkSessionOf(s: ShopSession): BulkSession {
  const limit = s.limit;
  return {
    cfg: s.cfg,
    shop: s.shop,
    accessToken: s.accessToken,
    ...(limit
      ? {
          via: (estimate, send) => limitedCall(limit.limiter, limit.tenantId, estimate, limit.priority, send),
        }
      : {}),
  };
}

/**
 * Repairs a kind's pushing differences by bulk mutation: first the groups a killed attempt left open
 * (found again, their results applied), then new groups of the pending ones. What is not carried by a
 * group (too few, a record gone, a merge that also writes Retailos) stays pending for the one-at-a-time
 * path that runs after. Returns how many differences it settled.
 */
export async function repairInBulk(
  deps: CoreDeps,
  session: ShopSession,
  run: RunRef,
  kind: MergedKind,
  opts: BulkOptions,
): Promise<number> {
  const a = syncAdapters(deps)[kind];
  const push = a.bulkPush;
  if (!push) return 0;
  const bulk = bulkSessionOf(session);
  let settled = 0;
  for (const row of await openBulks(deps.db, run.id, kind))
    settled += await finishBulk(deps, session, bulk, a, row, opts);
  const taken = await bulkKeys(deps.db, run.id, kind);
  const pending = (await pendingDifferences(deps.db, run.id, kind, Number.MAX_SAFE_INTEGER)).filter(
    (d) => PUSHING.has(d.cause) && d.localId !== null && d.gid !== null && !taken.has(d.key),
  );
  for (let i = 0; pending.length - i >= opts.min; i += BULK_GROUP_MAX) {
    const group = await prepareGroup(deps, session, a, push, run, pending.slice(i, i + BULK_GROUP_MAX), opts);
    settled += group.settled;
    if (!group.row) continue;
    await submit(deps, bulk, push, group.row, group.variables);
    settled += await finishBulk(deps, session, bulk, a, group.row, opts);
  }
  return settled;
}

/**
 * Reads the group's records again (batched), decides each one as live sync would, and — when at least
 * `min` lines remain — writes the group's row and the lines' echo notes in one transaction.
 */
async function prepareGroup(
  deps: CoreDeps,
  session: ShopSession,
  a: AnyAdapter,
  push: BulkPush<RemoteState, never>,
  run: RunRef,
  group: readonly DifferenceRow[],
  opts: BulkOptions,
): Promise<{ settled: number; row?: BulkRow; variables: Record<string, unknown>[] }> {
  const { db } = deps;
  const kind = a.entity;
  const letters = await openLetterKeys(
    db,
    run.tenantId,
    group.map((d) => entityKey(kind, d.localId as string, null)),
  );
  // A record behind an open dead letter is settled by the one-at-a-time path (it says so).
  const ds = group.filter((d) => !letters.has(entityKey(kind, d.localId as string, null)));
  const locals = await a.loadLocals(
    db,
    run.tenantId,
    ds.map((d) => d.localId as string),
    false,
  );
  const bases = await getSyncBasesByGid(
    db,
    run.tenantId,
    kind,
    ds.map((d) => d.gid as string),
  );
  const remotes = await readNow(
    session,
    a,
    push,
    ds.map((d) => ({ gid: d.gid as string, seen: d.seen as Seen, remote: d.remote })),
  );
  const decide = { deps, session, a, tenantId: run.tenantId, origin: 'reconcile' as const };
  const lines: BulkLine[] = [];
  const variables: Record<string, unknown>[] = [];
  let settled = 0;
  const leave = async (d: DifferenceRow, state: 'left_to_live_sync' | 'unchanged', why: string) => {
    await settleDifference(db, run.id, d, state, why);
    settled += 1;
  };
  for (const d of ds) {
    const seen = d.seen as Seen;
    const local = locals.get(d.localId as string);
    const base = bases.get(d.gid as string);
    const remote = remotes.get(d.gid as string);
    if ((local?.version ?? null) !== seen.localVersion)
      await leave(d, 'left_to_live_sync', 'left to live sync: edited in Retailos after the run read it');
    else if ((base?.hash ?? null) !== seen.baseHash)
      await leave(d, 'left_to_live_sync', 'left to live sync: synced after the run read it');
    else if (!remote || !local)
      continue; // gone from Shopify: the one-at-a-time path decides it
    else if (snapshotHash(a.remoteSnapshot(remote)) !== seen.remoteHash)
      await leave(d, 'left_to_live_sync', 'left to live sync: changed on Shopify after the run read it');
    else {
      const decided = await mergeDecision(decide, base, local, remote);
      if (decided === 'unchanged') {
        await leave(d, 'unchanged', 'already equal when repaired');
        continue;
      }
      const { m, localSnap, remoteSnap, echo } = decided;
      // Only pushes: a merge that also writes Retailos, or meets a push in flight, goes one at a time.
      if (!m.toRemote || m.toLocal || echo) continue;
      const merged = m.toPush ?? m.merged;
      const line = push.variables(merged, { gid: remote.gid, local: local as never, remote });
      if (setsTags(line)) continue; // a tag change goes one at a time, as deltas (see setsTags)
      variables.push(line);
      lines.push({
        key: d.key,
        localId: local.id,
        gid: remote.gid,
        cause: CAUSE_WORDS[d.cause as Cause],
        displayName: d.displayName,
        pushedHash: snapshotHash(m.merged),
        baseHash: base?.hash ?? null,
        localVersion: local.version,
        localSnapshot: localSnap,
        remoteSnapshot: remoteSnap,
        merged: merged,
        conflicts: m.conflicts,
      });
    }
  }
  if (lines.length < opts.min) return { settled, variables: [] };
  const runTag = run.id.replace(/-/g, '').slice(0, 12);
  const row = await db.transaction(async (tx) => {
    const r = await insertBulk(
      tx,
      { tenantId: run.tenantId, runId: run.id, entity: kind, lines },
      (id) => `RetailosRepair_${id}_${runTag}`,
      deps.clock.now(),
    );
    // Echo notes before anything is sent: the webhooks Shopify sends for each line are ours.
    for (const l of lines)
      await markPushing(tx, run.tenantId, kind, l.localId, l.pushedHash, l.localSnapshot, l.cause);
    return r;
  });
  return { settled, row, variables };
}

/**
 * Whether a line's input names `tags`. productSet's, customerSet's and orderUpdate's `tags` replace
 * Shopify's whole list, and a line runs seconds to minutes after the read it was built from: a tag a
 * merchant added on Shopify meanwhile would be written over. A line only names the fields that differ
 * from that read (Shopify leaves an omitted field as it is), so a record whose tags need no change is a
 * line without them; a record whose repair changes its tags stays out of the group and is repaired one
 * at a time by live sync's push, which reads Shopify within FRESH_READ_MS before it writes and sends
 * the change as tagsRemove / tagsAdd (customers and orders, tag-writes.ts; a product's push still sends
 * the list, in that window). Not a follow-up tag call after the line: a bulk line runs one root
 * field, so Shopify would hold the line's state without the tag change in between, a state neither
 * echo note names (its webhook read as a Shopify edit), and a kill between the two would need a third
 * step to resume. Tag repairs are few; their points stay one push each.
 */
export function setsTags(line: Record<string, unknown>): boolean {
  const input = line['input'];
  return (
    typeof input === 'object' && input !== null && (input as Record<string, unknown>)['tags'] !== undefined
  );
}

/** The mutation document under the group's operation name (it finds the operation again after a kill). */
export const namedMutation = (mutation: string, name: string): string =>
  mutation.replace(/^\s*mutation\s+[_A-Za-z][_0-9A-Za-z]*/, `mutation ${name}`);

/**
 * Stages, uploads and starts the group's mutation, and stores its id. Refused for good (a bad mutation
 * or file): nothing was created, so the group is dropped and its lines go one at a time.
 */
async function submit(
  deps: CoreDeps,
  bulk: BulkSession,
  push: BulkPush<RemoteState, never>,
  row: BulkRow,
  variables: readonly Record<string, unknown>[],
): Promise<void> {
  const parts = variablesParts(variables);
  try {
    const first = await parts.next();
    if (first.done) throw new PermanentError('a bulk repair group without lines', 'bulk_empty');
    const id = await submitBulkMutation(bulk, namedMutation(push.mutation, row.operationName), first.value);
    await setBulkSubmitted(deps.db, row.id, id);
    row.operationId = id;
    row.state = 'submitted';
    if (!(await parts.next()).done)
      throw new PermanentError(`bulk repair group ${row.id} is larger than one variables file`, 'bulk_file');
  } catch (err) {
    if (!(err instanceof BulkMutationRefusedError)) throw err;
    deps.logger.warn(
      { runId: row.runId, entity: row.entity, reason: err.message },
      'bulk repair refused: its records are repaired one at a time',
    );
    await dropGroup(deps, row);
  } finally {
    await parts.return(undefined);
  }
}
