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
import type { Json } from './shopify-map/snapshot.ts';

/** One field that differs between two snapshots, for history entries. */
export interface FieldChange {
  /** `title`, `tags`, `variants[SKU-1].price`, `variants[SKU-2]` (an element added or removed). */
  path: string;
  before: Json | null;
  after: Json | null;
}

const VALUE: FieldRule = { kind: 'value' };

/**
 * The fields that differ from `before` to `after`, sorted by path. Top-level fields compare as
 * whole values (canonical JSON; a missing key counts as null), except keyed arrays under `rules`,
 * which are diffed element by element (added → before null, removed → after null); a keyed array
 * whose only change is element order is reported as one whole-field change.
 * A null `before` (creation) or `after` (deletion) gives one change per non-null field.
 */
export function fieldDiff(before: Json | null, after: Json | null, rules: MergeRules = {}): FieldChange[] {
  const changes: FieldChange[] = [];
  if (before === null || after === null) {
    const present = before ?? after;
    if (isObject(present)) {
      for (const [path, v] of Object.entries(present)) {
        if (v !== null)
          changes.push(before === null ? { path, before: null, after: v } : { path, before: v, after: null });
      }
    } else if (present !== null) {
      changes.push({ path: '', before, after });
    }
  } else if (isObject(before) && isObject(after)) {
    diffObject(rules, '', before, after, changes);
  } else if (!sameJson(before, after)) {
    changes.push({ path: '', before, after });
  }
  return changes.sort((a, b) => compareStrings(a.path, b.path));
}

function diffObject(
  rules: MergeRules,
  prefix: string,
  before: JsonObject,
  after: JsonObject,
  changes: FieldChange[],
): void {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = fieldOf(before, key);
    const a = fieldOf(after, key);
    if (sameJson(b, a)) continue;
    const path = joinPath(prefix, key);
    const rule = Object.hasOwn(rules, key) ? (rules[key] ?? VALUE) : VALUE;
    if (rule.kind === 'keyed' && diffKeyed(rule, path, b, a, changes)) continue;
    changes.push({ path, before: b, after: a });
  }
}

/** Element-by-element changes of a keyed array; false when it cannot be keyed or only the order changed. */
function diffKeyed(
  rule: Extract<FieldRule, { kind: 'keyed' }>,
  path: string,
  before: Json,
  after: Json,
  changes: FieldChange[],
): boolean {
  const b = indexByKey(rule.key, before);
  const a = indexByKey(rule.key, after);
  if (b === null || a === null) return false;
  const found: FieldChange[] = [];
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const itemPath = `${path}[${key}]`;
    const be = b.get(key);
    const ae = a.get(key);
    if (be !== undefined && ae !== undefined) diffObject(rule.fields, itemPath, be, ae, found);
    else found.push({ path: itemPath, before: be ?? null, after: ae ?? null });
  }
  changes.push(...found);
  return found.length > 0;
}
