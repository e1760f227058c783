// A field conflict Shopify won, reopened when a late delivery proves Shopify's edit older than the
// Retailos edit it beat (issue 16, chaos seeds 20 and 21). Shopify gives no per-field time: its bound is
// the earliest delivery we received carrying the value (shopify-edit-time.ts). When that edit's own
// delivery is held back and a later Shopify edit of another field arrives first, the bound is that later
// edit's time, past a Retailos edit made in between, and the Retailos edit loses. The held delivery, when
// it comes, is older than the base (a 'stale' state): it carries the winning value with an `updated_at`
// before the Retailos edit, so Shopify held the value by then and the Retailos edit was the later one.
// The decisions are noted by sync-entity.ts's mergeBoth (shopify_conflicts_won, migration 0048), which
// reopens them (reopenConflicts); the checks here are pure but for mayReopenConflict.
import type { Clock } from '../../clock.ts';
import type { Queryable } from '../../db/db.ts';
import { conflictsWon, type ConflictWon } from '../../db/shopify-conflicts-won.ts';
import { getSyncBaseByGid } from '../../db/shopify-sync-base.ts';
import { fieldOf, isObject, sameJson } from '../../domain/merge-json.ts';
import type { Json } from '../../domain/shopify-map/index.ts';
import type { EntityAdapter, LocalState, RemoteState } from '../entities/adapter.ts';
import { inShopifySecond } from './shopify-edit-time.ts';

/**
 * How long a conflict Shopify won can be reopened. A delivery reaches Retailos at the latest at the end
 * of Shopify's retry window (8 retries over 4 hours from the event, which came before our decision);
 * after that it may still wait in the inbox while an import runs or the workers are down, so a day is
 * kept. A delivery later than that is not looked at: the decision stands.
 */
export const CONFLICT_KEPT_MS = 24 * 3600 * 1000;

const floorSecond = (d: Date): number => Math.floor(d.getTime() / 1000) * 1000;

/**
 * True when a delivered Shopify state (`snap` as of Shopify's `at`) proves the conflict's Shopify edit
 * older than the Retailos edit it beat: it carries the winning value, told (not a field the delivery
 * lacks), from a second wholly before the Retailos edit (Shopify's times have whole seconds: the same
 * second is no proof) and not before the base the conflict was decided against (a state older than
 * that base held the value before the base, not as the edit since).
 */
export function provesOlder(c: ConflictWon, snap: Json, at: Date, untold: readonly string[] = []): boolean {
  if (!isObject(snap) || untold.includes(c.field)) return false;
  if (!sameJson(fieldOf(snap, c.field), c.won as Json)) return false;
  if (inShopifySecond(at, c.localEditAt) || at.getTime() >= c.localEditAt.getTime()) return false;
  return c.baseAt === null || at.getTime() >= floorSecond(c.baseAt);
}

/** True when `snap` (Retailos's state, the base, or Shopify's) still holds the value Shopify won with. */
export const stillWon = (c: Pick<ConflictWon, 'field' | 'won'>, snap: Json | null): boolean =>
  isObject(snap) && sameJson(fieldOf(snap, c.field), c.won as Json);

/** Shopify's state with the reopened fields' Retailos values, merged as Shopify's side. */
export function reopenedOnto(theirs: Json, reopened: readonly ConflictWon[]): Json {
  if (!isObject(theirs)) return theirs;
  const out = { ...theirs };
  for (const c of reopened) out[c.field] = (c.lost ?? null) as Json;
  return out;
}

/** Sync History's cause for a reopened decision. */
export function reopenedCause(reopened: readonly ConflictWon[], at: Date): string {
  const fields = reopened.map((c) => c.field).join(', ');
  const entries = reopened.flatMap((c) => (c.historyId === null ? [] : [`#${c.historyId}`]));
  const first = reopened[0] as ConflictWon;
  return (
    `Shopify's edit proved older: a late delivery shows Shopify held its ${fields} by ` +
    `${at.toISOString()}, before the Retailos edit of ${first.localEditAt.toISOString()} that lost to it` +
    `${entries.length > 0 ? ` (${entries.join(', ')})` : ''}; the later edit, Retailos's, is restored on both sides`
  );
}

/**
 * True when Shopify's `remote` (one of the states a group of deliveries carried, not the one it was
 * decided by) is older than the base and proves a noted conflict's Shopify edit older: it is decided
 * again by its own state.
 */
export async function mayReopenConflict<R extends RemoteState, L extends LocalState>(
  deps: { db: Queryable; clock: Clock },
  a: EntityAdapter<R, L>,
  tenantId: string,
  remote: R,
  untold?: readonly string[],
): Promise<boolean> {
  const base = await getSyncBaseByGid(deps.db, tenantId, a.entity, remote.gid);
  const known = base?.remoteUpdatedAt?.getTime();
  if (!base || known === undefined || remote.updatedAt.getTime() >= known) return false;
  const since = new Date(deps.clock.now().getTime() - CONFLICT_KEPT_MS);
  const won = await conflictsWon(deps.db, tenantId, a.entity, [base.localId], since);
  const snap = a.remoteSnapshot(remote);
  return won.some((c) => provesOlder(c, snap, remote.updatedAt, untold));
}
