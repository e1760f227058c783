import type { Queryable } from '../../db/db.ts';
import { foreignIds, levelIdAt, lockLevels } from '../../db/inventory.ts';
import { liveLocalIdsOf, localIdsOf } from '../../db/shopify-id-map.ts';
import {
  advanceLevelSync,
  lockLevelSync,
  readLevelSync,
  type PendingPush,
} from '../../db/shopify-inventory-pushes.ts';
import { getSyncBase, type SyncBaseRow } from '../../db/shopify-sync-base.ts';
import type { HistoryOrigin } from '../../db/shopify-sync-history.ts';
import type { InboxRow } from '../../db/shopify-webhook-inbox.ts';
import type { CoreDeps } from '../../deps.ts';
import type { InventoryLevel } from '../../domain/entities.ts';
import { inventoryLevelFromWebhook } from '../../domain/shopify-map/index.ts';
import { PermanentError, TransientError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import type { ShopSession } from '../shop-session.ts';
import {
  levelGid,
  levelHistory,
  readLevel,
  setBase,
  setLocal,
  type Quantities,
  type RemoteLevel,
} from './inventory-level-io.ts';
import type { SyncDeps } from './sync-entity.ts';

export { pushInventoryLevel } from './inventory-push.ts';

/**
 * Inventory is not last-write-wins: the base holds the quantities of Shopify's that Retailos has
 * counted, and each side's change is a delta from it. Inbound: local = Shopify's quantities + the
 * local change not yet pushed. Outbound (inventory-push.ts): the local delta is sent with
 * `changeFromQuantity` = base (compare-and-set), and rebased when Shopify's quantity moved meanwhile.
 *
 * A webhook's quantity cannot say whether it includes a push of ours that is still in flight (sent,
 * not yet written back): while one is, the webhook waits ('deferred'); the push's write-back makes
 * it due again. Its payload only carries `available`, so what changed is read from Shopify (with
 * `on_hand`, which an order leaves alone while `available` drops), and counted only if no base write
 * happened between our look at the base and that read (the level's generation did not move).
 */

const MAX_READS = 5;

type InventoryDeps = SyncDeps & Pick<CoreDeps, 'enqueue'>;

export type HintOutcome = 'applied' | 'unknown' | 'stale' | 'unchanged' | 'deferred';

interface Seen {
  levelId: string | undefined;
  base: SyncBaseRow | undefined;
  generation: number;
  pending: PendingPush | null;
}

const baseQuantities = (base: SyncBaseRow): Quantities => base.snapshot as Quantities;

async function look(
  q: Queryable,
  tenantId: string,
  key: { variantId: string; locationId: string },
): Promise<Seen> {
  const id = await levelIdAt(q, tenantId, key);
  if (!id) return { levelId: undefined, base: undefined, generation: 0, pending: null };
  const base = await getSyncBase(q, tenantId, 'inventory_level', id);
  const state = await readLevelSync(q, tenantId, id);
  return { levelId: id, base, generation: state.generation, pending: state.pending };
}

/** A push pending this long is no longer in flight: its job failed or waits behind a dead letter. */
const PUSH_STUCK_MS = 10 * 60_000;

/**
 * The delivery waits for the level's pending push. A push pending for long has lost its job (it
 * failed, or was dead-lettered and the letter was discarded since): a push job of the level is queued
 * to settle it, by sending it again with its key (while its dead letter is open, that job waits too).
 */
async function waitForPush(
  deps: InventoryDeps,
  tenantId: string,
  levelId: string,
  pending: PendingPush,
): Promise<'deferred'> {
  if (deps.clock.now().getTime() - pending.since.getTime() > PUSH_STUCK_MS) {
    const data = { tenantId, entity: 'inventory_level', localId: levelId };
    await deps.enqueue(JOBS.shopifyPush, data, { singletonKey: `${tenantId}:inventory_level:${levelId}` });
  }
  return 'deferred';
}

/**
 * A webhook older than the base (a change the base already counts) is stale. Anything else is read
 * from Shopify, even when it repeats the base's `available` in the base's second: Shopify's times
 * have second precision, and a fulfilment moves `on_hand` alone, so the payload cannot tell it from
 * our own echo or a duplicate.
 */
function staleByPayload(base: SyncBaseRow | undefined, updatedAt: Date | null): boolean {
  const known = base?.remoteUpdatedAt?.getTime();
  return known !== undefined && updatedAt !== null && updatedAt.getTime() < known;
}

/**
 * Shopify's level read ahead of the apply (the reconciliation reads a batch of levels in one call): the
 * level and its generation as looked at before that read, and what it read (undefined: not stocked).
 */
export interface HeldLevelRead {
  levelId: string | undefined;
  generation: number;
  remote: RemoteLevel | undefined;
}

/**
 * inventory_levels/update (or connect): Shopify's change since the base is added to the local level.
 * With `held`, its read stands for the first one when the level and its generation are still the ones
 * looked at before it was made (no base written since: the read is counted against the same base, the
 * rule a read made here follows); otherwise Shopify is read as usual.
 */
export async function applyInventoryHint(
  deps: InventoryDeps,
  session: ShopSession,
  tenantId: string,
  row: InboxRow,
  /** Who applies it, for the history, when not a webhook (the reconciliation, with its cause in words). */
  as?: { origin: HistoryOrigin; cause: string },
  held?: HeldLevelRead,
): Promise<HintOutcome> {
  const h = inventoryLevelFromWebhook(row.body);
  if (!h.ok) throw new PermanentError(`inventory webhook cannot be read: ${h.reason}`, 'mapping');
  const { inventoryItemGid: item, locationGid: location } = h.value;
  if (row.topic === 'inventory_levels/disconnect') return 'unchanged';
  const linked = (await localIdsOf(deps.db, tenantId, 'inventory_item', [item])).get(item);
  const variantId = (await liveLocalIdsOf(deps.db, tenantId, 'inventory_item', [item])).get(item);
  // A variant deleted in Retailos keeps its link until Shopify has deleted it too: its stock has no row
  // to go to (writing one broke inventory_levels' foreign key: a dead letter, found by the chaos run).
  if (linked && !variantId) return 'unchanged';
  const locationId = (await localIdsOf(deps.db, tenantId, 'location', [location])).get(location);
  if (!variantId || !locationId) return 'unknown';
  const key = { variantId, locationId };
  for (let read = 0; read < MAX_READS; read += 1) {
    const seen = await look(deps.db, tenantId, key);
    if (seen.pending) return waitForPush(deps, tenantId, seen.levelId as string, seen.pending);
    if (staleByPayload(seen.base, h.value.updatedAt)) return 'stale';
    const reuse =
      held !== undefined &&
      read === 0 &&
      held.levelId === seen.levelId &&
      held.generation === seen.generation;
    const remote = reuse ? held.remote : await readLevel(session, item, location);
    if (!remote) return 'unchanged';
    const outcome = await applyRemote(deps, tenantId, item, location, key, seen.generation, remote, as);
    if (typeof outcome === 'object') {
      // A level Retailos stocked before Shopify had its item: its stock is pushed next.
      const data = { tenantId, entity: 'inventory_level', localId: outcome.unpushed };
      const singletonKey = `${tenantId}:inventory_level:${outcome.unpushed}`;
      await deps.enqueue(JOBS.shopifyPush, data, { singletonKey });
      return 'applied';
    }
    if (outcome !== 'moved') return outcome;
  }
  throw new TransientError(`the stock of ${item} at ${location} kept being written while it was read`);
}

/**
 * Counts what Shopify changed since the base, read in `remote`. 'moved' when the base was written
 * after `generation` was seen (a push settled, another apply ran): the read may predate it, read again.
 * A level with no base yet counts from zero on both sides (Shopify's quantities of an item are all
 * Shopify's changes; Retailos's are its own, unpushed): `unpushed` names such a level that Retailos
 * had stocked, whose stock the caller has pushed.
 */
async function applyRemote(
  deps: SyncDeps,
  tenantId: string,
  item: string,
  location: string,
  key: { variantId: string; locationId: string },
  generation: number,
  remote: RemoteLevel,
  as?: { origin: HistoryOrigin; cause: string },
): Promise<'applied' | 'unchanged' | 'deferred' | 'moved' | { unpushed: string }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // Deleted in Retailos since the delivery was looked at (while Shopify was read): its stock has no
    // row to go to, as when it was gone before (applyInventoryHint).
    // (foreignIds keeps the variant locked until commit, so it cannot go before the level is written.)
    if ((await foreignIds(tx, tenantId, [key.variantId], [])).variants.length > 0) return 'unchanged';
    const { levels } = await lockLevels(tx, tenantId, [key], now);
    const level = levels[0] as InventoryLevel;
    const state = await lockLevelSync(tx, tenantId, level.id);
    if (state.pending) return 'deferred';
    if (state.generation !== generation) return 'moved';
    const base = await getSyncBase(tx, tenantId, 'inventory_level', level.id);
    const was = base ? baseQuantities(base) : { available: 0, onHand: 0 };
    const gid = base?.gid ?? levelGid(item, location);
    await advanceLevelSync(tx, tenantId, level.id, null);
    const unpushed = !base && (level.available !== 0 || level.onHand !== 0) ? { unpushed: level.id } : null;
    if (was.available === remote.available && was.onHand === remote.onHand) {
      await setBase(tx, tenantId, level.id, gid, was, laterOf(base?.remoteUpdatedAt, remote.updatedAt), now);
      return unpushed ?? 'unchanged';
    }
    const next: Quantities = {
      available: remote.available + level.available - was.available,
      onHand: remote.onHand + level.onHand - was.onHand,
    };
    await setLocal(tx, tenantId, level, next, 'shopify', now);
    await setBase(tx, tenantId, level.id, gid, remote, remote.updatedAt, now);
    const origin = as?.origin ?? 'webhook';
    await levelHistory(tx, tenantId, 'inbound', origin, level, item, level, next, now, as?.cause);
    return unpushed ?? 'applied';
  });
}

function laterOf(a: Date | null | undefined, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() >= b.getTime() ? a : b;
}
