import type { Logger } from 'pino';
import type { Clock } from '../../clock.ts';
import type { Db, Queryable } from '../../db/db.ts';
import {
  conflictsWon,
  dropConflictsOf,
  dropSettledConflicts,
  noteConflictsWon,
  type ConflictWon,
} from '../../db/shopify-conflicts-won.ts';
import { baseFromCreationNote, dropCreationNote, noteCreation } from '../../db/shopify-creations.ts';
import { gidsOf, localIdsOf, unlinkLocal } from '../../db/shopify-id-map.ts';
import {
  clearPushingNote,
  deleteSyncBase,
  getSyncBase,
  getSyncBaseByGid,
  lockSyncBase,
  markPushed,
  markPushing,
  noteAnswered,
  notePushedOver,
  upsertSyncBase,
  type SyncBaseRow,
} from '../../db/shopify-sync-base.ts';
import { insertHistory, type HistoryEntry, type HistoryOrigin } from '../../db/shopify-sync-history.ts';
import { fieldDiff } from '../../domain/diff.ts';
import { threeWayMerge, type Conflict, type MergeInput, type WinnerOf } from '../../domain/merge.ts';
import { topLevelKey } from '../../domain/merge-json.ts';
import { fieldEditTimes } from '../../db/changes.ts';
import { restoredOnto, withoutElementKeys, type PushedOver } from '../../domain/overwritten-edit.ts';
import { canonicalJson, snapshotHash, type Json } from '../../domain/shopify-map/index.ts';
import { ThrottledError } from '../../errors.ts';
import type { ShopSession } from '../shop-session.ts';
import type {
  AdapterMerge,
  EntityAdapter,
  KeptOnShopify,
  LocalState,
  RemoteState,
} from '../entities/adapter.ts';
import { refusedAsGone } from '../entities/shopify-write.ts';
import { keyedSnapshot, OVERWRITTEN_EDIT, overwritten, pushedOver } from './overwritten-push.ts';
import { CONFLICT_KEPT_MS, provesOlder, reopenedCause, reopenedOnto, stillWon } from './reopened-conflict.ts';
import {
  inShopifySecond,
  laterFieldEdit,
  shopifyFieldTimes,
  type ShopifyFieldTime,
  type PushedRead,
} from './shopify-edit-time.ts';

export interface SyncDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

/** Why we look at an entity: a local change to push, or what a webhook said Shopify now holds. */
export type SyncTrigger<R> =
  | { origin: 'push' }
  /**
   * `triggeredAt`: the delivery's X-Shopify-Triggered-At (finer than `updatedAt`'s whole seconds).
   * `untold`: snapshot keys the delivery does not carry (a customers/update has no tags), whose values in
   * `remote` are placeholders: such a state only tells a Shopify edit our push overwrote, else Shopify
   * is read.
   */
  | { origin: 'webhook'; remote: R; triggeredAt?: Date | null | undefined; untold?: readonly string[] }
  | { origin: 'webhook'; deleted: true };

export interface SyncTarget {
  localId?: string | null;
  gid?: string | null;
}

export type SyncOutcome =
  | 'unchanged' // both sides already equal the base (an echo of our own push, or nothing to do)
  | 'stale' // a webhook older than what we already hold
  | 'applied' // written to one or both sides
  | 'deleted'
  | 'waiting' // a local deletion the push job will carry out
  | 'linked' // Shopify's new record linked to our creation of it: the creating push stores its base
  | 'awaiting_creation'; // Shopify's new record may be a keyless creation of ours in flight: not copied yet

export interface SyncResult {
  outcome: SyncOutcome;
  pushed: boolean;
  wroteLocal: boolean;
  conflicts: Conflict[];
}

/** Someone else changed the record between our read and our write: run the whole decision again. */
class ConcurrentChange extends Error {
  override name = 'ConcurrentChange';
}

/**
 * The session a push writes with: its calls go out now or not at all (LimitedCallOptions.noWait). Shopify
 * has no compare-and-set for productSet, customerSet or orderUpdate, so a write that waited for the
 * shop's budget or after a THROTTLED answer would land over a Shopify edit made since our read (issue
 * 16, chaos seed 3 op 268: a title edited on Shopify while our push of another title waited out a
 * throttle was overwritten). The push decides again on a fresh read after the wait instead.
 */
const sentNow = (session: ShopSession): ShopSession =>
  session.limit ? { ...session, limit: { ...session.limit, noWait: true } } : session;

const same = (a: Json | null, b: Json | null): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * When Shopify's state `hash` (as of Shopify's time `at`) is what a push of ours in flight writes (its
 * result not stored yet), the Retailos state that push was merged from; else undefined. Two such pushes
 * may overlap (a push job and a webhook's decision on two workers): the note of the one before is kept
 * too. A note whose push has its answer stands for that write only: the same state at a later Shopify
 * time is a Shopify edit that came back to it (migration 0047).
 */
function pushedFrom(base: SyncBaseRow, hash: string, at: Date): unknown {
  const ours = (h: string | null, answeredAt: Date | null) =>
    h != null && h === hash && (answeredAt === null || at.getTime() <= answeredAt.getTime());
  if (ours(base.pushingHash, base.pushingAnsweredAt)) return base.pushingBase ?? null;
  if (ours(base.pushingPrevHash, base.pushingPrevAnsweredAt)) return base.pushingPrevBase ?? null;
  return undefined;
}

/** True when Shopify's `remote` is the echo of the push in flight that the reconciliation noted with its cause. */
const echoOfReconcile = (base: SyncBaseRow, remote: Json): boolean =>
  base.pushingCause != null && base.pushingHash === snapshotHash(remote);

/** True when the Retailos record holds exactly the last synced state (no local edit since). */
export const localIsBase = <R extends RemoteState, L extends LocalState>(
  a: EntityAdapter<R, L>,
  local: L,
  base: SyncBaseRow,
): boolean => same(a.localSnapshot(local), base.snapshot as Json);
const result = (outcome: SyncOutcome, over: Partial<SyncResult> = {}): SyncResult => ({
  outcome,
  pushed: false,
  wroteLocal: false,
  conflicts: [],
  ...over,
});

/**
 * Brings one entity to the same state on both sides: load base, local and remote; merge three ways;
 * push what Shopify lacks; write what Retailos lacks; store the new base; write history. State-based,
 * so running it twice changes nothing the second time. Optimistic: when the record changes while we
 * decide, the whole decision runs again — after storing what a push already put on Shopify as the
 * base, so the next round never mistakes our own push for a newer Shopify edit.
 */
export async function syncEntity<R extends RemoteState, L extends LocalState>(
  deps: SyncDeps,
  session: ShopSession,
  a: EntityAdapter<R, L>,
  tenantId: string,
  target: SyncTarget,
  trigger: SyncTrigger<R>,
  /** Who decides, for the history, when not the trigger itself (the reconciliation, with its cause in words). */
  as?: { origin: HistoryOrigin; cause: string },
): Promise<SyncResult> {
  for (let attempt = 1; ; attempt += 1) {
    const run: Run<R, L> = {
      deps,
      session,
      a,
      tenantId,
      origin: as?.origin ?? trigger.origin,
      cause: as?.cause,
    };
    try {
      return await syncOnce(run, target, trigger);
    } catch (err) {
      if (!(err instanceof ConcurrentChange)) throw err;
      // Still throttled after five rounds: the throttle itself, transient, so the job retries later.
      if (attempt >= 5) throw err.cause instanceof ThrottledError ? err.cause : err;
      deps.logger.debug(
        { entity: a.entity, target, attempt },
        'record changed while syncing; deciding again',
      );
      // A webhook's state may be outdated by now: read Shopify instead — unless it holds a Shopify edit our
      // push overwrote (only the delivery tells it): the next round looks at it again.
      if (!run.overwritten) trigger = trigger.origin === 'webhook' ? { origin: 'push' } : trigger;
    }
  }
}

/** One decision about one entity: who asks, for which tenant, through which adapter, and why. */
export interface Run<R extends RemoteState, L extends LocalState> {
  deps: SyncDeps;
  session: ShopSession;
  a: EntityAdapter<R, L>;
  tenantId: string;
  origin: HistoryOrigin;
  cause?: string | undefined;
  /** Set when a webhook held a Shopify edit our last push overwrote (see `overwritten`). */
  overwritten?: boolean;
}

interface Loaded<R, L> {
  base: SyncBaseRow | undefined;
  localId: string | null;
  gid: string | null;
  local: L | undefined;
  remote: R | undefined;
  /** When `remote` was read from Shopify (ms, the clock's); undefined: it came with a webhook. */
  readAt?: number | undefined;
  /** The clock just before that read was sent (ms). */
  readSince?: number | undefined;
  /**
   * Shopify's state with a Shopify edit our last push overwrote merged back (see `overwritten`), or with
   * the Retailos values of conflicts a late delivery reopened (see `reopenConflicts`).
   */
  restored?: Json | undefined;
  /** Sync History's cause of `restored`, when not the overwritten edit's. */
  cause?: string | undefined;
}

/**
 * How old our read of Shopify may be when a push writes over it. Shopify has no compare-and-set for
 * productSet, customerSet or orderUpdate: a Shopify edit made between our read and our write is
 * overwritten, and when its webhook is folded into our write's (Shopify debounces) nothing tells us
 * afterwards. So a push whose read is older than this (a webhook's state always is) reads again and,
 * if Shopify changed meanwhile, decides again.
 */
export const FRESH_READ_MS = 50;

async function load<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  target: SyncTarget,
  trigger: SyncTrigger<R>,
): Promise<Loaded<R, L> | 'stale'> {
  const { deps, session, a, tenantId } = run;
  const db = deps.db;
  let base = target.localId
    ? await getSyncBase(db, tenantId, a.entity, target.localId)
    : target.gid
      ? await getSyncBaseByGid(db, tenantId, a.entity, target.gid)
      : undefined;
  let localId = target.localId ?? base?.localId ?? null;
  let gid = target.gid ?? base?.gid ?? null;
  if (!localId && gid) localId = (await localIdsOf(db, tenantId, a.entity, [gid])).get(gid) ?? null;
  if (!gid && localId) gid = (await gidsOf(db, tenantId, a.entity, [localId])).get(localId) ?? null;
  if (!base && localId) base = await getSyncBase(db, tenantId, a.entity, localId);
  const local = localId ? await a.loadLocal(db, tenantId, localId, false) : undefined;
  let remote: R | undefined;
  let readAt: number | undefined;
  let readSince: number | undefined;
  if (trigger.origin === 'webhook' && 'remote' in trigger) {
    const hint = trigger.remote;
    const lost = base ? overwritten(a, base, hint, trigger.triggeredAt, trigger.untold) : undefined;
    if (lost && base) {
      // Shopify's state now, with the edit our push overwrote merged back (a later Shopify edit stays).
      const readSince = deps.clock.now().getTime();
      const now = await a.readRemote(session, hint.gid);
      const over = base.pushedOver as PushedOver;
      const restored = now && restoredOnto(a.rules, over.wrote, keyedSnapshot(a, now), lost);
      const readAt = deps.clock.now().getTime();
      return {
        base,
        localId,
        gid,
        local,
        remote: now,
        readAt,
        readSince,
        restored: restored && withoutElementKeys(restored),
      };
    }
    const known = base?.remoteUpdatedAt?.getTime();
    if (known !== undefined && hint.updatedAt.getTime() < known) {
      const reopened = base && local && (await reopenConflicts(run, base, local, hint, trigger.untold));
      return reopened ? { ...reopened, localId, gid } : 'stale';
    }
    if (trigger.untold?.length) return load(run, target, { origin: 'push' }); // not whole: read it
    // Same second as what we hold but different content: Shopify's timestamps have second precision,
    // so the order of the two is unknown. Read the current state instead of trusting either — unless it
    // is exactly what our own push wrote (its echo, after a push stored its common ancestor as the base).
    const hash = snapshotHash(a.remoteSnapshot(hint));
    const ambiguous =
      known !== undefined &&
      hint.updatedAt.getTime() === known &&
      hash !== base?.hash &&
      (base === undefined || pushedFrom(base, hash, hint.updatedAt) === undefined);
    if (ambiguous) readSince = deps.clock.now().getTime();
    remote = ambiguous ? await a.readRemote(session, hint.gid) : hint;
    if (ambiguous) readAt = deps.clock.now().getTime();
  } else if (trigger.origin === 'webhook') {
    remote = undefined;
  } else {
    readSince = deps.clock.now().getTime();
    remote = gid ? await a.readRemote(session, gid) : undefined;
    readAt = deps.clock.now().getTime();
  }
  return { base, localId, gid, local, remote, readAt, readSince };
}

/**
 * A delivery older than the base that proves a field conflict Shopify won wrongly decided (see
 * reopened-conflict.ts): it carries the value Shopify won with from a second before the Retailos edit
 * that lost, and neither side has changed the field since (Retailos, the base and Shopify now all hold
 * that value). Then Shopify's current state, with the Retailos values of those fields merged as its side
 * (as an overwritten edit is), so the decision restores them in Retailos (if lost there) and pushes them
 * through the usual path (echo note, history with the cause). Undefined: the delivery is just stale.
 */
async function reopenConflicts<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  base: SyncBaseRow,
  local: L,
  hint: R,
  untold: readonly string[] | undefined,
): Promise<Omit<Loaded<R, L>, 'localId' | 'gid'> | undefined> {
  const { deps, session, a, tenantId } = run;
  const since = new Date(deps.clock.now().getTime() - CONFLICT_KEPT_MS);
  const won = await conflictsWon(deps.db, tenantId, a.entity, [base.localId], since);
  const snap = a.remoteSnapshot(hint);
  const localSnap = a.localSnapshot(local);
  const baseSnap = base.snapshot as Json;
  const proved = (list: readonly ConflictWon[]) =>
    list.filter(
      (c) => provesOlder(c, snap, hint.updatedAt, untold) && stillWon(c, localSnap) && stillWon(c, baseSnap),
    );
  if (proved(won).length === 0) return undefined;
  const readSince = deps.clock.now().getTime();
  const now = await a.readRemote(session, hint.gid);
  const readAt = deps.clock.now().getTime();
  if (!now) return undefined;
  const theirs = a.remoteSnapshot(now);
  const reopened = proved(won).filter((c) => stillWon(c, theirs));
  if (reopened.length === 0) return undefined;
  return {
    base,
    local,
    remote: now,
    readAt,
    readSince,
    restored: reopenedOnto(theirs, reopened),
    cause: reopenedCause(reopened, hint.updatedAt),
  };
}

async function syncOnce<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  target: SyncTarget,
  trigger: SyncTrigger<R>,
): Promise<SyncResult> {
  const loaded = await load(run, target, trigger);
  if (loaded === 'stale') return result('stale');
  if (loaded.restored !== undefined) {
    run.overwritten = true;
    run.cause ??= loaded.cause ?? OVERWRITTEN_EDIT;
  }
  const { base, local, remote } = loaded;
  if (!local && !remote) {
    // Deleted in Retailos before its creation was linked: its creation note goes (nothing retries it).
    if (!base && loaded.localId)
      await dropCreationNote(run.deps.db, run.tenantId, run.a.entity, loaded.localId);
    // Deleted on both sides since the last sync: nothing is left to do on either, but the deletion
    // synced, so Sync History says so (chaos seed 5: the two deletions had no entry).
    if (base)
      await run.deps.db.transaction(async (tx) => {
        await forget(run, tx, base.localId);
        const direction = trigger.origin === 'webhook' ? 'inbound' : 'outbound';
        const before = base.snapshot as Json;
        const e = entry(run, direction, 'delete', base.localId, base.gid, before, null);
        await history(run, tx, run.deps.clock.now(), [{ ...e, cause: e.cause ?? DELETED_ON_BOTH }]);
      });
    return result('unchanged');
  }
  if (!local && remote) {
    if (!base) {
      // A webhook's state of a record Retailos does not hold may be older than the record's deletion
      // (ours: its base went with it; chaos seed 1 op 94 saw a product our push had just deleted come
      // back from an older products/update): a record is created only from what Shopify holds now.
      if (loaded.readAt !== undefined) return createLocal(run, remote);
      const now = await run.a.readRemote(run.session, remote.gid);
      return now ? createLocal(run, now) : result('unchanged');
    }
    // Deleted in Retailos after the last sync: the push job deletes it on Shopify.
    if (trigger.origin === 'webhook') return result('waiting');
    return deleteRemote(run, base, remote);
  }
  const l = local as L;
  if (!remote) {
    if (loaded.gid) return deleteLocal(run, l, loaded.gid);
    if (run.a.createsRemote === false) return result('unchanged');
    return createRemote(run, l);
  }
  return mergeBoth(run, base, l, remote, loaded, loaded.restored);
}

async function deleteRemote<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  base: SyncBaseRow,
  remote: R,
): Promise<SyncResult> {
  const { deps, session, a } = run;
  const refused = a.deletesRemote === false ? undefined : await a.deleteRemote(session, remote.gid);
  if (refused) return restoreLocal(run, base, remote, refused);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await forget(run, tx, base.localId);
    const before = a.remoteSnapshot(remote);
    await history(run, tx, now, [entry(run, 'outbound', 'delete', base.localId, remote.gid, before, null)]);
  });
  return result('deleted', { pushed: true });
}

/**
 * Shopify keeps the record for good (it refused the deletion, e.g. a customer with orders): Retailos
 * takes it back as Shopify holds it, under the same id and links, and Sync History says why.
 */
async function restoreLocal<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  base: SyncBaseRow,
  remote: R,
  kept: KeptOnShopify,
): Promise<SyncResult> {
  const { deps, a, tenantId } = run;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (await a.loadLocal(tx, tenantId, base.localId, true)) throw new ConcurrentChange('restored meanwhile');
    await a.writeLocal(tx, tenantId, remote, base.localId, now);
    await kept.restore?.(tx, tenantId, base.localId);
    await setBase(run, tx, base.localId, remote, now);
    const snap = a.remoteSnapshot(remote);
    const why = { ...run, cause: kept.kept };
    const restored = entry(why, 'inbound', 'create', base.localId, remote.gid, null, snap);
    await history(run, tx, now, [restored]);
  });
  return result('applied', { wroteLocal: true });
}

async function createLocal<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  remote: R,
): Promise<SyncResult> {
  const { deps, a, tenantId } = run;
  const now = deps.clock.now();
  const snap = a.remoteSnapshot(remote);
  const waits = await deps.db.transaction(async (tx) => {
    const known = (await localIdsOf(tx, tenantId, a.entity, [remote.gid])).get(remote.gid);
    if (known) throw new ConcurrentChange('created meanwhile');
    // Our own creation, its push not yet linked (the webhook came first): link it, never copy it.
    const mine = await a.unlinkedMatch?.(tx, tenantId, remote);
    if (mine) {
      await a.linkLocal(tx, tenantId, remote, mine, now);
      // Its base is what the creation sent, so a push retried after a lost answer merges three ways.
      await baseFromCreationNote(tx, tenantId, a.entity, mine, remote.createdAt ?? null, now);
      return 'linked';
    }
    if (await a.mayBeOwnCreation?.(tx, tenantId, remote, now)) return 'awaiting_creation';
    // The push may have linked it while we waited for the record's lock: decide again.
    if (a.unlinkedMatch && (await localIdsOf(tx, tenantId, a.entity, [remote.gid])).has(remote.gid))
      throw new ConcurrentChange('linked meanwhile');
    const id = await a.writeLocal(tx, tenantId, remote, null, now);
    await setBase(run, tx, id, remote, now);
    await history(run, tx, now, [entry(run, 'inbound', 'create', id, remote.gid, null, snap)]);
    return undefined;
  });
  return waits ? result(waits) : result('applied', { wroteLocal: true });
}

async function deleteLocal<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  local: L,
  gid: string,
): Promise<SyncResult> {
  const { deps, a, tenantId } = run;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const current = await a.loadLocal(tx, tenantId, local.id, true);
    if (current?.version !== local.version) throw new ConcurrentChange('local changed');
    await a.deleteLocal(tx, tenantId, local.id, now);
    await forget(run, tx, local.id);
    const before = a.localSnapshot(local);
    await history(run, tx, now, [entry(run, 'inbound', 'delete', local.id, gid, before, null)]);
  });
  return result('deleted', { wroteLocal: true });
}

async function createRemote<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  local: L,
): Promise<SyncResult> {
  const { deps, session, a, tenantId } = run;
  const snap = a.localSnapshot(local);
  // Made by an earlier attempt of this creation whose answer was lost. Holding what we would send, it is
  // taken as this push's answer. Else it is linked, with the snapshot that attempt noted as its base
  // (both sides grew from it), then merged as any linked record: three ways, so an edit made on either
  // side since is kept (issue 16, chaos seed 16 op 931: a tag added in Retailos was lost to a last name
  // edited on Shopify). Sent again, the creation would overwrite it, Shopify edits made since and a
  // product's variants (deleted and made again). With no note (sent before notes were kept) there is no
  // base: each field goes to its later edit, on either side.
  const earlier = await a.findCreated?.(session, local);
  if (earlier && !same(a.remoteSnapshot(earlier), snap)) {
    const linked = await deps.db.transaction(async (tx) => {
      const owner = (await localIdsOf(tx, tenantId, a.entity, [earlier.gid])).get(earlier.gid);
      const now = deps.clock.now();
      if (owner === undefined) await a.linkLocal(tx, tenantId, earlier, local.id, now);
      const mine = owner === undefined || owner === local.id;
      if (mine) await baseFromCreationNote(tx, tenantId, a.entity, local.id, earlier.createdAt ?? null, now);
      return mine;
    });
    if (linked) throw new ConcurrentChange('made on Shopify by an earlier attempt of this creation');
  }
  const found = earlier && same(a.remoteSnapshot(earlier), snap) ? earlier : undefined;
  // Noted, committed, before it is sent: if the answer is lost, the retry links what this made with it
  // as the base. An attempt that found nothing replaces the note of one that never reached Shopify.
  if (!found) {
    const note = { hash: snapshotHash(snap), snapshot: snap, sentAt: deps.clock.now() };
    await noteCreation(deps.db, tenantId, a.entity, local.id, note);
  }
  const pushed = found ?? (await a.pushRemote(session, snap, { gid: null, local, remote: undefined }));
  const now = deps.clock.now();
  const meanwhile = await deps.db.transaction(async (tx) => {
    const current = await a.loadLocal(tx, tenantId, local.id, true);
    // Deleted or edited meanwhile: what we created is still linked (and becomes the base), so the
    // deletion is carried out on it and the edit merged into it — never created a second time by a
    // key the edit may have changed. Else Retailos takes what Shopify holds now.
    const changed = !current ? 'deleted' : current.version !== local.version ? 'edited' : undefined;
    if (changed) await a.linkLocal(tx, tenantId, pushed, local.id, now);
    else await a.writeLocal(tx, tenantId, pushed, local.id, now);
    await setBase(run, tx, local.id, pushed, now, true);
    await dropCreationNote(tx, tenantId, a.entity, local.id);
    const after = a.remoteSnapshot(pushed);
    const created = entry(
      { ...run, origin: run.origin === 'reconcile' ? 'reconcile' : 'push' },
      'outbound',
      'create',
      local.id,
      pushed.gid,
      null,
      after,
    );
    await history(run, tx, now, [created]);
    return changed;
  });
  if (meanwhile === 'edited') throw new ConcurrentChange('local changed during create');
  if (meanwhile === 'deleted') {
    const base = await getSyncBase(deps.db, tenantId, a.entity, local.id);
    if (base) return deleteRemote(run, base, pushed);
  }
  return result('applied', { pushed: true, wroteLocal: true });
}

async function mergeBoth<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  base: SyncBaseRow | undefined,
  local: L,
  remote: R,
  { readAt, readSince }: { readAt?: number | undefined; readSince?: number | undefined },
  restored?: Json,
): Promise<SyncResult> {
  const { deps, session, a, tenantId } = run;
  const decided = await mergeDecision(run, base, local, remote, restored);
  if (decided === 'unchanged') return result('unchanged');
  const { m, baseSnap, localSnap, remoteSnap, echoFrom, echo } = decided;
  // A repair of the reconciliation notes its cause: its echo, applied by live sync before this push
  // stores its result, is then recorded as the reconciliation's, not as a push of live sync's.
  const cause = run.origin === 'reconcile' ? (run.cause ?? null) : null;
  if (m.toRemote && base)
    await markPushing(deps.db, tenantId, a.entity, local.id, snapshotHash(m.merged), localSnap, cause);
  // Shopify's state our write goes over (its time is the latest we know that state by), and when the
  // read that told it was sent.
  let read = remote;
  let since = readSince ?? 0;
  if (m.toRemote && (readAt === undefined || deps.clock.now().getTime() - readAt > FRESH_READ_MS)) {
    since = deps.clock.now().getTime();
    const now = await a.readRemote(session, remote.gid);
    if (!now || !same(a.remoteSnapshot(now), remoteSnap))
      throw new ConcurrentChange('changed on Shopify since our read');
    read = now;
  }
  let final: R;
  try {
    final = m.toRemote
      ? await a.pushRemote(sentNow(session), m.toPush ?? m.merged, { gid: remote.gid, local, remote })
      : remote;
  } catch (err) {
    if (err instanceof ThrottledError && session.limit) {
      // Not sent: the shop's budget or Shopify said wait. After the wait, read and decide again.
      await session.limit.limiter.pause(err.retryAfterMs);
      throw new ConcurrentChange('throttled after our read', { cause: err });
    }
    return goneDuringPush(run, local, remote, err);
  }
  const finalSnap = a.remoteSnapshot(final);
  const toLocal = !same(finalSnap, localSnap);
  const now = deps.clock.now();
  const update = (
    direction: 'inbound' | 'outbound',
    before: Json,
    outcome: 'applied' | 'merged' = 'applied',
  ): HistoryEntry =>
    entry(run, direction, 'update', local.id, final.gid, before, finalSnap, m.conflicts, outcome);
  const stale = await deps.db.transaction(async (tx) => {
    const current = await a.loadLocal(tx, tenantId, local.id, true);
    const lockedBase = await lockSyncBase(tx, tenantId, a.entity, local.id);
    if (lockedBase !== base?.hash) throw new ConcurrentChange('the base changed');
    if (current?.version !== local.version) {
      // Edited in Retailos while we pushed; the local record is left alone. The base becomes the
      // Retailos state this push started from, as of Shopify's time of our write: it is what both sides
      // grew from. Shopify's state as the base would tell the next round that Retailos already holds
      // the Shopify edits this push carried along (it does not: they would be pushed back out), the old
      // base that our own push is a newer Shopify edit. Against it the next round applies those to
      // Retailos and pushes the newer Retailos edit.
      if (m.toRemote) {
        await setAncestorBase(run, tx, local.id, final, localSnap, now);
        // The note stays for this write's echo, as of Shopify's time of it; a Shopify answer other than
        // what we sent (see below) means Shopify never held that state after our write: no echo to await.
        const sent = snapshotHash(m.merged);
        if (same(finalSnap, m.merged))
          await noteAnswered(tx, tenantId, a.entity, local.id, sent, final.updatedAt);
        else await clearPushingNote(tx, tenantId, a.entity, local.id, sent);
        await notePushedOver(tx, tenantId, a.entity, local.id, pushedOver(a, read, since, final, now));
        await history(run, tx, now, [update('outbound', remoteSnap)]);
      }
      return true;
    }
    if (toLocal) await a.writeLocal(tx, tenantId, final, local.id, now);
    await setBase(run, tx, local.id, final, now, m.toRemote);
    // Shopify answered another state than the one we sent (a Shopify edit made between our read and
    // our write that the write kept, e.g. a tag, since tags go as deltas): Shopify never held what we
    // sent after our write, so a later state equal to it is Shopify's edit, not our echo.
    if (m.toRemote && !same(finalSnap, m.merged))
      await clearPushingNote(tx, tenantId, a.entity, local.id, snapshotHash(m.merged));
    if (m.toRemote)
      await notePushedOver(tx, tenantId, a.entity, local.id, pushedOver(a, read, since, final, now));
    const kind = m.conflicts.length > 0 ? 'merged' : 'applied';
    const entries: HistoryEntry[] = [];
    if (echo && !m.toRemote && base) {
      // Our own push reached Shopify but its run ended before recording it (a killed process, a lost
      // answer): this round finds it there and records it, so no synced change goes without its entry.
      // (A push that recorded itself while its record was edited left its common ancestor as the base.)
      // A push the reconciliation made (its bulk repair, decision 0008) is recorded as the reconciliation's.
      const by = echoOfReconcile(base, remoteSnap)
        ? { ...run, origin: 'reconcile' as const, cause: base.pushingCause ?? undefined }
        : { ...run, origin: 'push' as const };
      if (!same(baseSnap, echoFrom as Json))
        entries.push(entry(by, 'outbound', 'update', local.id, remote.gid, baseSnap, remoteSnap));
      await markPushed(tx, tenantId, a.entity, local.id, snapshotHash(remoteSnap), now);
    }
    if (toLocal) entries.push(update('inbound', localSnap, kind));
    if (m.toRemote) entries.push(update('outbound', remoteSnap, kind));
    const ids = await history(run, tx, now, entries);
    const carrying = ids.find((_, i) => entries[i]?.conflicts === m.conflicts) ?? null;
    await noteWon(run, tx, local.id, decided, base, finalSnap, carrying, now);
    return false;
  });
  if (stale) throw new ConcurrentChange('the local record changed during the push');
  return result(toLocal || m.toRemote ? 'applied' : 'unchanged', {
    pushed: m.toRemote,
    wroteLocal: toLocal,
    conflicts: m.conflicts,
  });
}

/** Live sync's merge decision about one record both sides hold, before anything is written. */
export interface MergeDecision {
  m: AdapterMerge;
  baseSnap: Json | null;
  localSnap: Json;
  remoteSnap: Json;
  /** The Retailos state a push in flight started from, when Shopify holds what it writes (its echo). */
  echoFrom: unknown;
  echo: boolean;
  /** Each conflicted path's edit times as decided (Retailos's edit, Shopify's bound). */
  times?: ReadonlyMap<string, FieldTimes> | undefined;
}

/** The two sides' edit times of one conflicted field, as `fieldWinners` decided it. */
export interface FieldTimes {
  local: Date;
  shopify: Date;
}

/**
 * The three-way merge of base, Retailos and Shopify as live sync decides it (echo of a push in flight,
 * same-second tie, per-field edit times); 'unchanged' when both sides equal the base. Writes nothing:
 * `mergeBoth` and the reconciliation's bulk repairs (reconcile/bulk-repair.ts) act on it.
 */
export async function mergeDecision<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  base: SyncBaseRow | undefined,
  local: L,
  remote: R,
  /** Shopify's state with an edit our last push overwrote merged back: merged as Shopify's side. */
  restored?: Json,
): Promise<MergeDecision | 'unchanged'> {
  const { deps, a, tenantId } = run;
  const baseSnap = (base?.snapshot ?? null) as Json | null;
  const localSnap = a.localSnapshot(local);
  const remoteSnap = a.remoteSnapshot(remote);
  const theirs = restored ?? remoteSnap;
  if (base && same(localSnap, baseSnap) && same(theirs, baseSnap)) return 'unchanged';
  // Shopify holds exactly what a push in flight is writing: that is our own echo, arrived before the
  // push stored it as the base. Merging against the older base would take it for a Shopify edit and,
  // most recent wins, could overwrite a Retailos edit made since with the older state we pushed. The
  // Retailos state that push started from is the common ancestor: against it, an edit made in Retailos
  // since shows as Retailos's, and a Shopify edit the push carried along as Shopify's.
  const echoFrom = base ? pushedFrom(base, snapshotHash(remoteSnap), remote.updatedAt) : undefined;
  const echo = echoFrom !== undefined;
  const input = {
    base: echo ? ((echoFrom ?? remoteSnap) as Json) : baseSnap,
    local: localSnap,
    remote: theirs,
    localUpdatedAt: local.updatedAt,
    remoteUpdatedAt: remote.updatedAt,
  };
  const merge = (over: Partial<MergeInput>): Promise<AdapterMerge> | AdapterMerge =>
    a.merge
      ? a.merge(deps.db, tenantId, { ...input, ...over }, { base, local, remote })
      : threeWayMerge(a.rules, { ...input, ...over });
  // Shopify's times have second precision: a Retailos edit in the same second as Shopify's state is a
  // tie, and a tie goes to Shopify (merge.ts). A field changed on both sides is then decided by its own
  // edit times, not the record's (fieldWinners): an edit of another field since must not make an older
  // edit of this one look later.
  const tie = inShopifySecond(local.updatedAt, remote.updatedAt);
  let m = await merge(tie ? { remoteUpdatedAt: local.updatedAt } : {});
  let times: ReadonlyMap<string, FieldTimes> | undefined;
  if (m.conflicts.length > 0) {
    const decided = await fieldWinners(run, base, local, remote, m.conflicts);
    times = decided.times;
    m = await merge({ winnerOf: decided.winnerOf });
  }
  // Shopify holds `remoteSnap`, not what was merged as its side: written whenever the merge differs.
  if (restored !== undefined) m = { ...m, toRemote: !same(m.merged, remoteSnap) };
  return { m, baseSnap, localSnap, remoteSnap, echoFrom, echo, times };
}

/**
 * Which side edited each conflicted top-level field last, by that field's own times: Retailos's from the
 * change rows naming it (else the record's time), Shopify's bound from the earliest delivery carrying its
 * current value (else the state's time). Same rule as the record's (laterFieldEdit). An element of a keyed
 * list (`variants[<GID>]`) and each field of it are decided by their own times on both sides, else by
 * the element's, else the list's: one variant's edit (or another field's) must not make an older edit of
 * this one look later. One query for Shopify's side, two for Retailos's.
 */
async function fieldWinners<R extends RemoteState, L extends LocalState>(
  { deps, a, tenantId }: Run<R, L>,
  base: SyncBaseRow | undefined,
  local: L,
  remote: R,
  conflicts: readonly Conflict[],
): Promise<{ winnerOf: WinnerOf; times: Map<string, FieldTimes> }> {
  const keys = [...new Set(conflicts.map((c) => topLevelKey(c.path)))];
  const theirs = await shopifyFieldTimes(
    deps.db,
    tenantId,
    a.entity,
    remote,
    keys,
    (r) => a.remoteSnapshot(r as R),
    base?.remoteUpdatedAt,
    a.remoteElements && ((r) => (a.remoteElements as (r: R) => ReadonlyMap<string, Json>)(r as R)),
    pushedRead(base),
  );
  // Retailos names an element by its own id (`variants[<variant id>]`): the merge's path, translated.
  const elementKeys = (await a.localElementKeys?.(deps.db, tenantId, local)) ?? new Map<string, string>();
  const mineOf = (path: string): string | undefined => {
    const m = /^([^.[]+\[[^\]]*\])(.*)$/.exec(path);
    const own = m ? elementKeys.get(m[1] as string) : undefined;
    return m && own !== undefined ? `${own}${m[2] as string}` : undefined;
  };
  const paths = [...theirs.keys()];
  const localKeys = [...new Set([...keys, ...paths.flatMap((p) => mineOf(p) ?? [])])];
  const mine = await fieldEditTimes(deps.db, tenantId, a.entity, local.id, localKeys);
  const localAt = (path: string): Date => {
    const element = /^[^.[]+\[[^\]]*\]/.exec(path)?.[0];
    const own = [mineOf(path), element && mineOf(element)].flatMap((k) => (k ? (mine.get(k) ?? []) : []));
    return own[0] ?? mine.get(topLevelKey(path)) ?? local.updatedAt;
  };
  const record = laterFieldEdit(local.updatedAt, { at: remote.updatedAt });
  const winners = new Map(
    paths.map((path) => [path, laterFieldEdit(localAt(path), theirs.get(path) as ShopifyFieldTime)]),
  );
  const times = new Map(
    paths.map((path) => [path, { local: localAt(path), shopify: (theirs.get(path) as ShopifyFieldTime).at }]),
  );
  return { winnerOf: (path) => winners.get(path) ?? (path.includes('[') ? undefined : record), times };
}

/**
 * The read and write of the push that set the base, for the Shopify field times (shopify-edit-time.ts):
 * none once a later Shopify state became the base (its note is kept until the next push).
 */
function pushedRead(base: SyncBaseRow | undefined): PushedRead | undefined {
  const over = base?.pushedOver as PushedOver | null | undefined;
  if (!over || !base?.remoteUpdatedAt || base.remoteUpdatedAt.getTime() > over.wroteAt) return undefined;
  return { read: over.read, wrote: over.wrote, readAt: new Date(over.readAt) };
}

/**
 * After a decision that left `finalSnap` on both sides: drops the record's noted conflicts whose field
 * holds another value now (changed on either side, or reopened) and the tenant's expired ones, then notes
 * each top-level field conflict Shopify won here, with both sides' times, so a late delivery can reopen
 * it (reopenConflicts; migration 0048). A conflict inside a keyed list (`variants[…].price`) is not noted.
 */
async function noteWon<R extends RemoteState, L extends LocalState>(
  { a, tenantId }: Run<R, L>,
  tx: Queryable,
  localId: string,
  { m, times }: MergeDecision,
  base: SyncBaseRow | undefined,
  finalSnap: Json,
  historyId: number | null,
  now: Date,
): Promise<void> {
  await dropSettledConflicts(
    tx,
    tenantId,
    a.entity,
    localId,
    finalSnap,
    new Date(now.getTime() - CONFLICT_KEPT_MS),
  );
  const won = m.conflicts.flatMap((c) => {
    const at = times?.get(c.path);
    if (c.winner !== 'remote' || c.path !== topLevelKey(c.path) || !at) return [];
    const field = { entity: a.entity, localId, field: c.path, won: c.remote, lost: c.local };
    if (!stillWon(field, finalSnap)) return [];
    return [
      {
        ...field,
        localEditAt: at.local,
        shopifyBound: at.shopify,
        baseAt: base?.remoteUpdatedAt ?? null,
        historyId,
      },
    ];
  });
  await noteConflictsWon(tx, tenantId, won, now);
}

/** The Sync History's words for a record deleted on both sides before either deletion synced. */
export const DELETED_ON_BOTH =
  'Deleted on both sides: each deletion found the record already gone on the other, nothing left to delete';

/** The Sync History's words for a record deleted on Shopify while Retailos pushed an edit of it. */
export const DELETED_DURING_PUSH =
  'Deleted on Shopify while Retailos was sending an edit: the deletion wins (the edit is kept in this entry)';

/**
 * Shopify refused the push because the record is not there. Read it: gone (deleted on Shopify while we
 * pushed) → the deletion is applied as its webhook applies it, no dead letter (the webhook, when it
 * comes, finds nothing left to do); changed meanwhile (e.g. a variant deleted) → decide again; else the
 * refusal stands.
 */
async function goneDuringPush<R extends RemoteState, L extends LocalState>(
  run: Run<R, L>,
  local: L,
  remote: R,
  err: unknown,
): Promise<SyncResult> {
  if (!refusedAsGone(err)) throw err;
  const current = await run.a.readRemote(run.session, remote.gid);
  if (!current) return deleteLocal({ ...run, cause: DELETED_DURING_PUSH }, local, remote.gid);
  if (!same(run.a.remoteSnapshot(current), run.a.remoteSnapshot(remote)))
    throw new ConcurrentChange('changed on Shopify during the push');
  throw err;
}

async function setBase<R extends RemoteState, L extends LocalState>(
  { a, tenantId }: Run<R, L>,
  tx: Queryable,
  localId: string,
  remote: R,
  now: Date,
  pushed = false,
): Promise<void> {
  const snapshot = a.remoteSnapshot(remote);
  const hash = snapshotHash(snapshot);
  await upsertSyncBase(
    tx,
    tenantId,
    a.entity,
    [
      {
        localId,
        gid: remote.gid,
        hash,
        snapshot,
        remoteUpdatedAt: remote.updatedAt,
        links: a.baseLinks?.(remote),
      },
    ],
    now,
  );
  if (pushed) await markPushed(tx, tenantId, a.entity, localId, hash, now);
}

/** The base as the Retailos state a push started from, with Shopify's id and time of the push's write. */
async function setAncestorBase<R extends RemoteState, L extends LocalState>(
  { a, tenantId }: Run<R, L>,
  tx: Queryable,
  localId: string,
  pushed: R,
  from: Json,
  now: Date,
): Promise<void> {
  const hash = snapshotHash(from);
  const row = { localId, gid: pushed.gid, hash, snapshot: from, remoteUpdatedAt: pushed.updatedAt };
  await upsertSyncBase(tx, tenantId, a.entity, [row], now);
  // The push's note (pushing_hash, pushing_base) stays: its echo is still recognised as ours (the
  // caller notes the time of the write it stands for: noteAnswered).
}

async function forget<R extends RemoteState, L extends LocalState>(
  { a, tenantId }: Run<R, L>,
  tx: Queryable,
  localId: string,
): Promise<void> {
  await deleteSyncBase(tx, tenantId, a.entity, localId);
  await unlinkLocal(tx, tenantId, a.entity, [localId]);
  await dropConflictsOf(tx, tenantId, a.entity, localId);
}

/** The history entry of one change this run made (see historyEntry). */
function entry<R extends RemoteState, L extends LocalState>(
  { a, origin, cause }: Run<R, L>,
  direction: 'inbound' | 'outbound',
  action: 'create' | 'update' | 'delete',
  localId: string,
  gid: string,
  before: Json | null,
  after: Json | null,
  conflicts: Conflict[] = [],
  outcome: 'applied' | 'merged' = 'applied',
): HistoryEntry {
  const e = historyEntry(a, direction, origin, action, localId, gid, before, after, conflicts, outcome);
  return cause ? { ...e, cause } : e;
}

async function history<R extends RemoteState, L extends LocalState>(
  { tenantId }: Run<R, L>,
  tx: Queryable,
  now: Date,
  entries: HistoryEntry[],
): Promise<number[]> {
  return insertHistory(tx, tenantId, entries, now);
}

export function historyEntry<R extends RemoteState, L extends LocalState>(
  a: EntityAdapter<R, L>,
  direction: 'inbound' | 'outbound',
  origin: HistoryOrigin,
  action: 'create' | 'update' | 'delete',
  localId: string,
  gid: string,
  before: Json | null,
  after: Json | null,
  conflicts: Conflict[],
  outcome: 'applied' | 'merged' = 'applied',
): HistoryEntry {
  const shown = (after ?? before) as Json;
  return {
    entity: a.entity,
    localId,
    gid,
    displayName: a.displayName(shown),
    direction,
    origin,
    action,
    outcome,
    before,
    after,
    diff: fieldDiff(before, after, a.rules),
    conflicts,
    error: null,
    searchWords: a.searchWords(shown),
  };
}
