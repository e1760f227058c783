import type { ChangeKind, ShopData } from '../store/index.ts';
import type { SortedItems, SortValue } from './connection.ts';

interface CacheEntry {
  version: number;
  items: unknown[];
}

const caches = new WeakMap<ShopData, Map<string, CacheEntry>>();

export interface SortSpec<T> {
  key: (item: T) => SortValue;
  id: (item: T) => number;
}

/**
 * Records of one kind sorted by (key, id) ascending, cached until the kind changes.
 * `name` identifies the sort (e.g. "product:UPDATED_AT").
 */
export function sortedRecords<T>(
  shop: ShopData,
  kind: ChangeKind,
  name: string,
  all: () => Iterable<T>,
  spec: SortSpec<T>,
): T[] {
  let cache = caches.get(shop);
  if (!cache) {
    cache = new Map();
    caches.set(shop, cache);
  }
  const version = shop.versions.get(kind) ?? 0;
  const hit = cache.get(name);
  if (hit && hit.version === version) return hit.items as T[];
  const items = [...all()];
  items.sort((a, b) => {
    const ka = spec.key(a);
    const kb = spec.key(b);
    if (ka < kb) return -1;
    if (ka > kb) return 1;
    return spec.id(a) - spec.id(b);
  });
  cache.set(name, { version, items });
  return items;
}

/** Orients a sorted list for `paginate`, which applies `matches` lazily. */
export function selectSorted<T>(
  sorted: T[],
  spec: SortSpec<T>,
  matches: ((item: T) => boolean) | null,
  reverse: boolean,
): SortedItems<T> {
  const items = reverse ? [...sorted].reverse() : sorted;
  return { items, key: spec.key, id: spec.id, reverse, matches };
}

/** Number of items passing the filter (for counts). */
export function countMatching<T>(sorted: SortedItems<T>): number {
  if (!sorted.matches) return sorted.items.length;
  let n = 0;
  for (const item of sorted.items) if (sorted.matches(item)) n++;
  return n;
}
