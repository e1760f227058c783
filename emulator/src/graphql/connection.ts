import { requestError } from './errors.ts';

export const MAX_PAGE_SIZE = 250;

export type SortValue = number | string;

/** Connection arguments every Shopify connection accepts. */
export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

interface CursorData {
  last_id: number;
  last_value: SortValue;
}

/** Opaque cursor: base64 of `{"last_id":…,"last_value":…}` like Shopify's. */
export function encodeCursor(id: number, value: SortValue): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: value } satisfies CursorData)).toString(
    'base64',
  );
}

export function decodeCursor(cursor: string): CursorData {
  try {
    const data = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as Partial<CursorData>;
    if (
      typeof data.last_id === 'number' &&
      (typeof data.last_value === 'number' || typeof data.last_value === 'string')
    ) {
      return { last_id: data.last_id, last_value: data.last_value };
    }
  } catch {
    // fall through to the error below
  }
  throw requestError(`Invalid cursor for current pagination sort.`, 'BAD_REQUEST');
}

/** Items sorted by (key, id), ascending unless `reverse`. */
export interface SortedItems<T> {
  items: T[];
  key: (item: T) => SortValue;
  id: (item: T) => number;
  reverse: boolean;
  /** Only items passing this filter are part of the connection. */
  matches?: ((item: T) => boolean) | null;
}

function compare(a: SortValue, aId: number, b: SortValue, bId: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return aId - bId;
}

/** Index of the first item strictly after the cursor position. */
function indexAfter<T>(sorted: SortedItems<T>, cursor: CursorData): number {
  const dir = sorted.reverse ? -1 : 1;
  let lo = 0;
  let hi = sorted.items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = sorted.items[mid] as T;
    if (dir * compare(sorted.key(item), sorted.id(item), cursor.last_value, cursor.last_id) <= 0)
      lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first item at or after the cursor position (items before it are "before"). */
function indexBefore<T>(sorted: SortedItems<T>, cursor: CursorData): number {
  const dir = sorted.reverse ? -1 : 1;
  let lo = 0;
  let hi = sorted.items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = sorted.items[mid] as T;
    if (dir * compare(sorted.key(item), sorted.id(item), cursor.last_value, cursor.last_id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Page<T> {
  slice: T[];
  cursorOf: (item: T) => string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Checks first/last like Shopify; `unbounded` (bulk) lifts both rules. */
export function checkPageArgs(args: PageArgs, unbounded: boolean): void {
  if (unbounded) return;
  const first = args.first ?? null;
  const last = args.last ?? null;
  if (first === null && last === null)
    throw requestError('you must provide one of first or last', 'BAD_REQUEST');
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value !== null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw requestError(`The ${name} argument must be between 0 and ${MAX_PAGE_SIZE}.`, 'BAD_REQUEST');
    }
  }
}

/** Indexes (into `items`) of matching items in [from, to), at most `limit`, scanning forward or backward. */
function collect<T>(
  sorted: SortedItems<T>,
  from: number,
  to: number,
  limit: number,
  backward: boolean,
): number[] {
  const out: number[] = [];
  const ok = sorted.matches;
  if (backward) {
    for (let i = to - 1; i >= from && out.length < limit; i--)
      if (!ok || ok(sorted.items[i] as T)) out.push(i);
    return out.reverse();
  }
  for (let i = from; i < to && out.length < limit; i++) if (!ok || ok(sorted.items[i] as T)) out.push(i);
  return out;
}

/**
 * Slices a sorted list by Relay arguments. With `matches`, only matching items count,
 * and only as many items are tested as the page needs (cursors are found by binary search).
 */
export function paginate<T>(sorted: SortedItems<T>, args: PageArgs, unbounded = false): Page<T> {
  checkPageArgs(args, unbounded);
  const n = sorted.items.length;
  const start = args.after ? indexAfter(sorted, decodeCursor(args.after)) : 0;
  const end = Math.max(start, args.before ? indexBefore(sorted, decodeCursor(args.before)) : n);
  let picked: number[];
  if (args.first != null) {
    picked = collect(sorted, start, end, args.first, false);
    if (args.last != null) picked = picked.slice(Math.max(0, picked.length - args.last));
  } else if (args.last != null) {
    picked = collect(sorted, start, end, args.last, true);
  } else {
    picked = collect(sorted, start, end, Infinity, false);
  }
  const firstIndex = picked[0];
  const lastIndex = picked[picked.length - 1];
  return {
    slice: picked.map((i) => sorted.items[i] as T),
    cursorOf: (item) => encodeCursor(sorted.id(item), sorted.key(item)),
    hasNextPage: collect(sorted, lastIndex === undefined ? start : lastIndex + 1, n, 1, false).length > 0,
    hasPreviousPage: collect(sorted, 0, firstIndex ?? start, 1, true).length > 0,
  };
}
