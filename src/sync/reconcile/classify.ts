import { fieldDiff } from '../../domain/diff.ts';
import type { MergeRules } from '../../domain/merge.ts';
import type { Json } from '../../domain/shopify-map/index.ts';

/** Why a record differs between the two sides: what live sync missed. */
export type Cause =
  | 'shopify_changed'
  | 'retailos_changed'
  | 'both_changed'
  | 'created_on_shopify'
  | 'created_in_retailos'
  | 'deleted_on_shopify'
  | 'deleted_in_retailos';

/** Each cause in words, as Sync History and the report show it. */
export const CAUSE_WORDS: Readonly<Record<Cause, string>> = {
  shopify_changed: 'Shopify change not received',
  retailos_changed: 'push not delivered',
  both_changed: 'changed on both sides, a change not synced',
  created_on_shopify: 'created on Shopify, never received',
  created_in_retailos: 'created in Retailos, never pushed',
  deleted_on_shopify: 'deleted on Shopify, deletion not received',
  deleted_in_retailos: 'deleted in Retailos, deletion not pushed',
};

/** A difference's cause in words; locations are never pushed, so a Retailos edit of one is said as such. */
export function causeWords(entity: string, cause: string): string {
  if (entity === 'location' && (cause === 'retailos_changed' || cause === 'both_changed'))
    return 'edited in Retailos: locations are kept as Shopify has them';
  return CAUSE_WORDS[cause as Cause] ?? cause;
}

/** One record's three hashes (undefined: that side has no such record). */
export interface Sides {
  base: string | undefined;
  local: string | undefined;
  remote: string | undefined;
}

/**
 * What a record's three hashes say: null when both sides hold the base (or hold the same thing, the
 * base being merely older), else the cause. A record on one side only is new there when no base
 * exists, and deleted on the other when one does.
 */
export function classify({ base, local, remote }: Sides): Cause | null {
  if (local === undefined && remote === undefined) return null;
  if (base === undefined) {
    if (local === undefined) return 'created_on_shopify';
    if (remote === undefined) return 'created_in_retailos';
    return local === remote ? null : 'both_changed';
  }
  if (local === undefined) return 'deleted_in_retailos';
  if (remote === undefined) return 'deleted_on_shopify';
  if (local === remote) return null;
  if (local === base) return 'shopify_changed';
  if (remote === base) return 'retailos_changed';
  return 'both_changed';
}

/** One field that differs: what the base, Retailos and Shopify hold (null: absent on that side). */
export interface FieldDifference {
  path: string;
  base: Json | null;
  retailos: Json | null;
  shopify: Json | null;
}

/**
 * The fields in which the two sides differ, each with its three values: the paths either side
 * changed against the base (or against each other when there is no base), sorted by path.
 */
export function fieldDifferences(
  base: Json | null,
  local: Json | null,
  remote: Json | null,
  rules: MergeRules = {},
): FieldDifference[] {
  const paths = new Map<string, FieldDifference>();
  const note = (path: string, side: 'base' | 'retailos' | 'shopify', value: Json | null): void => {
    const d = paths.get(path) ?? { path, base: null, retailos: null, shopify: null };
    d[side] = value;
    paths.set(path, d);
  };
  const vs = (
    from: Json | null,
    to: Json | null,
    fromSide: 'base' | 'retailos',
    toSide: 'retailos' | 'shopify',
  ) => {
    for (const c of fieldDiff(from, to, rules)) {
      note(c.path, fromSide, c.before);
      note(c.path, toSide, c.after);
    }
  };
  if (base === null) vs(local, remote, 'retailos', 'shopify');
  else {
    vs(base, local, 'base', 'retailos');
    vs(base, remote, 'base', 'shopify');
  }
  // Fill each side's untouched value at a path only one side changed (it still holds the base's).
  for (const d of paths.values()) {
    if (base === null) continue;
    const changedLocal = fieldDiff(base, local, rules).some((c) => c.path === d.path);
    const changedRemote = fieldDiff(base, remote, rules).some((c) => c.path === d.path);
    if (!changedLocal && local !== null) d.retailos = d.base;
    if (!changedRemote && remote !== null) d.shopify = d.base;
  }
  return [...paths.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
