import type { ShopData } from './types.ts';

/** `gid://shopify/Product/12` */
export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

/** GID of an inventory level, as Shopify writes it (location id + item query). */
export function inventoryLevelGid(locationId: number, itemId: number): string {
  return `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${itemId}`;
}

export interface ParsedGid {
  type: string;
  id: number;
  params: URLSearchParams;
}

/** Parses a Shopify GID; returns null for anything malformed. */
export function parseGid(value: string): ParsedGid | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?(.*))?$/.exec(value);
  if (!match || match[1] === undefined || match[2] === undefined) return null;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id)) return null;
  return { type: match[1], id, params: new URLSearchParams(match[3] ?? '') };
}

/** Numeric id when `value` is a GID of `type`, else null. */
export function idOf(value: string, type: string): number | null {
  const parsed = parseGid(value);
  return parsed && parsed.type === type ? parsed.id : null;
}

/**
 * Next numeric id for a record type in this shop. Counters are per shop and per type,
 * starting at the shop's `idBase` so ids do not collide across shops.
 */
export function nextId(shop: ShopData, type: string): number {
  const next = (shop.counters.get(type) ?? shop.idBase) + 1;
  shop.counters.set(type, next);
  return next;
}
