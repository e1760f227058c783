import { canonicalJson, type Json } from '../../domain/shopify-map/index.ts';

/** A canonical snapshot as an object (what `remoteSnapshot` / `localSnapshot` give for a record). */
export type SnapshotObject = Record<string, Json>;

/** Whether two snapshot values differ (canonically: key order, undefined ≡ null). */
export const differs = (a: Json | undefined, b: Json | undefined): boolean =>
  canonicalJson(a ?? null) !== canonicalJson(b ?? null);

/** The top-level fields of `target` that differ from `current`, among `fields`. */
export function changedFields(
  fields: readonly string[],
  target: SnapshotObject,
  current: SnapshotObject,
): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const f of fields) if (differs(target[f], current[f])) out[f] = target[f] ?? null;
  return out;
}
