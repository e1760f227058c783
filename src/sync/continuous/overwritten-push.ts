// A Shopify edit our push overwrote, as live sync sees it: the note a push leaves of what it wrote over
// (shopify_links.pushed_over, migrations 0043 and 0045) and the webhook states that hold such an edit. The
// decision itself is pure (domain/overwritten-edit.ts); sync-entity.ts merges the edit back.
import type { Queryable } from '../../db/db.ts';
import { getSyncBaseByGid, type SyncBaseRow } from '../../db/shopify-sync-base.ts';
import { overwrittenEdit, type PushedOver } from '../../domain/overwritten-edit.ts';
import type { Json } from '../../domain/shopify-map/index.ts';
import type { EntityAdapter, LocalState, RemoteState } from '../entities/adapter.ts';

export const keyedSnapshot = <R extends RemoteState, L extends LocalState>(
  a: EntityAdapter<R, L>,
  r: R,
): Json => a.keyedRemoteSnapshot?.(r) ?? a.remoteSnapshot(r);

/**
 * When a webhook's state holds a Shopify edit our last push of the record overwrote (made on Shopify
 * between the push's read and its write: no compare-and-set on productSet, customerSet, orderUpdate;
 * issue 16, chaos seed 3 ops 265, 268, 294), that state with the edit merged into what we wrote
 * (domain/overwritten-edit.ts). Such a delivery is no newer than our write, so it would be taken as
 * stale or as a state of our write's second that Shopify no longer holds, and the edit lost.
 */
export function overwritten<R extends RemoteState, L extends LocalState>(
  a: EntityAdapter<R, L>,
  base: SyncBaseRow,
  hint: R,
  triggeredAt: Date | null | undefined,
  /** Snapshot keys the delivery does not carry (see SyncTrigger's `untold`). */
  untold?: readonly string[],
): Json | undefined {
  const over = base.pushedOver as PushedOver | null;
  if (!over || !triggeredAt) return undefined;
  return overwrittenEdit(
    a.rules,
    over,
    keyedSnapshot(a, hint),
    hint.updatedAt.getTime(),
    triggeredAt.getTime(),
    untold,
  );
}

/** True when Shopify's `remote` (a webhook's state) holds an edit our last push of the record overwrote. */
export async function holdsOverwrittenEdit<R extends RemoteState, L extends LocalState>(
  deps: { db: Queryable },
  a: EntityAdapter<R, L>,
  tenantId: string,
  remote: R,
  triggeredAt: Date | null | undefined,
  untold?: readonly string[],
): Promise<boolean> {
  if (!triggeredAt) return false;
  const base = await getSyncBaseByGid(deps.db, tenantId, a.entity, remote.gid);
  return base !== undefined && overwritten(a, base, remote, triggeredAt, untold) !== undefined;
}

/** Sync History's cause for the edit merged back. */
export const OVERWRITTEN_EDIT =
  'Shopify edit made while Retailos was sending its own: the push had overwritten it, merged back (the later edit wins)';

/** What a push wrote over: Shopify's state it read (`read`) and the state its write left (`wrote`). */
export const pushedOver = <R extends RemoteState, L extends LocalState>(
  a: EntityAdapter<R, L>,
  read: R,
  readSince: number,
  wrote: R,
  answered: Date,
): PushedOver => ({
  read: keyedSnapshot(a, read),
  readAt: read.updatedAt.getTime(),
  readSince,
  wrote: keyedSnapshot(a, wrote),
  wroteAt: wrote.updatedAt.getTime(),
  wroteBy: answered.getTime(),
});
