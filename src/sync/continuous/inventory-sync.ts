import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/db.ts';
import { getLevel, lockLevels, writeLevels } from '../../db/inventory.ts';
import { gidsOf, localIdsOf } from '../../db/shopify-id-map.ts';
import { getSyncBase, markPushed, upsertSyncBase } from '../../db/shopify-sync-base.ts';
import { insertHistory, type HistoryOrigin } from '../../db/shopify-sync-history.ts';
import type { InventoryLevel } from '../../domain/entities.ts';
import {
  inventoryLevelFromWebhook,
  inventoryLevelSnapshot,
  snapshotHash,
} from '../../domain/shopify-map/index.ts';
import { PermanentError, TransientError } from '../../errors.ts';
import type { InboxRow } from '../../db/shopify-webhook-inbox.ts';
import type { ShopSession } from '../shop-session.ts';
import { call, refuseOn, type UserError } from './shopify-write.ts';
import type { SyncDeps } from './sync-entity.ts';

/**
 * Inventory is not last-write-wins: the base holds the quantity both sides last agreed on, and each
 * side's change is a delta from it. Inbound: local = Shopify's new quantity + the local delta not yet
 * pushed. Outbound: the local delta is sent with `changeFromQuantity` = base (compare-and-set); when
 * Shopify's quantity moved meanwhile (CHANGE_FROM_QUANTITY_STALE), we re-read, rebase and send again.
 */

const READ = `query LevelForSync($item: ID!, $location: ID!) {
  inventoryItem(id: $item) { inventoryLevel(locationId: $location) { id updatedAt quantities(names: ["available", "on_hand"]) { name quantity } } }
}`;

const ADJUST = `mutation PushStock($input: InventoryAdjustQuantitiesInput!, $key: String!) {
  inventoryAdjustQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id createdAt }
    userErrors { field message code }
  }
}`;

const MAX_REBASES = 5;

interface RemoteLevel {
  gid: string;
  available: number;
  onHand: number;
  updatedAt: Date | null;
}

async function readLevel(s: ShopSession, item: string, location: string): Promise<RemoteLevel | undefined> {
  const { data } = await call<{
    inventoryItem: {
      inventoryLevel: {
        id: string;
        updatedAt: string | null;
        quantities: { name: string; quantity: number }[];
      } | null;
    } | null;
  }>(s, READ, { item, location });
  const level = data.inventoryItem?.inventoryLevel;
  if (!level) return undefined;
  const q = (name: string): number => level.quantities.find((x) => x.name === name)?.quantity ?? 0;
  return {
    gid: level.id,
    available: q('available'),
    onHand: q('on_hand'),
    updatedAt: level.updatedAt ? new Date(level.updatedAt) : null,
  };
}

const levelGid = (item: string, location: string): string =>
  `gid://shopify/InventoryLevel/${location.split('/').pop() ?? ''}?inventory_item_id=${item.split('/').pop() ?? ''}`;

interface BaseLevel {
  available: number;
  onHand: number;
}

async function baseOf(q: Queryable, tenantId: string, levelId: string) {
  const base = await getSyncBase(q, tenantId, 'inventory_level', levelId);
  return base ? { row: base, snap: base.snapshot as BaseLevel } : undefined;
}

async function setBase(
  q: Queryable,
  tenantId: string,
  levelId: string,
  gid: string,
  available: number,
  onHand: number,
  remoteUpdatedAt: Date | null,
  now: Date,
): Promise<string> {
  const snapshot = inventoryLevelSnapshot({ available, onHand });
  const hash = snapshotHash(snapshot);
  await upsertSyncBase(
    q,
    tenantId,
    'inventory_level',
    [{ localId: levelId, gid, hash, snapshot, remoteUpdatedAt }],
    now,
  );
  return hash;
}

/** Moves the local level to `available`, recording the delta like any stock change (origin shopify: never pushed back). */
async function setLocal(
  q: Queryable,
  tenantId: string,
  level: InventoryLevel,
  available: number,
  reason: string,
  now: Date,
) {
  const delta = available - level.available;
  if (delta === 0) return;
  await writeLevels(
    q,
    tenantId,
    'shopify',
    [
      {
        variantId: level.variantId,
        locationId: level.locationId,
        available,
        onHand: level.onHand + delta,
        deltaAvailable: delta,
        deltaOnHand: delta,
        reason,
      },
    ],
    now,
  );
}

async function levelHistory(
  q: Queryable,
  tenantId: string,
  direction: 'inbound' | 'outbound',
  origin: HistoryOrigin,
  level: InventoryLevel,
  gid: string,
  before: number,
  after: number,
  now: Date,
): Promise<void> {
  const { rows } = await q.query<{ sku: string | null; title: string; location: string }>(
    `select v.sku, p.title, l.name as location from variants v join products p on p.id = v.product_id
     join locations l on l.id = $3 where v.tenant_id = $1 and v.id = $2`,
    [tenantId, level.variantId, level.locationId],
  );
  const r = rows[0];
  const name = r ? `${r.sku ?? r.title} @ ${r.location}` : `inventory ${level.id}`;
  await insertHistory(
    q,
    tenantId,
    [
      {
        entity: 'inventory_level',
        localId: level.id,
        gid,
        displayName: name,
        direction,
        origin,
        action: 'update',
        outcome: 'applied',
        before: { available: before },
        after: { available: after },
        diff: [{ path: 'available', before, after }],
        conflicts: [],
        error: null,
        searchWords: r ? [r.sku ?? '', r.title, r.location] : [],
      },
    ],
    now,
  );
}

/** inventory_levels/update (or connect): Shopify's quantity plus our unpushed delta becomes the local quantity. */
export async function applyInventoryHint(
  deps: SyncDeps,
  session: ShopSession,
  tenantId: string,
  row: InboxRow,
): Promise<'applied' | 'unknown' | 'stale' | 'unchanged'> {
  const h = inventoryLevelFromWebhook(row.body);
  if (!h.ok) throw new PermanentError(`inventory webhook cannot be read: ${h.reason}`, 'mapping');
  const { inventoryItemGid: item, locationGid: location } = h.value;
  if (row.topic === 'inventory_levels/disconnect') return 'unchanged';
  const variantId = (await localIdsOf(deps.db, tenantId, 'inventory_item', [item])).get(item);
  const locationId = (await localIdsOf(deps.db, tenantId, 'location', [location])).get(location);
  if (!variantId || !locationId) return 'unknown';
  let available = h.value.available;
  let updatedAt = h.value.updatedAt;
  let read = false;
  for (;;) {
    if (available === null || read) {
      const remote = await readLevel(session, item, location);
      if (!remote) return 'unchanged';
      available = remote.available;
      updatedAt = remote.updatedAt;
      read = true;
    }
    const outcome = await applyLevel(
      deps,
      tenantId,
      item,
      location,
      { variantId, locationId },
      available,
      updatedAt,
      read,
    );
    if (outcome !== 'ambiguous') return outcome;
    read = true;
  }
}

async function applyLevel(
  deps: SyncDeps,
  tenantId: string,
  item: string,
  location: string,
  key: { variantId: string; locationId: string },
  remoteAvailable: number,
  updatedAt: Date | null,
  read: boolean,
): Promise<'applied' | 'stale' | 'unchanged' | 'ambiguous'> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const { levels } = await lockLevels(tx, tenantId, [key], now);
    const level = levels[0] as InventoryLevel;
    const base = await baseOf(tx, tenantId, level.id);
    const known = base?.row.remoteUpdatedAt?.getTime();
    if (known !== undefined && updatedAt && updatedAt.getTime() < known) return 'stale';
    if (base && base.snap.available === remoteAvailable) return 'unchanged'; // our own echo, or nothing new
    // Same second as what we hold but another quantity: Shopify's times have second precision, so
    // which came first is unknown. Read Shopify's current quantity instead of trusting either.
    if (!read && known !== undefined && updatedAt?.getTime() === known) return 'ambiguous';
    const baseAvailable = base?.snap.available ?? level.available;
    const unpushed = level.available - baseAvailable;
    const next = remoteAvailable + unpushed;
    await setLocal(tx, tenantId, level, next, 'shopify', now);
    await setBase(
      tx,
      tenantId,
      level.id,
      base?.row.gid ?? levelGid(item, location),
      remoteAvailable,
      level.onHand + (next - level.available),
      updatedAt,
      now,
    );
    await levelHistory(tx, tenantId, 'inbound', 'webhook', level, item, level.available, next, now);
    return 'applied';
  });
}

function idempotencyKey(levelId: string, from: number, delta: number): string {
  return createHash('sha256').update(`${levelId}:${from}:${delta}`).digest('hex').slice(0, 32);
}

/**
 * Pushes a level's unpushed delta with compare-and-set. Concurrent sales on both sides both count:
 * a stale compare re-reads Shopify, rebases the local quantity on it and tries again.
 */
export async function pushInventoryLevel(
  deps: SyncDeps,
  session: ShopSession,
  tenantId: string,
  levelId: string,
): Promise<'pushed' | 'unchanged' | 'not_on_shopify'> {
  const first = await getLevel(deps.db, tenantId, levelId);
  if (!first) return 'unchanged';
  const item = (await gidsOf(deps.db, tenantId, 'inventory_item', [first.variantId])).get(first.variantId);
  const location = (await gidsOf(deps.db, tenantId, 'location', [first.locationId])).get(first.locationId);
  if (!item || !location) return 'not_on_shopify';
  let base = (await baseOf(deps.db, tenantId, levelId))?.snap.available;
  if (base === undefined) {
    const remote = await readLevel(session, item, location);
    if (!remote) return activateLevel(deps, session, tenantId, first, item, location);
    base = remote.available;
    await deps.db.transaction((tx) =>
      setBase(
        tx,
        tenantId,
        levelId,
        remote.gid,
        remote.available,
        remote.onHand,
        remote.updatedAt,
        deps.clock.now(),
      ),
    );
  }
  for (let rebase = 0; rebase <= MAX_REBASES; rebase += 1) {
    const level = (await getLevel(deps.db, tenantId, levelId)) as InventoryLevel;
    const delta = level.available - base;
    if (delta === 0) return 'unchanged';
    const { data } = await call<{
      inventoryAdjustQuantities: {
        inventoryAdjustmentGroup: { id: string; createdAt: string | null } | null;
        userErrors: UserError[];
      };
    }>(session, ADJUST, {
      key: idempotencyKey(levelId, base, delta),
      input: {
        name: 'available',
        reason: 'correction',
        referenceDocumentUri: `gid://retailos/InventorySync/${levelId}`,
        changes: [{ inventoryItemId: item, locationId: location, delta, changeFromQuantity: base }],
      },
    });
    const errors = data.inventoryAdjustQuantities.userErrors;
    if (errors.some((e) => e.code === 'CHANGE_FROM_QUANTITY_STALE')) {
      base = await rebaseOnShopify(deps, session, tenantId, levelId, item, location, base);
      continue;
    }
    if (errors.some((e) => e.code === 'IDEMPOTENCY_CONCURRENT_REQUEST'))
      throw new TransientError('Shopify is still applying the same stock change');
    refuseOn('the stock change', errors);
    const pushedFrom = base;
    const now = deps.clock.now();
    // Shopify's time of our change: a webhook older than it (a sale we already rebased on) is stale.
    const createdAt = data.inventoryAdjustQuantities.inventoryAdjustmentGroup?.createdAt;
    const changedAt = createdAt ? new Date(createdAt) : null;
    await deps.db.transaction(async (tx) => {
      const gid = levelGid(item, location);
      const hash = await setBase(
        tx,
        tenantId,
        levelId,
        gid,
        pushedFrom + delta,
        level.onHand,
        changedAt,
        now,
      );
      await markPushed(tx, tenantId, 'inventory_level', levelId, hash, now);
      await levelHistory(tx, tenantId, 'outbound', 'push', level, item, pushedFrom, pushedFrom + delta, now);
    });
    return 'pushed';
  }
  throw new TransientError(`Shopify's stock for ${levelId} kept moving during ${MAX_REBASES} attempts`);
}

const ACTIVATE = `mutation StockAt($item: ID!, $location: ID!, $available: Int) {
  inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) {
    inventoryLevel { id updatedAt quantities(names: ["available", "on_hand"]) { name quantity } }
    userErrors { field message }
  }
}`;

/**
 * The item is not stocked at this location on Shopify yet (a variant Retailos created, or a location
 * it was never stocked at): stock it there with our quantity, which becomes the base.
 */
async function activateLevel(
  deps: SyncDeps,
  session: ShopSession,
  tenantId: string,
  level: InventoryLevel,
  item: string,
  location: string,
): Promise<'pushed'> {
  const { data } = await call<{
    inventoryActivate: {
      inventoryLevel: {
        id: string;
        updatedAt: string | null;
        quantities: { name: string; quantity: number }[];
      } | null;
      userErrors: UserError[];
    };
  }>(session, ACTIVATE, { item, location, available: level.available });
  refuseOn('to stock the item at this location', data.inventoryActivate.userErrors);
  const made = data.inventoryActivate.inventoryLevel;
  if (!made) throw new PermanentError('inventoryActivate returned no level', 'shopify_no_level');
  const q = (name: string): number => made.quantities.find((x) => x.name === name)?.quantity ?? 0;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const updatedAt = made.updatedAt ? new Date(made.updatedAt) : null;
    const hash = await setBase(tx, tenantId, level.id, made.id, q('available'), q('on_hand'), updatedAt, now);
    await markPushed(tx, tenantId, 'inventory_level', level.id, hash, now);
    await levelHistory(tx, tenantId, 'outbound', 'push', level, item, 0, q('available'), now);
  });
  return 'pushed';
}

/** After a stale compare: Shopify's quantity becomes the base, the local quantity keeps its unpushed delta on top. */
async function rebaseOnShopify(
  deps: SyncDeps,
  session: ShopSession,
  tenantId: string,
  levelId: string,
  item: string,
  location: string,
  oldBase: number,
): Promise<number> {
  const remote = await readLevel(session, item, location);
  if (!remote) throw new PermanentError('the inventory level is gone from Shopify', 'not_found');
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const level = (await getLevel(tx, tenantId, levelId)) as InventoryLevel;
    const { levels } = await lockLevels(tx, tenantId, [level], now);
    const locked = levels[0] as InventoryLevel;
    const next = remote.available + (locked.available - oldBase);
    await setLocal(tx, tenantId, locked, next, 'shopify', now);
    await setBase(tx, tenantId, levelId, remote.gid, remote.available, remote.onHand, remote.updatedAt, now);
    if (next !== locked.available)
      await levelHistory(tx, tenantId, 'inbound', 'push', locked, item, locked.available, next, now);
  });
  return remote.available;
}
