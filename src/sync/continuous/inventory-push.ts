import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';
import { getLevel, lockLevels } from '../../db/inventory.ts';
import { gidsOf } from '../../db/shopify-id-map.ts';
import {
  advanceLevelSync,
  deletePushGroup,
  getPushGroup,
  insertPushGroup,
  lockLevelSync,
  readLevelSync,
  releaseLevelDeliveries,
  type GroupChange,
  type PendingPush,
  type PushGroup,
} from '../../db/shopify-inventory-pushes.ts';
import { getSyncBase, markPushed } from '../../db/shopify-sync-base.ts';
import type { HistoryOrigin } from '../../db/shopify-sync-history.ts';
import type { CoreDeps } from '../../deps.ts';
import type { InventoryLevel } from '../../domain/entities.ts';
import { PermanentError, TransientError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import type { ShopSession } from '../shop-session.ts';
import {
  levelGid,
  levelHistory,
  numericId,
  QUANTITY_FIELDS,
  readLevel,
  readLevelState,
  remoteLevelOf,
  setBase,
  setLocal,
  type Quantities,
  type RemoteLevel,
  type ShopifyLevelNode,
} from './inventory-level-io.ts';
import { call, refuseOn, type UserError } from '../entities/shopify-write.ts';
import { followGoneItem } from './inventory-item-gone.ts';
import type { SyncDeps } from './sync-entity.ts';

/**
 * Pushes a level's unpushed delta with compare-and-set. Concurrent sales on both sides both count:
 * a stale compare re-reads Shopify, rebases the local quantity on it and tries again.
 *
 * The push is written down as pending before it is sent (with its idempotency key), and settled in
 * one transaction with its outcome. Meanwhile webhooks about the level wait: Shopify's quantity then
 * may or may not include our change. A push found pending (a crash, a retry, a second push job) is
 * sent again with the same key, so Shopify answers what it did the first time and nothing counts twice.
 */

const ADJUST = `mutation PushStock($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id createdAt }
    userErrors { field message code }
  }
}`;

/** Rounds of push (or rebase) before giving up for now: each one follows a change on either side. */
const MAX_ROUNDS = 6;

type PushDeps = SyncDeps & Pick<CoreDeps, 'enqueue' | 'randomBytes'>;

/** Sync History's words when a level moves to the inventory item its variant has on Shopify now. */
const FOLLOWED_ITEM =
  "Shopify no longer had the inventory item this stock was linked to: it follows its variant's item now";

interface Target {
  tenantId: string;
  levelId: string;
  item: string;
  location: string;
  /** Who pushes, for the history (the reconciliation, with its cause in words); default a push. */
  as?: { origin: HistoryOrigin; cause: string } | undefined;
}

const baseQuantities = (snapshot: unknown): Quantities => snapshot as Quantities;

function idempotencyKey(levelId: string, generation: number): string {
  return createHash('sha256').update(`${levelId}:${generation}`).digest('hex').slice(0, 32);
}

export async function pushInventoryLevel(
  deps: PushDeps,
  session: ShopSession,
  tenantId: string,
  levelId: string,
  as?: { origin: HistoryOrigin; cause: string },
): Promise<'pushed' | 'unchanged' | 'not_on_shopify'> {
  const first = await getLevel(deps.db, tenantId, levelId);
  if (!first) return 'unchanged';
  const item = (await gidsOf(deps.db, tenantId, 'inventory_item', [first.variantId])).get(first.variantId);
  const location = (await gidsOf(deps.db, tenantId, 'location', [first.locationId])).get(first.locationId);
  if (!item || !location) return 'not_on_shopify';
  const target: Target = { tenantId, levelId, item, location, as };
  if (!(await getSyncBase(deps.db, tenantId, 'inventory_level', levelId))) {
    const remote = await readLevel(session, item, location);
    if (!remote) return activateLevel(deps, session, target, first);
    await deps.db.transaction((tx) => firstBase(tx, deps, target, remote));
  }
  return pushRounds(deps, session, target);
}

/** Claims and sends the level's delta until nothing is left (or Shopify keeps moving). */
async function pushRounds(
  deps: PushDeps,
  session: ShopSession,
  first: Target,
): Promise<'pushed' | 'unchanged' | 'not_on_shopify'> {
  let target = first;
  let pushed = false;
  let followed = false;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const intent = await deps.db.transaction((tx) => claim(tx, deps, target));
    if (!intent) return pushed ? 'pushed' : 'unchanged';
    try {
      const sent = await send(deps, session, target, intent);
      if (sent === 'pushed') pushed = true;
      if (sent === 'item_gone') {
        if (followed) throw new PermanentError(`Shopify has no inventory item ${target.item}`, 'not_found');
        followed = true;
        const next = await followItem(deps, session, target);
        if (!next) return pushed ? 'pushed' : 'unchanged';
        if (!(await getSyncBase(deps.db, target.tenantId, 'inventory_level', target.levelId))) {
          const level = await getLevel(deps.db, target.tenantId, target.levelId);
          return level ? activateLevel(deps, session, { ...target, item: next }, level) : 'unchanged';
        }
        target = { ...target, item: next };
      }
    } finally {
      // Webhooks that waited for this push are due now (settle released them).
      await deps.enqueue(
        JOBS.shopifyApplyWebhooks,
        { tenantId: target.tenantId },
        { singletonKey: target.tenantId },
      );
    }
  }
  throw new TransientError(`Shopify's stock for ${target.levelId} kept moving during ${MAX_ROUNDS} attempts`);
}

/** The item is gone on Shopify: the level follows its variant's item now, or is gone with it (null). */
function followItem(deps: PushDeps, session: ShopSession, t: Target): Promise<string | null> {
  const as = { origin: t.as?.origin ?? 'push', cause: FOLLOWED_ITEM } as const;
  return followGoneItem(
    deps,
    session,
    t.tenantId,
    t.levelId,
    t.item,
    t.location,
    (tx, item, level, base, remote) => rebase(tx, deps, { ...t, item, as }, level, base, remote),
  );
}

/**
 * The level has no base yet: both sides count from zero (as an apply of its webhook does), so
 * Shopify's quantity — a change made there since the item was created, e.g. a sale right after our
 * push created the product — is not taken as agreed: the first push's compare fails on it and rebases.
 */
async function firstBase(tx: Queryable, deps: PushDeps, t: Target, remote: RemoteLevel): Promise<void> {
  const level = await getLevel(tx, t.tenantId, t.levelId);
  if (!level) return;
  await lockLevels(tx, t.tenantId, [level], deps.clock.now());
  const state = await lockLevelSync(tx, t.tenantId, t.levelId);
  if (state.pending || (await getSyncBase(tx, t.tenantId, 'inventory_level', t.levelId))) return;
  const zero = { available: 0, onHand: 0 };
  await setBase(tx, t.tenantId, t.levelId, remote.gid, zero, null, deps.clock.now());
  await advanceLevelSync(tx, t.tenantId, t.levelId, null);
}

/**
 * The push to send: one already pending (sent before, outcome unknown), else the local delta from the
 * base, written down as pending. Null when Retailos holds what Shopify was last known to hold.
 */
async function claim(tx: Queryable, deps: PushDeps, t: Target): Promise<PendingPush | null> {
  const now = deps.clock.now();
  const level = await getLevel(tx, t.tenantId, t.levelId);
  if (!level) return null; // deleted meanwhile
  await lockLevels(tx, t.tenantId, [level], now);
  const state = await lockLevelSync(tx, t.tenantId, t.levelId);
  if (state.pending) return state.pending;
  const base = await getSyncBase(tx, t.tenantId, 'inventory_level', t.levelId);
  if (!base) throw new TransientError(`the stock level ${t.levelId} lost its sync base during its push`);
  const locked = (await getLevel(tx, t.tenantId, t.levelId)) as InventoryLevel;
  const from = baseQuantities(base.snapshot).available;
  const delta = locked.available - from;
  if (delta === 0) return null;
  const pending = { from, delta, key: idempotencyKey(t.levelId, state.generation + 1), since: now };
  await advanceLevelSync(tx, t.tenantId, t.levelId, pending);
  return pending;
}

interface AdjustResult {
  inventoryAdjustQuantities: {
    inventoryAdjustmentGroup: { id: string; createdAt: string | null } | null;
    userErrors: UserError[];
  };
}

/** Sends one pending push and settles it with Shopify's answer. A transport failure leaves it pending. */
async function send(
  deps: PushDeps,
  session: ShopSession,
  t: Target,
  intent: PendingPush,
): Promise<'pushed' | 'rebased' | 'item_gone'> {
  // Pending as a member of a group push: the group's very call is sent again (decision 0008).
  const group = await getPushGroup(deps.db, t.tenantId, intent.key);
  if (group) {
    const sent = await sendGroup(deps, session, t.tenantId, intent.key, group);
    return sent === 'pushed' ? 'pushed' : 'rebased';
  }
  const { data } = await call<AdjustResult>(session, ADJUST, {
    key: intent.key,
    input: {
      name: 'available',
      reason: 'correction',
      referenceDocumentUri: `gid://retailos/InventorySync/${t.levelId}`,
      changes: [
        {
          inventoryItemId: t.item,
          locationId: t.location,
          delta: intent.delta,
          changeFromQuantity: intent.from,
        },
      ],
    },
  });
  const errors = data.inventoryAdjustQuantities.userErrors;
  if (errors.some((e) => e.code === 'CHANGE_FROM_QUANTITY_STALE')) {
    const remote = await readLevelState(session, t.item, t.location);
    if (typeof remote === 'string') {
      await deps.db.transaction((tx) => settle(tx, deps, t, intent, () => Promise.resolve()));
      // The item was deleted since (a retry can meet the stale answer Shopify kept for its key after
      // the product's deletion): as for INVALID_INVENTORY_ITEM, the caller finds what the variant is now.
      if (remote === 'no_item') return 'item_gone';
      throw new PermanentError(
        'the inventory item is no longer stocked at the location on Shopify',
        'not_found',
      );
    }
    await deps.db.transaction((tx) =>
      settle(tx, deps, t, intent, (level, base) => rebase(tx, deps, t, level, base, remote)),
    );
    return 'rebased';
  }
  if (errors.some((e) => e.code === 'IDEMPOTENCY_CONCURRENT_REQUEST'))
    throw new TransientError('Shopify is still applying the same stock change');
  if (errors.length > 0) {
    // Refused: nothing changed on Shopify, so nothing is in flight any more.
    await deps.db.transaction((tx) => settle(tx, deps, t, intent, () => Promise.resolve()));
    // The item is gone (its variant or product deleted on Shopify, or our link is stale): the delta is
    // still in the local level; the caller finds what the variant is now.
    if (errors.every((e) => e.code === 'INVALID_INVENTORY_ITEM')) return 'item_gone';
    refuseOn('the stock change', errors);
  }
  const createdAt = data.inventoryAdjustQuantities.inventoryAdjustmentGroup?.createdAt;
  await deps.db.transaction((tx) =>
    settle(tx, deps, t, intent, (level, base) =>
      written(tx, deps, t, level, base, intent, createdAt ?? null),
    ),
  );
  return 'pushed';
}

/**
 * Settles `intent` if it is still the level's pending push (another job may have settled it already,
 * with the same answer from Shopify): runs `write` and clears the pending push in one transaction.
 */
async function settle(
  tx: Queryable,
  deps: PushDeps,
  t: Target,
  intent: PendingPush,
  write: (level: InventoryLevel, base: Quantities) => Promise<void>,
): Promise<void> {
  const level = await getLevel(tx, t.tenantId, t.levelId);
  if (!level) return; // deleted meanwhile, with its pending push
  const { levels } = await lockLevels(tx, t.tenantId, [level], deps.clock.now());
  const state = await lockLevelSync(tx, t.tenantId, t.levelId);
  if (state.pending?.key !== intent.key) return;
  const base = await getSyncBase(tx, t.tenantId, 'inventory_level', t.levelId);
  if (!base) throw new TransientError(`the stock level ${t.levelId} lost its sync base during its push`);
  await write(levels[0] as InventoryLevel, baseQuantities(base.snapshot));
  await advanceLevelSync(tx, t.tenantId, t.levelId, null);
  await releaseLevelDeliveries(tx, t.tenantId, numericId(t.item), numericId(t.location), deps.clock.now());
}

/** Our change is on Shopify: the base moves by exactly our delta (Shopify held `from` when it applied it). */
async function written(
  tx: Queryable,
  deps: PushDeps,
  t: Target,
  level: InventoryLevel,
  base: Quantities,
  intent: PendingPush,
  createdAt: string | null,
): Promise<void> {
  const now = deps.clock.now();
  // An available adjustment moves on_hand by the same delta on Shopify.
  const after = { available: intent.from + intent.delta, onHand: base.onHand + intent.delta };
  // Shopify's time of our change: a webhook older than it (a sale we already counted) is stale.
  const changedAt = createdAt ? new Date(createdAt) : null;
  const hash = await setBase(tx, t.tenantId, t.levelId, levelGid(t.item, t.location), after, changedAt, now);
  await markPushed(tx, t.tenantId, 'inventory_level', t.levelId, hash, now);
  await levelHistory(
    tx,
    t.tenantId,
    'outbound',
    t.as?.origin ?? 'push',
    level,
    t.item,
    base,
    after,
    now,
    t.as?.cause,
  );
}

/** After a stale compare: Shopify's quantities become the base, the local level keeps its unpushed change on top. */
async function rebase(
  tx: Queryable,
  deps: PushDeps,
  t: Target,
  level: InventoryLevel,
  base: Quantities,
  remote: RemoteLevel,
): Promise<void> {
  const now = deps.clock.now();
  const next = {
    available: remote.available + (level.available - base.available),
    onHand: remote.onHand + (level.onHand - base.onHand),
  };
  await setLocal(tx, t.tenantId, level, next, 'shopify', now);
  await setBase(tx, t.tenantId, t.levelId, remote.gid, remote, remote.updatedAt, now);
  await levelHistory(
    tx,
    t.tenantId,
    'inbound',
    t.as?.origin ?? 'push',
    level,
    t.item,
    level,
    next,
    now,
    t.as?.cause,
  );
}

const ACTIVATE = `mutation StockAt($item: ID!, $location: ID!, $available: Int) {
  inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) {
    inventoryLevel { id updatedAt ${QUANTITY_FIELDS} }
    userErrors { field message }
  }
}`;

/**
 * The item is not stocked at this location on Shopify yet (a variant Retailos created, or a location
 * it was never stocked at): stock it there with our quantity, which becomes the base.
 */
async function activateLevel(
  deps: PushDeps,
  session: ShopSession,
  t: Target,
  level: InventoryLevel,
): Promise<'pushed'> {
  const { data } = await call<{
    inventoryActivate: { inventoryLevel: ShopifyLevelNode | null; userErrors: UserError[] };
  }>(session, ACTIVATE, { item: t.item, location: t.location, available: level.available });
  refuseOn('to stock the item at this location', data.inventoryActivate.userErrors);
  const made = data.inventoryActivate.inventoryLevel;
  if (!made) throw new PermanentError('inventoryActivate returned no level', 'shopify_no_level');
  const remote = remoteLevelOf(made);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await lockLevels(tx, t.tenantId, [level], now);
    await lockLevelSync(tx, t.tenantId, t.levelId);
    const hash = await setBase(tx, t.tenantId, t.levelId, remote.gid, remote, remote.updatedAt, now);
    await advanceLevelSync(tx, t.tenantId, t.levelId, null);
    await markPushed(tx, t.tenantId, 'inventory_level', t.levelId, hash, now);
    const none = { available: 0, onHand: 0 };
    await levelHistory(
      tx,
      t.tenantId,
      'outbound',
      t.as?.origin ?? 'push',
      level,
      t.item,
      none,
      remote,
      now,
      t.as?.cause,
    );
  });
  return 'pushed';
}

/** Levels in one group push at most: Shopify takes at most 250 items in an input list. */
export const PUSH_GROUP_MAX = 250;

/** What a group push did for one level: pushed with the group, already equal, or left to its own push. */
export type GroupOutcome = 'pushed' | 'unchanged' | 'alone';

/**
 * Pushes several levels' unpushed deltas in one `inventoryAdjustQuantities` call, each change with its
 * own compare-and-set (`changeFromQuantity` = its base), under one idempotency key. In one transaction
 * every member is claimed as a single push would be (its pending push: from, delta, the group's key) and
 * the group's row keeps the call; a member found pending already, without a base or not on Shopify is
 * left to its own push ('alone'). Shopify applies the call whole or not at all: refused (a member's
 * compare is stale, its item gone), no member moved, each pending is cleared and each goes on alone
 * (a stale one rebases there). A call whose answer is lost leaves the members pending: whoever finds one
 * (`send`) sends the group's call again with its key, so nothing counts twice.
 */
export async function pushInventoryGroup(
  deps: PushDeps,
  session: ShopSession,
  tenantId: string,
  levelIds: readonly string[],
  as: { origin: HistoryOrigin; cause: string },
): Promise<Map<string, GroupOutcome>> {
  const out = new Map<string, GroupOutcome>();
  const targets: { levelId: string; item: string; location: string; level: InventoryLevel }[] = [];
  for (const levelId of [...new Set(levelIds)].sort()) {
    const level = await getLevel(deps.db, tenantId, levelId);
    if (!level) {
      out.set(levelId, 'unchanged');
      continue;
    }
    const item = (await gidsOf(deps.db, tenantId, 'inventory_item', [level.variantId])).get(level.variantId);
    const location = (await gidsOf(deps.db, tenantId, 'location', [level.locationId])).get(level.locationId);
    if (item && location) targets.push({ levelId, item, location, level });
    else out.set(levelId, 'alone');
  }
  // A member still pending under a group's key (the answer lost, a kill): that group's call first.
  const resent = new Set<string>();
  for (const t of targets) {
    const { pending } = await readLevelSync(deps.db, tenantId, t.levelId);
    if (!pending || resent.has(pending.key)) continue;
    resent.add(pending.key);
    const group = await getPushGroup(deps.db, tenantId, pending.key);
    if (!group) continue;
    const sent = await sendGroup(deps, session, tenantId, pending.key, group);
    for (const c of group.changes) if (sent === 'pushed') out.set(c.levelId, 'pushed');
  }
  const now = deps.clock.now();
  const claimed = await deps.db.transaction(async (tx) => {
    const changes: (GroupChange & { generation: number })[] = [];
    for (const t of targets.filter((x) => !out.has(x.levelId))) {
      await lockLevels(tx, tenantId, [t.level], now);
      const state = await lockLevelSync(tx, tenantId, t.levelId);
      const base = await getSyncBase(tx, tenantId, 'inventory_level', t.levelId);
      const locked = await getLevel(tx, tenantId, t.levelId);
      if (state.pending || !base || !locked) {
        out.set(t.levelId, locked ? 'alone' : 'unchanged');
        continue;
      }
      const from = baseQuantities(base.snapshot).available;
      const delta = locked.available - from;
      if (delta === 0) out.set(t.levelId, 'unchanged');
      else
        changes.push({
          levelId: t.levelId,
          item: t.item,
          location: t.location,
          from,
          delta,
          generation: state.generation,
        });
    }
    if (changes.length === 0) return undefined;
    const key = createHash('sha256')
      .update(changes.map((c) => `${c.levelId}:${c.generation + 1}`).join(','))
      .digest('hex')
      .slice(0, 32);
    for (const c of changes)
      await advanceLevelSync(tx, tenantId, c.levelId, { from: c.from, delta: c.delta, key, since: now });
    const group: PushGroup = {
      changes: changes.map(({ levelId, item, location, from, delta }) => ({
        levelId,
        item,
        location,
        from,
        delta,
      })),
      origin: as.origin,
      cause: as.cause,
    };
    await insertPushGroup(tx, tenantId, key, group);
    return { key, group };
  });
  if (!claimed) return out;
  try {
    const sent = await sendGroup(deps, session, tenantId, claimed.key, claimed.group);
    for (const c of claimed.group.changes) out.set(c.levelId, sent === 'pushed' ? 'pushed' : 'alone');
  } finally {
    await deps.enqueue(JOBS.shopifyApplyWebhooks, { tenantId }, { singletonKey: tenantId });
  }
  return out;
}

/**
 * Sends a group's call (again, after a loss: the same variables and key, so Shopify answers what it did
 * the first time) and settles each member still pending under its key: written, or — refused, nothing
 * applied — cleared. The group's row goes once no member is pending under it.
 */
async function sendGroup(
  deps: PushDeps,
  session: ShopSession,
  tenantId: string,
  key: string,
  group: PushGroup,
): Promise<'pushed' | 'refused'> {
  const { data } = await call<AdjustResult>(session, ADJUST, {
    key,
    input: {
      name: 'available',
      reason: 'correction',
      referenceDocumentUri: `gid://retailos/InventorySyncGroup/${key}`,
      changes: group.changes.map((c) => ({
        inventoryItemId: c.item,
        locationId: c.location,
        delta: c.delta,
        changeFromQuantity: c.from,
      })),
    },
  });
  const errors = data.inventoryAdjustQuantities.userErrors;
  if (errors.some((e) => e.code === 'IDEMPOTENCY_CONCURRENT_REQUEST'))
    throw new TransientError('Shopify is still applying the same stock change');
  const as = { origin: group.origin as HistoryOrigin, cause: group.cause ?? '' };
  const createdAt = data.inventoryAdjustQuantities.inventoryAdjustmentGroup?.createdAt ?? null;
  for (const c of group.changes) {
    const t: Target = { tenantId, levelId: c.levelId, item: c.item, location: c.location, as };
    const intent: PendingPush = { from: c.from, delta: c.delta, key, since: deps.clock.now() };
    await deps.db.transaction((tx) =>
      settle(tx, deps, t, intent, (level, base) =>
        errors.length > 0 ? Promise.resolve() : written(tx, deps, t, level, base, intent, createdAt),
      ),
    );
  }
  await deletePushGroup(deps.db, tenantId, key);
  return errors.length > 0 ? 'refused' : 'pushed';
}
