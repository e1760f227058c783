import type { ShopData } from './types.ts';

/**
 * Shopify ids are unsigned 64-bit integers. Records hold a per-shop serial (a safe JS number); the id
 * Shopify shows — in a GID, `legacyResourceId`, a webhook's REST `id` — is that serial plus this
 * process's offset, exact as text or bigint, never a rounded JS number. The offset is 0 unless the
 * emulator runs with --wide-ids (2^53: every id is past what a JS number holds exactly).
 */
export const MAX_ID = 2n ** 64n - 1n;
export const WIDE_ID_OFFSET = 2n ** 53n;
let idOffset = 0n;

/** Shifts every id this process issues and reads (call before any store exists). */
export function setIdOffset(offset: bigint): void {
  if (offset < 0n || offset > MAX_ID - BigInt(Number.MAX_SAFE_INTEGER))
    throw new Error('the id offset keeps ids within 64 bits');
  idOffset = offset;
}

/** The id Shopify shows for a record's serial, as digits. */
export function externalId(id: number): string {
  return (BigInt(id) + idOffset).toString();
}

/** A REST id field: a JSON number, a bigint when past 2^53 (serialised with every digit). */
export function restId(id: number): number | bigint;
export function restId(id: number | null): number | bigint | null;
export function restId(id: number | null): number | bigint | null {
  if (id === null) return null;
  return idOffset === 0n ? id : BigInt(id) + idOffset;
}

/** `gid://shopify/Product/12` */
export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${externalId(id)}`;
}

/** GID of an inventory level, as Shopify writes it (location id + item query). */
export function inventoryLevelGid(locationId: number, itemId: number): string {
  return `gid://shopify/InventoryLevel/${externalId(locationId)}?inventory_item_id=${externalId(itemId)}`;
}

export interface ParsedGid {
  type: string;
  id: number;
  params: URLSearchParams;
}

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?(.*))?$/;

/** A global id Shopify would accept: a type and an unsigned 64-bit id (it may name nothing). */
export function isWellFormedGid(value: string): boolean {
  const match = GID.exec(value);
  return match?.[2] !== undefined && BigInt(match[2]) <= MAX_ID;
}

/** A record's serial from an id Shopify shows; null when no record of this process can have it. */
export function internalId(digits: string): number | null {
  if (!/^\d+$/.test(digits)) return null;
  const serial = BigInt(digits) - idOffset;
  return serial >= 0n && serial <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(serial) : null;
}

/**
 * Parses a Shopify GID to a record's serial; null for anything malformed and for a well-formed id no
 * record can have (see isWellFormedGid to tell the two apart). Query values that are ids
 * (`inventory_item_id`) are turned into serials too.
 */
export function parseGid(value: string): ParsedGid | null {
  const match = GID.exec(value);
  if (!match || match[1] === undefined || match[2] === undefined) return null;
  const id = internalId(match[2]);
  if (id === null) return null;
  const params = new URLSearchParams(match[3] ?? '');
  const item = params.get('inventory_item_id');
  if (item !== null) {
    const serial = internalId(item);
    if (serial === null) return null;
    params.set('inventory_item_id', String(serial));
  }
  return { type: match[1], id, params };
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
