import { compareStrings, isObject, type JsonObject } from './merge-json.ts';
import { threeWayMerge, type Conflict, type MergeInput, type MergeOutcome } from './merge.ts';
import { PRODUCT_MERGE_RULES, VARIANT_KEY } from './merge-rules.ts';
import { canonicalJson, type Json } from './shopify-map/snapshot.ts';

/**
 * The three-way merge of a product whose variants are matched by their link (Shopify variant GID ⇄
 * Retailos variant id) instead of by SKU: a SKU is a field like any other, so a SKU edited on one side
 * and a price edited on the other are both kept, and a variant whose SKU changed stays the same
 * variant on both sides. SKU (else position) only pairs the variants nothing links yet: one made in
 * Retailos and not pushed with one made on Shopify and not yet synced.
 *
 * Each variant of base, local and remote is given its identity under `$key` (the GID; `local:<id>` for
 * a Retailos variant Shopify does not have yet; `base:<n>` for a base variant no side still has), the
 * product rules key variants by it, and the outcome's conflicts are named by SKU again. `keyed` is the
 * merged snapshot with `$key` kept, so the push knows which Shopify variant each merged variant is.
 */

export interface ProductMergeInput extends MergeInput {
  /** Shopify ids of the base's variants, in snapshot order; null for a base stored before they were kept. */
  baseGids: readonly (string | null)[] | null;
  /** Each local variant (snapshot order): its Retailos id and the GID it is linked to (null: none yet). */
  localVariants: readonly { id: string; gid: string | null }[];
  /** Each remote variant (snapshot order): its GID and whether the id map links it to a Retailos variant. */
  remoteVariants: readonly { gid: string; linked: boolean }[];
}

type Variant = JsonObject;

const variantsOf = (s: Json | null): Variant[] | null => {
  if (!isObject(s)) return null;
  const v = s['variants'];
  return Array.isArray(v) && v.every(isObject) ? (v as Variant[]) : null;
};

const skuOf = (v: Variant | undefined): string | null => {
  const sku = v?.['sku'];
  return typeof sku === 'string' ? sku : null;
};
const positionOf = (v: Variant | undefined): Json => v?.['position'] ?? null;

/** A snapshot whose variants carry `keys` (same order). */
function keyed(snapshot: JsonObject, variants: readonly Variant[], keys: readonly string[]): Json {
  return { ...snapshot, variants: variants.map((v, i) => ({ ...v, [VARIANT_KEY]: keys[i] as string })) };
}

/** The snapshot without the variants' `$key`. */
export function withoutVariantKeys(snapshot: Json): Json {
  const variants = variantsOf(snapshot);
  if (!isObject(snapshot) || variants === null) return snapshot;
  return {
    ...snapshot,
    variants: variants.map((v) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== VARIANT_KEY))),
  };
}

const stripKey = (v: Json | null): Json | null => {
  if (isObject(v) && Object.hasOwn(v, VARIANT_KEY)) {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== VARIANT_KEY));
  }
  if (Array.isArray(v)) return v.map((x) => stripKey(x));
  return v;
};

/**
 * The local variants' keys: the linked GID; else the GID of a remote variant nothing links yet with
 * the same SKU (both SKU-less: the same position); else `local:<id>`.
 */
function localKeys(
  local: readonly Variant[],
  remote: readonly Variant[],
  input: ProductMergeInput,
): string[] {
  const linked = new Set(input.localVariants.flatMap((v) => (v.gid === null ? [] : [v.gid])));
  const baseGids = new Set(input.baseGids ?? []);
  const unpaired = new Set(
    input.remoteVariants.flatMap((v, i) =>
      !v.linked && !linked.has(v.gid) && !baseGids.has(v.gid) ? [i] : [],
    ),
  );
  const pair = (matches: (l: Variant, r: Variant) => boolean, l: Variant): string | undefined => {
    for (const i of unpaired) {
      if (!matches(l, remote[i] as Variant)) continue;
      unpaired.delete(i);
      return input.remoteVariants[i]?.gid;
    }
    return undefined;
  };
  const keys: (string | undefined)[] = input.localVariants.map((v) => v.gid ?? undefined);
  const sameSku = (l: Variant, r: Variant) => skuOf(l) !== null && skuOf(l) === skuOf(r);
  const sameSpot = (l: Variant, r: Variant) =>
    skuOf(l) === null && skuOf(r) === null && positionOf(l) === positionOf(r);
  for (const matches of [sameSku, sameSpot]) {
    local.forEach((l, i) => {
      if (keys[i] === undefined) keys[i] = pair(matches, l);
    });
  }
  return keys.map((k, i) => k ?? `local:${input.localVariants[i]?.id ?? i}`);
}

/**
 * The base variants' keys. A base that kept its GIDs says them; an older one is matched to the linked
 * variants by what a variant keeps when it changes: a base variant at a position one side still has it
 * at, with a SKU one side still has; else at that position (its SKU changed on both sides); else with
 * the SKU both sides still have, or one side (it moved). A variant's position rarely changes, its SKU
 * may, so position leads. Unmatched: `base:<n>`.
 */
function baseKeys(
  base: readonly Variant[],
  sides: ReadonlyMap<string, readonly Variant[]>,
  gids: readonly (string | null)[] | null,
): string[] {
  if (gids !== null && gids.length === base.length) return gids.map((g, i) => g ?? `base:${i}`);
  const keys: (string | undefined)[] = base.map(() => undefined);
  const taken = new Set<string>();
  const samePlace = (b: Variant, vs: readonly Variant[]) => vs.some((v) => positionOf(v) === positionOf(b));
  const hasSku = (b: Variant, vs: readonly Variant[]) => vs.some((v) => skuOf(v) === skuOf(b));
  const passes: ((b: Variant, vs: readonly Variant[]) => boolean)[] = [
    (b, vs) => samePlace(b, vs) && hasSku(b, vs),
    samePlace,
    (b, vs) => skuOf(b) !== null && vs.every((v) => skuOf(v) === skuOf(b)),
    (b, vs) => skuOf(b) !== null && hasSku(b, vs),
  ];
  for (const matches of passes) {
    base.forEach((b, i) => {
      if (keys[i] !== undefined) return;
      for (const [key, vs] of sides) {
        if (taken.has(key) || !matches(b, vs)) continue;
        keys[i] = key;
        taken.add(key);
        return;
      }
    });
  }
  return keys.map((k, i) => k ?? `base:${i}`);
}

/** `variants[<key>]…` named by the variant's SKU (else `#<position>`) as history shows it. */
function renamed(c: Conflict, names: ReadonlyMap<string, string>): Conflict {
  const m = /^variants\[(.*?)\](.*)$/.exec(c.path);
  const name = m ? names.get(m[1] as string) : undefined;
  return {
    ...c,
    path: m && name !== undefined ? `variants[${name}]${m[2] ?? ''}` : c.path,
    base: stripKey(c.base),
    local: stripKey(c.local),
    remote: stripKey(c.remote),
    lost: stripKey(c.lost),
  };
}

/** The outcome, and the merged snapshot whose variants still carry their `$key` (for the push). */
export interface ProductMergeOutcome extends MergeOutcome {
  keyed: Json;
}

export function mergeProduct(input: ProductMergeInput): ProductMergeOutcome {
  const { base, local, remote } = input;
  const lv = variantsOf(local);
  const rv = variantsOf(remote);
  const bv = base === null ? [] : variantsOf(base);
  if (
    !isObject(local) ||
    !isObject(remote) ||
    lv === null ||
    rv === null ||
    bv === null ||
    lv.length !== input.localVariants.length ||
    rv.length !== input.remoteVariants.length
  ) {
    throw new Error('mergeProduct: the snapshots and their variant ids do not match');
  }
  const lKeys = localKeys(lv, rv, input);
  const rKeys = input.remoteVariants.map((v) => v.gid);
  // Only variants the id map knows can have a base; new ones (a link still missing) were added since.
  const known = new Map<string, Variant[]>();
  const isKnown = (key: string, i: number, side: 'local' | 'remote') =>
    side === 'local' ? input.localVariants[i]?.gid === key : input.remoteVariants[i]?.linked === true;
  for (const [side, vs, keys] of [
    ['local', lv, lKeys],
    ['remote', rv, rKeys],
  ] as const) {
    vs.forEach((v, i) => {
      const key = keys[i] as string;
      if (isKnown(key, i, side)) known.set(key, [...(known.get(key) ?? []), v]);
    });
  }
  const bKeys = baseKeys(bv, known, input.baseGids);
  const m = threeWayMerge(PRODUCT_MERGE_RULES, {
    ...input,
    base: isObject(base) ? keyed(base, bv, bKeys) : base,
    local: keyed(local, lv, lKeys),
    remote: keyed(remote, rv, rKeys),
  });
  const names = new Map<string, string>();
  const mergedVariants = variantsOf(m.merged) ?? [];
  for (const [vs, keys] of [
    [bv, bKeys],
    [rv, rKeys],
    [lv, lKeys],
    [mergedVariants, mergedVariants.map((v) => String(v[VARIANT_KEY]))],
  ] as const) {
    vs.forEach((v, i) => names.set(keys[i] as string, skuOf(v) ?? `#${String(positionOf(v))}`));
  }
  const merged = withoutVariantKeys(m.merged);
  const plain = canonicalJson(merged);
  return {
    merged,
    keyed: m.merged,
    conflicts: m.conflicts.map((c) => renamed(c, names)).sort((a, b) => compareStrings(a.path, b.path)),
    toLocal: plain !== canonicalJson(local),
    toRemote: plain !== canonicalJson(remote),
  };
}
