import { pgErrorCode } from '../../db/db.ts';
import { conflictsWon, dropSettledConflictsOf } from '../../db/shopify-conflicts-won.ts';
import { settleDeliveries } from '../../db/shopify-webhook-inbox.ts';
import { getSyncBasesByGid, lockSyncBases, upsertSyncBase } from '../../db/shopify-sync-base.ts';
import { insertHistory } from '../../db/shopify-sync-history.ts';
import { snapshotHash, type Json } from '../../domain/shopify-map/index.ts';
import type { EntityAdapter, LocalState, RemoteState } from '../entities/adapter.ts';
import { overwritten } from './overwritten-push.ts';
import { CONFLICT_KEPT_MS, provesOlder } from './reopened-conflict.ts';
import { historyEntry, localIsBase, type SyncDeps } from './sync-entity.ts';

/** One entity's webhook state, with the inbox deliveries it settles. */
export interface InboundItem<R> {
  remote: R;
  /** The delivery's X-Shopify-Triggered-At. */
  triggeredAt?: Date | null | undefined;
  inboxIds: readonly number[];
}

export interface InboundBatchResult<R> {
  /** Deliveries settled here (written, stale, or already what we hold). */
  settled: number;
  /** Items that need the one-by-one decision (syncEntity): new records, local edits, ambiguity. */
  rest: InboundItem<R>[];
}

type Verdict = 'write' | 'settle' | 'decide';

/**
 * The everyday webhook, applied for many records at once: Shopify changed records that Retailos has
 * not changed since the last sync. Then the three-way merge has only one answer — take Shopify's
 * state — so the records are read, checked, written with their new base and history and the
 * deliveries settled in a few set-based statements instead of a decision per record. A record whose
 * state is older than the base (a late delivery) or equal to it (an echo of our own push) settles with
 * no write. Anything else — a record new to Retailos, one with a local edit (a merge and maybe a
 * push), a same-second state that differs (its order is unknown), a record changed while we decide,
 * a write a constraint refuses — is returned for the full one-by-one decision.
 */
export async function applyInboundBatch<R extends RemoteState, L extends LocalState>(
  deps: SyncDeps,
  a: EntityAdapter<R, L>,
  tenantId: string,
  items: readonly InboundItem<R>[],
): Promise<InboundBatchResult<R>> {
  if (items.length === 0) return { settled: 0, rest: [] };
  const bases = await getSyncBasesByGid(
    deps.db,
    tenantId,
    a.entity,
    items.map((i) => i.remote.gid),
  );
  const locals = await a.loadLocals(
    deps.db,
    tenantId,
    [...bases.values()].map((b) => b.localId),
    false,
  );
  // Each state's canonical snapshot, made once: the verdict hashes it and the write stores it.
  const snapshots = new Map(items.map((item) => [item, a.remoteSnapshot(item.remote)]));
  const snapshotOf = (item: InboundItem<R>): Json => snapshots.get(item) as Json;
  // A state older than the base may prove a field conflict Shopify won wrongly decided (its value held
  // by Shopify before the Retailos edit that lost): decided alone (sync-entity.ts, reopenConflicts).
  const olderThanBase = items.flatMap((item) => {
    const base = bases.get(item.remote.gid);
    const known = base?.remoteUpdatedAt?.getTime();
    return base && known !== undefined && item.remote.updatedAt.getTime() < known ? [base.localId] : [];
  });
  const since = new Date(deps.clock.now().getTime() - CONFLICT_KEPT_MS);
  const won = await conflictsWon(deps.db, tenantId, a.entity, [...new Set(olderThanBase)], since);
  const reopens = (item: InboundItem<R>, localId: string): boolean =>
    won.some((c) => c.localId === localId && provesOlder(c, snapshotOf(item), item.remote.updatedAt));
  const verdicts = items.map((item): Verdict => {
    const base = bases.get(item.remote.gid);
    const local = base && locals.get(base.localId);
    if (!base || !local) return 'decide';
    if (!localIsBase(a, local, base)) return 'decide';
    // A state holding a Shopify edit our push overwrote is no newer than our write: decided alone.
    if (overwritten(a, base, item.remote, item.triggeredAt) !== undefined) return 'decide';
    const known = base.remoteUpdatedAt?.getTime();
    const at = item.remote.updatedAt.getTime();
    if (known !== undefined && at < known) return reopens(item, base.localId) ? 'decide' : 'settle';
    if (snapshotHash(snapshotOf(item)) === base.hash) return 'settle';
    return known !== undefined && at === known ? 'decide' : 'write';
  });
  const rest = items.filter((_, i) => verdicts[i] === 'decide');
  const settle = items.filter((_, i) => verdicts[i] === 'settle');
  const write = items.filter((_, i) => verdicts[i] === 'write');
  if (write.length === 0 && settle.length === 0) return { settled: 0, rest };
  const now = deps.clock.now();
  try {
    const moved = await deps.db.transaction(async (tx) => {
      const ids = write.map((w) => bases.get(w.remote.gid)?.localId as string);
      const locked = await a.loadLocals(tx, tenantId, ids, true);
      const lockedBases = await lockSyncBases(tx, tenantId, a.entity, ids);
      // Changed since we read it (a local edit, a push): decide it alone.
      const changed = write.filter((w) => {
        const base = bases.get(w.remote.gid);
        const before = base && locals.get(base.localId);
        const current = base && locked.get(base.localId);
        return (
          !base ||
          !before ||
          current?.version !== before.version ||
          lockedBases.get(base.localId) !== base.hash
        );
      });
      const go = write.filter((w) => !changed.includes(w));
      if (go.length > 0)
        await a.updateLocals(
          tx,
          tenantId,
          go.map((w) => w.remote),
          now,
        );
      const rows = go.map((w) => {
        const base = bases.get(w.remote.gid);
        const localId = base?.localId as string;
        const snapshot = snapshotOf(w);
        const before = a.localSnapshot(locals.get(localId) as L);
        return {
          base: {
            localId,
            gid: w.remote.gid,
            hash: snapshotHash(snapshot),
            snapshot,
            remoteUpdatedAt: w.remote.updatedAt,
            links: a.baseLinks?.(w.remote),
          },
          history: historyEntry(
            a,
            'inbound',
            'webhook',
            'update',
            localId,
            w.remote.gid,
            before,
            snapshot,
            [],
          ),
        };
      });
      await upsertSyncBase(
        tx,
        tenantId,
        a.entity,
        rows.map((r) => r.base),
        now,
      );
      await insertHistory(
        tx,
        tenantId,
        rows.map((r) => r.history),
        now,
      );
      // A field Shopify changed since a conflict it won can no longer reopen it (reopened-conflict.ts).
      const expired = new Date(now.getTime() - CONFLICT_KEPT_MS);
      const written = rows.map((r) => ({ localId: r.base.localId, snapshot: r.base.snapshot }));
      await dropSettledConflictsOf(tx, tenantId, a.entity, written, expired);
      await settleDeliveries(
        tx,
        [...go, ...settle].flatMap((i) => i.inboxIds),
        'applied',
        now,
      );
      return changed;
    });
    rest.push(...moved);
  } catch (err) {
    const code = pgErrorCode(err);
    // A constraint or data error refuses one record, not the batch: decide each alone (the one-by-one
    // path reports the refused record); anything else (connection lost) is transient for the job.
    if (!code || !(code.startsWith('23') || code.startsWith('22'))) throw err;
    deps.logger.debug({ entity: a.entity, code }, 'batched webhook write refused; deciding one by one');
    return { settled: 0, rest: [...items] };
  }
  return {
    settled: [...write, ...settle]
      .filter((i) => !rest.includes(i))
      .reduce((n, i) => n + i.inboxIds.length, 0),
    rest,
  };
}
