import { externalId } from '../store/ids.ts';
import { parseSearch, type Comparator, type SearchNode } from './search-parse.ts';

/** How one searchable field of a record type reads and compares. */
export type SearchField<T> =
  | { kind: 'date'; get: (item: T) => number | null }
  | { kind: 'number'; get: (item: T) => number | null }
  /** A record's id (its serial), compared as the unsigned 64-bit id Shopify shows (`--wide-ids` too). */
  | { kind: 'id'; get: (item: T) => number | null }
  | { kind: 'string'; get: (item: T) => string | null }
  | { kind: 'list'; get: (item: T) => string[] }
  | { kind: 'boolean'; get: (item: T) => boolean };

export interface SearchSpec<T> {
  fields: Record<string, SearchField<T>>;
  /** Text matched by a term without a field. */
  freeText: (item: T) => (string | null)[];
}

export interface CompiledSearch<T> {
  matches: (item: T) => boolean;
  /** Fields Shopify would warn about ("Invalid search field for this query."). */
  unknownFields: string[];
}

/** Epoch seconds for a search date value: ISO date-time, `YYYY-MM-DD`, year, or `now`. */
export function parseSearchDate(value: string, nowSeconds: number): { from: number; to: number } | null {
  if (value === 'now') return { from: nowSeconds, to: nowSeconds };
  if (/^\d{4}$/.test(value)) {
    const from = Date.UTC(Number(value), 0, 1) / 1000;
    return { from, to: Date.UTC(Number(value) + 1, 0, 1) / 1000 - 1 };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const from = Date.parse(`${value}T00:00:00Z`) / 1000;
    return Number.isNaN(from) ? null : { from, to: from + 86399 };
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  const s = Math.floor(ms / 1000);
  return { from: s, to: s };
}

function compareRange(actual: number, op: Comparator, range: { from: number; to: number }): boolean {
  switch (op) {
    case ':':
      return actual >= range.from && actual <= range.to;
    case '>':
      return actual > range.to;
    case '>=':
      return actual >= range.from;
    case '<':
      return actual < range.from;
    case '<=':
      return actual <= range.to;
  }
}

function compareIds(actual: bigint, op: Comparator, wanted: bigint): boolean {
  switch (op) {
    case ':':
      return actual === wanted;
    case '>':
      return actual > wanted;
    case '>=':
      return actual >= wanted;
    case '<':
      return actual < wanted;
    case '<=':
      return actual <= wanted;
  }
}

function stringMatches(actual: string, wanted: string): boolean {
  const a = actual.toLowerCase();
  const w = wanted.toLowerCase();
  return w.endsWith('*') ? a.startsWith(w.slice(0, -1)) : a === w;
}

function termMatcher<T>(
  field: SearchField<T>,
  op: Comparator,
  raw: string,
  now: number,
): (item: T) => boolean {
  const values = raw.split(',').filter((v) => v !== '');
  switch (field.kind) {
    case 'date': {
      const range = parseSearchDate(raw, now);
      if (!range) return () => false;
      return (item) => {
        const v = field.get(item);
        return v !== null && compareRange(v, op, range);
      };
    }
    case 'number': {
      const n = Number(raw.replace(/^gid:\/\/shopify\/\w+\//, ''));
      return (item) => {
        const v = field.get(item);
        return v !== null && compareRange(v, op, { from: n, to: n });
      };
    }
    case 'id': {
      const digits = raw.replace(/^gid:\/\/shopify\/\w+\//, '');
      if (!/^\d+$/.test(digits)) return () => false;
      const wanted = BigInt(digits);
      return (item) => {
        const v = field.get(item);
        return v !== null && compareIds(BigInt(externalId(v)), op, wanted);
      };
    }
    case 'string':
      return (item) => {
        const v = field.get(item);
        return v !== null && values.some((w) => stringMatches(v, w));
      };
    case 'list':
      return (item) => field.get(item).some((v) => values.some((w) => stringMatches(v, w)));
    case 'boolean':
      return (item) => String(field.get(item)) === raw.toLowerCase();
  }
}

/** Compiles a search string into a predicate for one record type. */
export function compileSearch<T>(
  query: string | null | undefined,
  spec: SearchSpec<T>,
  now: number,
): CompiledSearch<T> {
  const unknownFields: string[] = [];
  const build = (node: SearchNode): ((item: T) => boolean) => {
    switch (node.type) {
      case 'and': {
        const parts = node.items.map(build);
        return (item) => parts.every((p) => p(item));
      }
      case 'or': {
        const parts = node.items.map(build);
        return (item) => parts.some((p) => p(item));
      }
      case 'not': {
        const inner = build(node.item);
        return (item) => !inner(item);
      }
      case 'term': {
        if (node.field === null) {
          const wanted = node.value.toLowerCase();
          return (item) => spec.freeText(item).some((t) => t !== null && t.toLowerCase().includes(wanted));
        }
        const field = spec.fields[node.field];
        if (!field) {
          unknownFields.push(node.field);
          return () => true;
        }
        const matcher = termMatcher(field, node.op, node.value, now);
        return node.field.endsWith('_not') ? (item) => !matcher(item) : matcher;
      }
    }
  };
  if (!query || query.trim() === '') return { matches: () => true, unknownFields };
  return { matches: build(parseSearch(query)), unknownFields };
}
