import {
  externalId,
  gid,
  idOf,
  inventoryLevelGid,
  QUANTITY_NAMES,
  quantityOf,
  type InventoryItemRecord,
  type InventoryLevelRecord,
  type LocationRecord,
  type QuantityName,
} from '../../store/index.ts';
import type { PageArgs } from '../connection.ts';
import type { ExecContext } from '../context.ts';
import { requestError } from '../errors.ts';
import { iso, legacyId, listConnection, moneyV2, PAGE_ARGS, rejectUnknownArgs, type View } from './common.ts';
import { variantView } from './product.ts';

type ConnArgs = PageArgs & { reverse?: boolean | null; query?: string | null };

export function inventoryItemView(ctx: ExecContext, item: InventoryItemRecord): View {
  const shop = ctx.shop;
  const levels = () => [...item.levels.values()].sort((a, b) => a.locationId - b.locationId);
  return {
    __typename: 'InventoryItem',
    id: gid('InventoryItem', item.id),
    legacyResourceId: legacyId(item.id),
    sku: item.sku || null,
    tracked: item.tracked,
    requiresShipping: true,
    unitCost: item.unitCost === null ? null : moneyV2(item.unitCost, shop.currency),
    createdAt: iso(item.createdAt),
    updatedAt: iso(item.updatedAt),
    variant: () => {
      const variant = shop.variants.get(item.variantId);
      return variant ? variantView(ctx, variant) : null;
    },
    inventoryLevels: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'InventoryItem.inventoryLevels');
      return listConnection(
        ctx,
        levels(),
        (l) => l.locationId,
        args,
        (l) => inventoryLevelView(ctx, l),
      );
    },
    inventoryLevel: (args: { locationId: string }) => {
      const locationId = idOf(args.locationId, 'Location');
      const level = locationId === null ? undefined : item.levels.get(locationId);
      return level ? inventoryLevelView(ctx, level) : null;
    },
  };
}

function checkNames(names: string[]): QuantityName[] {
  for (const name of names) {
    if (!(QUANTITY_NAMES as readonly string[]).includes(name)) {
      throw requestError(
        `The quantity name '${name}' is not valid. Valid names are: ${QUANTITY_NAMES.join(', ')}.`,
        'BAD_REQUEST',
      );
    }
  }
  return names as QuantityName[];
}

export function inventoryLevelView(ctx: ExecContext, level: InventoryLevelRecord): View {
  const shop = ctx.shop;
  const id = inventoryLevelGid(level.locationId, level.itemId);
  return {
    __typename: 'InventoryLevel',
    id,
    createdAt: iso(level.createdAt),
    updatedAt: iso(level.updatedAt),
    isActive: true,
    canDeactivate: true,
    quantities: (args: { names: string[] }) =>
      checkNames(args.names).map((name) => ({
        id: `gid://shopify/InventoryQuantity/${externalId(level.locationId)}?inventory_item_id=${externalId(level.itemId)}&name=${name}`,
        name,
        quantity: quantityOf(level, name),
        updatedAt: iso(level.updatedAt),
      })),
    item: () => {
      const item = shop.inventoryItems.get(level.itemId);
      return item ? inventoryItemView(ctx, item) : null;
    },
    location: () => {
      const location = shop.locations.get(level.locationId);
      return location ? locationView(ctx, location) : null;
    },
  };
}

function levelsAt(ctx: ExecContext, locationId: number): InventoryLevelRecord[] {
  const out: InventoryLevelRecord[] = [];
  for (const item of ctx.shop.inventoryItems.values()) {
    const level = item.levels.get(locationId);
    if (level) out.push(level);
  }
  return out;
}

export function locationView(ctx: ExecContext, location: LocationRecord): View {
  const a = location.address;
  return {
    __typename: 'Location',
    id: gid('Location', location.id),
    legacyResourceId: legacyId(location.id),
    name: location.name,
    isActive: location.isActive,
    activatable: !location.isActive,
    deactivatable: location.isActive,
    deletable: !location.isActive,
    fulfillsOnlineOrders: location.fulfillsOnlineOrders,
    hasActiveInventory: () => levelsAt(ctx, location.id).length > 0,
    shipsInventory: true,
    createdAt: iso(location.createdAt),
    updatedAt: iso(location.updatedAt),
    deactivatedAt: null,
    address: {
      ...a,
      latitude: null,
      longitude: null,
      formatted: [a.address1, a.address2, [a.zip, a.city].filter(Boolean).join(' '), a.country].filter(
        Boolean,
      ),
    },
    inventoryLevels: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'Location.inventoryLevels');
      return listConnection(
        ctx,
        levelsAt(ctx, location.id),
        (l) => l.itemId,
        args,
        (l) => inventoryLevelView(ctx, l),
      );
    },
    inventoryLevel: (args: { inventoryItemId: string }) => {
      const itemId = idOf(args.inventoryItemId, 'InventoryItem');
      const level =
        itemId === null ? undefined : ctx.shop.inventoryItems.get(itemId)?.levels.get(location.id);
      return level ? inventoryLevelView(ctx, level) : null;
    },
  };
}
