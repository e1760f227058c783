import { attempt, blankToNull, MappingError, parseTime, requireGid, shopifyTime } from './common.ts';
import type { Mapped, ShopifyInventoryLevel, ShopifyLocation } from './shapes.ts';
import type { LocationSyncFields } from './snapshot.ts';

export interface LocationFromShopify extends LocationSyncFields {
  gid: string;
  address: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

const ADDRESS_KEYS = [
  'address1',
  'address2',
  'city',
  'province',
  'zip',
  'country',
  'countryCode',
  'phone',
] as const;

export function mapLocation(l: ShopifyLocation): Mapped<LocationFromShopify> {
  return attempt(() => {
    const name = (l.name ?? '').trim();
    if (!name) throw new MappingError('the location has no name');
    const address: Record<string, string> = {};
    for (const key of ADDRESS_KEYS) {
      const v = blankToNull(l.address?.[key]);
      if (v !== null) address[key] = v;
    }
    return {
      gid: requireGid(l.id, 'Location'),
      name,
      address,
      active: l.isActive !== false,
      createdAt: parseTime(l.createdAt, 'createdAt'),
      updatedAt: parseTime(l.updatedAt, 'updatedAt'),
    };
  });
}

export function locationToShopify(l: LocationFromShopify): ShopifyLocation {
  return {
    id: l.gid,
    name: l.name,
    isActive: l.active,
    address: { ...l.address },
    createdAt: shopifyTime(l.createdAt),
    updatedAt: shopifyTime(l.updatedAt),
  };
}

export interface InventoryLevelFromShopify {
  gid: string;
  locationGid: string;
  inventoryItemGid: string;
  available: number;
  onHand: number;
  updatedAt: Date | null;
}

function quantity(level: ShopifyInventoryLevel, name: string): number {
  const q = (level.quantities ?? []).find((x) => x.name === name);
  if (!q || !Number.isInteger(q.quantity)) throw new MappingError(`the level has no ${name} quantity`);
  return q.quantity;
}

/** A level line under its location (`__parentId`); available and on_hand from `quantities`. */
export function mapInventoryLevel(
  level: ShopifyInventoryLevel,
  locationGid: string,
): Mapped<InventoryLevelFromShopify> {
  return attempt(() => {
    if (!level.item) throw new MappingError('the level names no inventory item');
    return {
      gid: level.id,
      locationGid: requireGid(locationGid, 'Location'),
      inventoryItemGid: requireGid(level.item.id, 'InventoryItem'),
      available: quantity(level, 'available'),
      onHand: quantity(level, 'on_hand'),
      updatedAt: level.updatedAt ? parseTime(level.updatedAt, 'updatedAt') : null,
    };
  });
}

export function inventoryLevelToShopify(l: InventoryLevelFromShopify): ShopifyInventoryLevel {
  return {
    id: l.gid,
    quantities: [
      { name: 'available', quantity: l.available },
      { name: 'on_hand', quantity: l.onHand },
    ],
    item: { id: l.inventoryItemGid },
    updatedAt: l.updatedAt === null ? null : shopifyTime(l.updatedAt),
  };
}
