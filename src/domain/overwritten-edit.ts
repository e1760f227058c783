import { threeWayMerge, type MergeRules } from './merge.ts';
import { isObject } from './merge-json.ts';
import { VARIANT_KEY } from './merge-rules.ts';
import { canonicalJson, type Json } from './shopify-map/snapshot.ts';

/**
 * A Shopify edit our push overwrote. Shopify has no compare-and-set for productSet, customerSet or
 * orderUpdate: a merchant's edit made on Shopify between the push's last read and its write is
 * overwritten on the fields the write sends, and its webhook, when it comes, is no newer than our write
 * (Shopify's times have whole seconds). These functions tell such a delivery from an older or newer
 * state, and give back the state Shopify should hold: the edit was made after our read, so after every
 * Retailos edit the push carried, and the later edit of a field wins (three-way merge, most recent wins).
 *
 * Snapshots here are Shopify's, with keyed-list elements (a product's variants) carrying their Shopify
 * id as `$key`, so a SKU edit is not taken for a variant removed and another added.
 */

/** What one push wrote over: Shopify's state as the push last read it and as its write left it. */
export interface PushedOver {
  read: Json;
  /** Shopify's `updatedAt` of the read state (ms). */
  readAt: number;
  /** Retailos's clock just before the read was sent (ms): an edit triggered later came after it. */
  readSince: number;
  wrote: Json;
  /** Shopify's `updatedAt` of the written state (ms). */
  wroteAt: number;
  /** Retailos's clock when Shopify's answer to the write came (ms): an edit it overwrote came before. */
  wroteBy: number;
}

/**
 * The leaves of a snapshot by path: objects by key, lists of objects that all carry `$key` by that
 * key (`variants[<GID>].price`), anything else (tags, option values) as one value.
 */
function leaves(value: Json, path: string, out: Map<string, string>): Map<string, string> {
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path === '' ? k : `${path}.${k}`, out);
  } else if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((e) => isObject(e) && typeof e[VARIANT_KEY] === 'string')
  ) {
    for (const e of value)
      leaves(e, `${path}[${String((e as { [VARIANT_KEY]: string })[VARIANT_KEY])}]`, out);
  } else out.set(path, canonicalJson(value)); // (key order aside: a stored snapshot's is jsonb's)
  return out;
}

/** The paths where `b` differs from `a` (a path one lacks counts as null). */
function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  const none = JSON.stringify(null);
  return [...new Set([...a.keys(), ...b.keys()])].filter((p) => (a.get(p) ?? none) !== (b.get(p) ?? none));
}

/**
 * When `delivered` (a Shopify state of Shopify's time `at`, its webhook triggered at `triggeredAt`) holds
 * an edit our push overwrote, the state Shopify would hold had the write kept it: our write with that
 * edit's fields merged back in (the edit wins a field both changed; a set such as tags keeps both sides'
 * additions). Undefined otherwise.
 *
 * Such a state lies between our read and our write: its webhook was triggered after the read was sent and
 * before the write's answer came (`updatedAt` has whole seconds, so a state of the read's second may be
 * older than the read: only the trigger's finer time orders it, X-Shopify-Triggered-At on Shopify's clock
 * against ours, so a clock skew larger than the push's flight blurs it; unknown, nothing is assumed),
 * its time is no later than our write's,
 * and every field where it differs from what we read is one our write sent (a change elsewhere our write
 * would have kept), and on one of those it differs from what we wrote. A state after our write that
 * changed only fields we wrote passes too, rightly: it is Shopify's later edit.
 */
export function overwrittenEdit(
  rules: MergeRules,
  pushed: PushedOver,
  told: Json,
  at: number,
  triggeredAt: number | undefined,
  /**
   * Top-level snapshot keys the delivery does not tell (a customers/update carries no tags): taken as our
   * write left them, so they count neither as edited nor as overwritten; the restore reads Shopify's.
   */
  untold: readonly string[] = [],
): Json | undefined {
  if (triggeredAt === undefined || !(triggeredAt > pushed.readSince && triggeredAt <= pushed.wroteBy))
    return undefined;
  if (at < pushed.readAt || at > pushed.wroteAt) return undefined;
  const delivered = withUntold(told, pushed.wrote, untold);
  const read = leaves(pushed.read, '', new Map());
  const wrote = leaves(pushed.wrote, '', new Map());
  const theirs = leaves(delivered, '', new Map());
  const ours = new Set(changed(read, wrote));
  const edited = changed(read, theirs);
  if (edited.some((p) => !ours.has(p))) return undefined;
  // What the edit changed and our write does not hold: overwritten (the rest our write kept).
  const lost = new Set(changed(wrote, theirs));
  if (!edited.some((p) => lost.has(p))) return undefined;
  return threeWayMerge(rules, {
    base: pushed.read,
    local: pushed.wrote,
    remote: delivered,
    // The delivered edit is the later one: a tie goes to remote.
    localUpdatedAt: new Date(0),
    remoteUpdatedAt: new Date(0),
  }).merged;
}

/** `told` with the keys it does not tell taken from `from`. */
function withUntold(told: Json, from: Json, untold: readonly string[]): Json {
  if (untold.length === 0 || !isObject(told) || !isObject(from)) return told;
  return { ...told, ...Object.fromEntries(untold.map((k) => [k, from[k] ?? null])) };
}

/**
 * The overwritten edit restored onto Shopify's `current` state: what changed on Shopify since our write
 * stays (a later edit of a field wins over the restored one), the restored fields come back elsewhere.
 */
export function restoredOnto(rules: MergeRules, wrote: Json, current: Json, restored: Json): Json {
  const m = threeWayMerge(rules, {
    base: wrote,
    local: current,
    remote: restored,
    localUpdatedAt: new Date(1),
    remoteUpdatedAt: new Date(0),
  });
  return m.merged;
}

/** A snapshot without its keyed-list elements' `$key` (as `remoteSnapshot` gives it). */
export function withoutElementKeys(value: Json): Json {
  if (Array.isArray(value))
    return value.map((e) =>
      isObject(e) && Object.hasOwn(e, VARIANT_KEY)
        ? withoutElementKeys(Object.fromEntries(Object.entries(e).filter(([k]) => k !== VARIANT_KEY)))
        : withoutElementKeys(e),
    );
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutElementKeys(v)]));
  return value;
}
