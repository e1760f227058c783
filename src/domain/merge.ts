import {
  compareStrings,
  fieldOf,
  indexByKey,
  isObject,
  joinPath,
  sameJson,
  unionKeys,
  type JsonObject,
} from './merge-json.ts';
import type { Json } from './shopify-map/snapshot.ts';

/**
 * The three-way merge of canonical snapshots: base (the last synced snapshot), local (Retailos
 * now) and remote (Shopify now) → the snapshot both sides should hold, the fields that conflicted
 * and which sides must be written. Pure: values in, values out.
 */

export type FieldRule =
  /** Whole value, last edit wins (the default for fields not listed). */
  | { kind: 'value' }
  /** Array of strings (tags): additions and removals from both sides are kept; result sorted. */
  | { kind: 'set' }
  /** Shopify owns the field (e.g. an order's totals): the result is always remote's value, never a conflict. */
  | { kind: 'remote' }
  /**
   * Array of objects merged element by element by key: elements added or removed on either side
   * are respected; an element edited on one side and deleted on the other goes to the later edit.
   * Result ordered by the element's numeric `position` if it has one, else by key.
   */
  | { kind: 'keyed'; key: (item: { [k: string]: Json }) => string; fields: MergeRules };

export type MergeRules = Readonly<Record<string, FieldRule>>;

export interface MergeInput {
  /** Last synced snapshot; null = never synced (every differing field is a conflict decided by time). */
  base: Json | null;
  local: Json;
  remote: Json;
  localUpdatedAt: Date;
  remoteUpdatedAt: Date;
  /**
   * Which side's edit of a top-level field is the later (`title`, `note`, `variants`: every conflict
   * under that key goes to it), and, asked with an element's path (`variants[<key>]`) for a keyed list
   * at the top level, of that element, and with a field of it (`variants[<key>].price`), of that field
   * (undefined: the element's, then the list's answer). Absent: the record's times decide
   * every field (see laterEdit). The caller knows each field's own edit times; the merge stays pure.
   */
  winnerOf?: WinnerOf | undefined;
}

export interface Conflict {
  /** `title`, `tags`, `variants[SKU-1].price`, or `variants[SKU-1]` for an edit against a deletion. */
  path: string;
  base: Json | null;
  local: Json | null;
  remote: Json | null;
  winner: 'local' | 'remote';
  /** The losing value, kept in history so it can be restored (null: the loser deleted it). */
  lost: Json | null;
}

export interface MergeOutcome {
  merged: Json;
  /** Only fields changed on both sides to different values (or differing when never synced). */
  conflicts: Conflict[];
  /** merged differs from local: Retailos must be written. */
  toLocal: boolean;
  /** merged differs from remote: Shopify must be written. */
  toRemote: boolean;
}

/** See MergeInput.winnerOf. */
export type WinnerOf = (path: string) => 'local' | 'remote' | undefined;

const VALUE: FieldRule = { kind: 'value' };

/**
 * The base of one field: its last synced value, or `undefined` when unknown (the record was never
 * synced, or both sides added an element with the same key). Unknown is not null: with an unknown
 * base every difference is a conflict.
 */
type Base = Json | undefined;

interface Context {
  readonly winner: 'local' | 'remote';
  readonly conflicts: Conflict[];
  /** The elements' own winners of a keyed list at the top level (MergeInput.winnerOf). */
  readonly elements?: WinnerOf | undefined;
}

/**
 * Merges local and remote against base, field by field under `rules` (unlisted fields: 'value').
 * Missing keys count as null; comparisons are on canonical JSON, so key order never matters.
 * The merged object holds the keys of local and remote (see keepsNullKey for a null result).
 * A field changed on both sides goes to the side whose edit of that top-level field is the later:
 * `winnerOf` when given, else the record's later side.
 */
export function threeWayMerge(rules: MergeRules, input: MergeInput): MergeOutcome {
  const ctx: Context = { winner: laterEdit(input.localUpdatedAt, input.remoteUpdatedAt), conflicts: [] };
  const { local, remote, winnerOf } = input;
  const base: Base = input.base ?? undefined;
  const merged =
    isObject(local) && isObject(remote)
      ? mergeObject(rules, '', isObject(base) ? base : undefined, local, remote, ctx, winnerOf)
      : mergeValue('', base, local, remote, ctx);
  return {
    merged,
    conflicts: ctx.conflicts.sort((a, b) => compareStrings(a.path, b.path)),
    toLocal: !sameJson(merged, local),
    toRemote: !sameJson(merged, remote),
  };
}

/**
 * The side whose edit is later wins a conflict (the record's times; a caller that knows each field's
 * own edit times says them through `winnerOf`, under the same rule). Tie rule: equal timestamps → remote wins, because
 * Shopify's copy is the one every other channel (storefront, POS, marketplaces) already sees;
 * keeping it changes nothing for customers, whereas picking local would rewrite what they see on
 * the strength of a coin toss. Shopify's times have whole seconds, so the caller makes a Retailos edit
 * within the second of Shopify's state such a tie (sync-entity.ts's mergeBoth).
 */
function laterEdit(localUpdatedAt: Date, remoteUpdatedAt: Date): 'local' | 'remote' {
  return localUpdatedAt.getTime() > remoteUpdatedAt.getTime() ? 'local' : 'remote';
}

/** `winnerOf` (top level only): the later side of each key's own edits, in place of ctx's. */
function mergeObject(
  rules: MergeRules,
  prefix: string,
  base: JsonObject | undefined,
  local: JsonObject,
  remote: JsonObject,
  outer: Context,
  winnerOf?: WinnerOf,
): JsonObject {
  const entries: [string, Json][] = [];
  for (const key of unionKeys(local, remote)) {
    const ctx: Context = winnerOf
      ? { winner: winnerOf(key) ?? outer.winner, conflicts: outer.conflicts, elements: winnerOf }
      : outer;
    const rule = Object.hasOwn(rules, key) ? (rules[key] ?? VALUE) : VALUE;
    const b = base === undefined ? undefined : fieldOf(base, key);
    const v = mergeField(rule, joinPath(prefix, key), b, fieldOf(local, key), fieldOf(remote, key), ctx);
    if (v !== null || keepsNullKey(key, base, local, remote, ctx)) entries.push([key, v]);
  }
  // fromEntries defines own properties, so even a key named __proto__ stays plain data.
  return Object.fromEntries(entries);
}

/**
 * A missing key counts as null, but a null result keeps the key only if the sides' presence merges
 * to present (same one-sided logic, the later side deciding), so merging base, x, base gives
 * exactly x and no side is written just to add or drop a null.
 */
function keepsNullKey(key: string, base: JsonObject | undefined, l: JsonObject, r: JsonObject, ctx: Context) {
  const inLocal = Object.hasOwn(l, key);
  const inRemote = Object.hasOwn(r, key);
  if (inLocal === inRemote) return inLocal;
  if (base !== undefined) return Object.hasOwn(base, key) === inLocal ? inRemote : inLocal;
  return ctx.winner === 'local' ? inLocal : inRemote;
}

function mergeField(
  rule: FieldRule,
  path: string,
  base: Base,
  local: Json,
  remote: Json,
  ctx: Context,
): Json {
  switch (rule.kind) {
    case 'remote':
      return remote;
    case 'value':
      return mergeValue(path, base, local, remote, ctx);
    case 'set':
      return mergeSet(path, base, local, remote, ctx);
    case 'keyed':
      return mergeKeyed(rule, path, base, local, remote, ctx);
  }
}

/** The side that changed when only one did; otherwise (a conflict) the later edit. */
function oneSided(base: Base, local: Json, remote: Json): { value: Json } | undefined {
  if (sameJson(local, remote)) return { value: local };
  if (base === undefined) return undefined;
  if (sameJson(local, base)) return { value: remote };
  if (sameJson(remote, base)) return { value: local };
  return undefined;
}

function mergeValue(path: string, base: Base, local: Json, remote: Json, ctx: Context): Json {
  const decided = oneSided(base, local, remote);
  return decided ? decided.value : conflict(path, base, local, remote, ctx);
}

function conflict(path: string, base: Base, local: Json, remote: Json, ctx: Context): Json {
  const localWins = ctx.winner === 'local';
  ctx.conflicts.push({
    path,
    base: base ?? null,
    local,
    remote,
    winner: ctx.winner,
    lost: localWins ? remote : local,
  });
  return localWins ? local : remote;
}

/**
 * Both sides changed the set: keep what both still hold, plus what either added since base.
 * A null base (the field is new) is the empty set. Not string arrays, or no base: a whole value.
 */
function mergeSet(path: string, base: Base, local: Json, remote: Json, ctx: Context): Json {
  const decided = oneSided(base, local, remote);
  if (decided) return decided.value;
  const b = base === null ? [] : base;
  if (!isStringArray(b) || !isStringArray(local) || !isStringArray(remote)) {
    return conflict(path, base, local, remote, ctx);
  }
  const inBase = new Set(b);
  const inRemote = new Set(remote);
  const kept = [
    ...local.filter((t) => inRemote.has(t) || !inBase.has(t)),
    ...remote.filter((t) => !inBase.has(t)),
  ];
  return [...new Set(kept)].sort(compareStrings);
}

function isStringArray(value: Json | undefined): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * Both sides changed the list: element by element by key. Present on both → merged field by
 * field; present on one side only → added there (kept), deleted on the other (dropped when the
 * survivor is unchanged since base, else edit against deletion: the later edit wins). Lists that
 * cannot be keyed (not objects, duplicate keys) merge as whole values.
 */
function mergeKeyed(
  rule: Extract<FieldRule, { kind: 'keyed' }>,
  path: string,
  base: Base,
  local: Json,
  remote: Json,
  ctx: Context,
): Json {
  const decided = oneSided(base, local, remote);
  if (decided) return decided.value;
  const l = indexByKey(rule.key, local);
  const r = indexByKey(rule.key, remote);
  if (l === null || r === null) return conflict(path, base, local, remote, ctx);
  const b = keyedBase(rule, base);
  const out: [string, JsonObject][] = [];
  for (const key of new Set([...l.keys(), ...r.keys()])) {
    const itemPath = `${path}[${key}]`;
    const le = l.get(key);
    const re = r.get(key);
    // null: the base is known and lacks the element (added since); undefined: base unknown.
    const be: Base = b === undefined ? undefined : (b.get(key) ?? null);
    const ectx: Context = ctx.elements
      ? { winner: ctx.elements(itemPath) ?? ctx.winner, conflicts: ctx.conflicts }
      : ctx;
    // Each field of an element present on both sides: its own winner (`variants[<key>].price`), else
    // the element's — an edit of the element's SKU must not make an older edit of its price look later.
    const fieldWinner = ctx.elements;
    const merged =
      le !== undefined && re !== undefined
        ? mergeObject(
            rule.fields,
            itemPath,
            isObject(be) ? be : undefined,
            le,
            re,
            ectx,
            fieldWinner && ((field) => fieldWinner(joinPath(itemPath, field))),
          )
        : mergeValue(itemPath, be, le ?? null, re ?? null, ectx);
    if (isObject(merged)) out.push([key, merged]);
  }
  return out.sort(byPositionThenKey).map(([, item]) => item);
}

/** The base's elements by key; undefined when unknown. A null base (the field is new) has none. */
function keyedBase(
  rule: Extract<FieldRule, { kind: 'keyed' }>,
  base: Base,
): Map<string, JsonObject> | undefined {
  if (base === undefined) return undefined;
  if (base === null) return new Map();
  // A base that cannot be keyed tells nothing about its elements: unknown.
  return indexByKey(rule.key, base) ?? undefined;
}

function byPositionThenKey([ka, a]: [string, JsonObject], [kb, b]: [string, JsonObject]): number {
  const pa = fieldOf(a, 'position');
  const pb = fieldOf(b, 'position');
  const hasA = typeof pa === 'number';
  const hasB = typeof pb === 'number';
  if (hasA && hasB && pa !== pb) return pa - pb;
  if (hasA !== hasB) return hasA ? -1 : 1;
  return compareStrings(ka, kb);
}
