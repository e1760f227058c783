import {
  compareStrings,
  fieldOf,
  indexByKey,
  isObject,
  joinPath,
  sameJson,
  type JsonObject,
} from './merge-json.ts';
import type { FieldRule, MergeRules } from './merge.ts';
import type { InventoryLevelSnapshot, Json } from './shopify-map/snapshot.ts';

/**
 * Revert plans: which fields a Sync History entry changed (before → after), what each holds now, and
 * the snapshot the record must hold to roll the entry back. Pure: values in, a plan out. Walks the
 * snapshots under the entity's merge rules, as the field diff does: whole values, tag sets (the entry's
 * additions and removals are undone, other tags stay), keyed arrays element by element (variants).
 */

/** One field the revert moves: from what the record holds now back to the entry's earlier value. */
export interface RevertField {
  path: string;
  from: Json | null;
  to: Json | null;
}

/** A field changed again since the entry: reverting it overwrites that later change. */
export interface ChangedSince {
  path: string;
  /** What the entry left in the field. */
  entryValue: Json | null;
  /** What the field holds now. */
  current: Json | null;
  /** What the revert would write. */
  revertTo: Json | null;
}

/** A field the revert leaves alone, and why (e.g. Shopify does not let an app write it). */
export interface SkippedField {
  path: string;
  reason: string;
}

export interface RevertPlan {
  /** The snapshot the record must hold (the current one with the reverted fields rolled back). */
  target: Json;
  fields: RevertField[];
  changedSince: ChangedSince[];
  skipped: SkippedField[];
}

export interface RevertInput {
  rules: MergeRules;
  /** The entry's snapshots: the state before and after the change it records. */
  before: Json;
  after: Json;
  /** What the record holds now. */
  current: Json;
  /** A top-level field the app may not write gives the reason; undefined when writable. */
  notWritable?: (field: string) => string | undefined;
}

const VALUE: FieldRule = { kind: 'value' };

interface Walk {
  fields: RevertField[];
  changedSince: ChangedSince[];
}

/**
 * The plan that rolls `current` back over the fields the entry changed. A field that still holds the
 * entry's value goes back; one that already holds the earlier value is left; one changed since is listed
 * in `changedSince` and rolled back in `target` too (the caller asks for confirmation first).
 */
export function planRevert(input: RevertInput): RevertPlan {
  const { rules, before, after, current } = input;
  const skipped: SkippedField[] = [];
  const walk: Walk = { fields: [], changedSince: [] };
  if (!isObject(before) || !isObject(after) || !isObject(current)) {
    return { target: current, fields: [], changedSince: [], skipped };
  }
  const target: JsonObject = { ...current };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = fieldOf(before, key);
    const a = fieldOf(after, key);
    if (sameJson(b, a)) continue;
    const reason = input.notWritable?.(key);
    if (reason !== undefined) {
      skipped.push({ path: key, reason });
      continue;
    }
    const rule = Object.hasOwn(rules, key) ? (rules[key] ?? VALUE) : VALUE;
    target[key] = revertField(rule, key, b, a, fieldOf(current, key), walk);
  }
  const byPath = <T extends { path: string }>(xs: T[]): T[] =>
    xs.sort((x, y) => compareStrings(x.path, y.path));
  return {
    target,
    fields: byPath(walk.fields),
    changedSince: byPath(walk.changedSince),
    skipped: byPath(skipped),
  };
}

/** The field's value after the revert (recording what moves in `walk`). */
function revertField(rule: FieldRule, path: string, b: Json, a: Json, c: Json, walk: Walk): Json {
  if (rule.kind === 'keyed') {
    const keyed = revertKeyed(rule, path, b, a, c, walk);
    if (keyed !== undefined) return keyed;
  }
  if (rule.kind === 'set') return revertSet(path, b, a, c, walk);
  return revertValue(path, b, a, c, walk);
}

function revertValue(path: string, b: Json, a: Json, c: Json, walk: Walk): Json {
  if (sameJson(c, b)) return c; // already holds the earlier value
  if (!sameJson(c, a)) walk.changedSince.push({ path, entryValue: a, current: c, revertTo: b });
  walk.fields.push({ path, from: c, to: b });
  return b;
}

const strings = (v: Json): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Tags: the entry's additions are removed and its removals put back; tags added since stay. */
function revertSet(path: string, b: Json, a: Json, c: Json, walk: Walk): Json {
  const before = new Set(strings(b));
  const after = new Set(strings(a));
  const next = new Set(strings(c));
  for (const t of after) if (!before.has(t)) next.delete(t);
  for (const t of before) if (!after.has(t)) next.add(t);
  const to = [...next].sort(compareStrings);
  if (sameJson(to, c)) return c;
  if (!sameJson(c, a)) walk.changedSince.push({ path, entryValue: a, current: c, revertTo: to });
  walk.fields.push({ path, from: c, to });
  return to;
}

/** Keyed arrays (variants) element by element; undefined when one side cannot be keyed (whole value then). */
function revertKeyed(
  rule: Extract<FieldRule, { kind: 'keyed' }>,
  path: string,
  b: Json,
  a: Json,
  c: Json,
  walk: Walk,
): Json | undefined {
  const bi = indexByKey(rule.key, b);
  const ai = indexByKey(rule.key, a);
  const ci = indexByKey(rule.key, c ?? []);
  if (!bi || !ai || !ci) return undefined;
  const keys = new Set([...bi.keys(), ...ai.keys()]);
  const elementsMoved = [...keys].some((k) => !sameJson(bi.get(k) ?? null, ai.get(k) ?? null));
  if (!elementsMoved) return undefined; // only the order changed: a whole-value change
  const out = new Map(ci);
  for (const k of keys) {
    const be = bi.get(k);
    const ae = ai.get(k);
    const ce = ci.get(k);
    const itemPath = `${path}[${k}]`;
    if (be && ae && ce) {
      const sub: JsonObject = { ...ce };
      for (const f of new Set([...Object.keys(be), ...Object.keys(ae)])) {
        const fb = fieldOf(be, f);
        const fa = fieldOf(ae, f);
        if (sameJson(fb, fa)) continue;
        const fr = Object.hasOwn(rule.fields, f) ? (rule.fields[f] ?? VALUE) : VALUE;
        sub[f] = revertField(fr, joinPath(itemPath, f), fb, fa, fieldOf(ce, f), walk);
      }
      out.set(k, sub);
    } else {
      const to = be ?? null;
      const now = ce ?? null;
      const entry = ae ?? null;
      if (sameJson(now, to)) continue;
      if (!sameJson(now, entry))
        walk.changedSince.push({ path: itemPath, entryValue: entry, current: now, revertTo: to });
      walk.fields.push({ path: itemPath, from: now, to });
      if (be) out.set(k, be);
      else out.delete(k);
    }
  }
  return orderByPosition([...out.values()]);
}

function orderByPosition(items: JsonObject[]): Json {
  const pos = (o: JsonObject): number => (typeof o['position'] === 'number' ? o['position'] : Infinity);
  return [...items].sort((x, y) => pos(x) - pos(y));
}

/** A stock entry's quantities. */
/** A stock entry's before or after: the level's one snapshot shape (its sync base's too). */
export type StockQuantities = InventoryLevelSnapshot;

/**
 * The stock revert: the delta the entry made to `available`, taken back (−delta) on whatever the level
 * holds now, so sales made since still count. An entry that moved only `on_hand` (a fulfilment) has no
 * delta an adjustment can take back.
 */
export function planStockRevert(
  before: StockQuantities,
  after: StockQuantities,
): { ok: true; delta: number } | { ok: false; reason: string } {
  const delta = before.available - after.available;
  if (delta !== 0) return { ok: true, delta };
  return {
    ok: false,
    reason:
      after.onHand !== before.onHand
        ? 'this change moved only the stock on hand (a fulfilment on Shopify); it cannot be taken back by an adjustment'
        : 'this change moved no stock',
  };
}
