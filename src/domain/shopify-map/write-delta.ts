import { canonicalJson } from './snapshot.ts';

type Input = Record<string, unknown>;

/** Which keys of a write input stay whatever their value, and which lists are matched entry by entry. */
export interface DeltaShape {
  /** Keys sent even when Shopify already holds the value (identity, required inputs). */
  keep: readonly string[];
  /**
   * List fields Shopify replaces as a whole (an entry left out is deleted): the list is always sent,
   * and each entry with an `id` keeps only its changed fields (and the entry shape's `keep`).
   */
  lists?: Readonly<Record<string, DeltaShape>>;
}

const isInput = (v: unknown): v is Input => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * The part of a write input that changes something: `next` without the fields `was` — the same input
 * built from the state Shopify held when we read it — already holds. Shopify leaves an omitted field as
 * it is (productSet, customerSet and orderUpdate alike), so a Shopify edit of another field made between
 * our read and our write survives instead of being overwritten with the value we had read.
 */
export function writeDelta(next: Input, was: Input | undefined, shape: DeltaShape): Input {
  if (!was) return next;
  const out: Input = {};
  for (const [key, value] of Object.entries(next)) {
    const entries = shape.lists?.[key];
    if (entries && Array.isArray(value)) {
      const before = Array.isArray(was[key]) ? (was[key] as unknown[]) : [];
      const byId = new Map<unknown, Input>(
        before.filter(isInput).flatMap((e) => (e['id'] === undefined ? [] : [[e['id'], e] as const])),
      );
      out[key] = value.map((e) =>
        isInput(e) && e['id'] !== undefined ? writeDelta(e, byId.get(e['id']), entries) : e,
      );
      continue;
    }
    if (shape.keep.includes(key) || !same(value, was[key])) out[key] = value;
  }
  return out;
}
