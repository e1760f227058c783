import type { Queryable } from '../../db/db.ts';
import { levelLabel, writeLevels } from '../../db/inventory.ts';
import { upsertSyncBase } from '../../db/shopify-sync-base.ts';
import { insertHistory, type HistoryOrigin } from '../../db/shopify-sync-history.ts';
import type { InventoryLevel } from '../../domain/entities.ts';
import { fieldDiff } from '../../domain/diff.ts';
import {
  inventoryLevelSnapshot,
  snapshotHash,
  type InventoryLevelSnapshot,
} from '../../domain/shopify-map/index.ts';
import type { ShopSession } from '../shop-session.ts';
import { call } from '../entities/shopify-write.ts';

/**
 * What both sync directions of a stock level share: Shopify's quantities of a level (each quantity
 * name to its own field), the sync base (the quantities both sides last agreed on), the local write
 * and the history entry.
 */

/**
 * Quantities of one level, in the level's one snapshot shape (base and history alike): `available` and
 * `on_hand` are different numbers on Shopify (an order commits stock).
 */
export type Quantities = InventoryLevelSnapshot;

export interface RemoteLevel extends Quantities {
  gid: string;
  updatedAt: Date | null;
}

export const QUANTITY_FIELDS = 'quantities(names: ["available", "on_hand"]) { name quantity }';

const READ = `query LevelForSync($item: ID!, $location: ID!) {
  inventoryItem(id: $item) { inventoryLevel(locationId: $location) { id updatedAt ${QUANTITY_FIELDS} } }
}`;

export interface ShopifyLevelNode {
  id: string;
  updatedAt: string | null;
  quantities: { name: string; quantity: number }[];
}

export function remoteLevelOf(node: ShopifyLevelNode): RemoteLevel {
  const q = (name: string): number => node.quantities.find((x) => x.name === name)?.quantity ?? 0;
  return {
    gid: node.id,
    available: q('available'),
    onHand: q('on_hand'),
    updatedAt: node.updatedAt ? new Date(node.updatedAt) : null,
  };
}

/** Shopify's current level, or undefined when the item is not stocked at the location. */
export async function readLevel(
  s: ShopSession,
  item: string,
  location: string,
): Promise<RemoteLevel | undefined> {
  const level = await readLevelState(s, item, location);
  return typeof level === 'string' ? undefined : level;
}

/**
 * The level, or why there is none: `no_item` (the inventory item is gone: its variant or product was
 * deleted on Shopify) or `not_stocked` (the item is there but not stocked at the location).
 */
export async function readLevelState(
  s: ShopSession,
  item: string,
  location: string,
): Promise<RemoteLevel | 'no_item' | 'not_stocked'> {
  const { data } = await call<{ inventoryItem: { inventoryLevel: ShopifyLevelNode | null } | null }>(
    s,
    READ,
    {
      item,
      location,
    },
  );
  if (!data.inventoryItem) return 'no_item';
  const level = data.inventoryItem.inventoryLevel;
  return level ? remoteLevelOf(level) : 'not_stocked';
}

export const levelGid = (item: string, location: string): string =>
  `gid://shopify/InventoryLevel/${location.split('/').pop() ?? ''}?inventory_item_id=${item.split('/').pop() ?? ''}`;

/** The numeric ids an inventory webhook names its level by. */
export const numericId = (gid: string): string => gid.split('/').pop() ?? '';

/** Writes the level's sync base: the quantities Shopify held that Retailos has counted. */
export async function setBase(
  q: Queryable,
  tenantId: string,
  levelId: string,
  gid: string,
  quantities: Quantities,
  remoteUpdatedAt: Date | null,
  now: Date,
): Promise<string> {
  const snapshot = inventoryLevelSnapshot(quantities);
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

/** Moves the local level to `next`, recording the deltas like any stock change (origin shopify: never pushed back). */
export async function setLocal(
  q: Queryable,
  tenantId: string,
  level: InventoryLevel,
  next: Quantities,
  reason: string,
  now: Date,
): Promise<void> {
  const deltaAvailable = next.available - level.available;
  const deltaOnHand = next.onHand - level.onHand;
  if (deltaAvailable === 0 && deltaOnHand === 0) return;
  await writeLevels(
    q,
    tenantId,
    'shopify',
    [
      {
        variantId: level.variantId,
        locationId: level.locationId,
        available: next.available,
        onHand: next.onHand,
        deltaAvailable,
        deltaOnHand,
        reason,
      },
    ],
    now,
  );
}

/** A level's name for people (Sync History, dead letters): "SKU @ location", and its search words. */
export async function levelDisplay(
  q: Queryable,
  tenantId: string,
  levelId: string,
): Promise<{ name: string; searchWords: string[] } | undefined> {
  const l = await levelLabel(q, tenantId, levelId);
  if (!l) return undefined;
  return { name: `${l.sku ?? l.title} @ ${l.location}`, searchWords: [l.sku ?? '', l.title, l.location] };
}

/**
 * One history entry of a level: before and after in the level's snapshot shape (the base's), and each
 * quantity that moved (`available`, `onHand`) with its two numbers.
 */
export async function levelHistory(
  q: Queryable,
  tenantId: string,
  direction: 'inbound' | 'outbound',
  origin: HistoryOrigin,
  level: InventoryLevel,
  gid: string,
  before: Quantities,
  after: Quantities,
  now: Date,
  cause?: string,
): Promise<void> {
  const was = inventoryLevelSnapshot(before);
  const is = inventoryLevelSnapshot(after);
  const diff = fieldDiff(was, is);
  if (diff.length === 0) return;
  const { name, searchWords } = (await levelDisplay(q, tenantId, level.id)) ?? {
    name: `inventory ${level.id}`,
    searchWords: [],
  };
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
        before: was,
        after: is,
        diff,
        conflicts: [],
        error: null,
        searchWords,
        ...(cause ? { cause } : {}),
      },
    ],
    now,
  );
}
