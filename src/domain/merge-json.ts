import { canonicalJson, type Json } from './shopify-map/snapshot.ts';

/** Small JSON helpers shared by the three-way merge and the field diff. */

export type JsonObject = { [key: string]: Json };

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equal as canonical JSON: key order never matters. */
export function sameJson(a: Json, b: Json): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/** A member of an object; a missing key counts as null (own keys only, never the prototype's). */
export function fieldOf(o: JsonObject, key: string): Json {
  return Object.hasOwn(o, key) ? (o[key] ?? null) : null;
}

/** Keys of both objects, first's order then second's extras. */
export function unionKeys(a: JsonObject, b: JsonObject): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

/** `prefix.key`, or just `key` at the top level. */
export function joinPath(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/**
 * An array of objects indexed by key, in array order; null when the value is not an array of
 * objects or two elements share a key (then it can only be handled as a whole value).
 */
export function indexByKey(key: (item: JsonObject) => string, value: Json): Map<string, JsonObject> | null {
  if (!Array.isArray(value)) return null;
  const out = new Map<string, JsonObject>();
  for (const item of value) {
    if (!isObject(item)) return null;
    const k = key(item);
    if (out.has(k)) return null;
    out.set(k, item);
  }
  return out;
}

/** Code-unit order, the same order as sorted tags. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The top-level keys whose values differ between two snapshots of one record (a missing key counts as
 * null; null snapshots have no keys), in `after`'s order then `before`'s extras: what a write changed.
 */
export function changedKeys(before: Json | null, after: Json | null): string[] {
  const b: JsonObject = isObject(before) ? before : {};
  const a: JsonObject = isObject(after) ? after : {};
  return unionKeys(a, b).filter((k) => !sameJson(fieldOf(b, k), fieldOf(a, k)));
}

/** The top-level key a conflict's path names: `variants[SKU-1].price` → `variants`. */
export function topLevelKey(path: string): string {
  const m = /^[^.[]*/.exec(path);
  return m ? m[0] : path;
}
