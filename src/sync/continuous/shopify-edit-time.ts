import type { Queryable } from '../../db/db.ts';
import { recordDeliveriesSince } from '../../db/shopify-webhook-inbox.ts';
import { fieldOf, isObject, sameJson, topLevelKey } from '../../domain/merge-json.ts';
import { upsertTopicsOf, type Json } from '../../domain/shopify-map/index.ts';
import type { RemoteState } from '../entities/adapter.ts';
import type { SyncedEntity } from './adapters.ts';
import { DELIVERED_FIELDS } from './hints.ts';

/** How far before a state's second its delivery may have been received (clocks of two machines). */
const CLOCK_SLACK_MS = 60_000;

/** True when `a` falls in the second Shopify stamped `b` with (its times have second precision). */
export const inShopifySecond = (a: Date, b: Date): boolean =>
  Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);

/** What Retailos knows of when Shopify's current value of one top-level field was made. */
export interface ShopifyFieldTime {
  /** Shopify held the value by the end of this second (a delivery's `updated_at`, or the state's own). */
  at: Date;
  /** Retailos had received a delivery carrying the value by then; undefined: none received. */
  receivedAt?: Date | undefined;
}

/** Deliveries read for one record's field times: Shopify's debounce keeps them few per record. */
const FIELD_DELIVERIES = 100;

/**
 * Upper bounds of Shopify's edit time of each of `keys` (top-level snapshot keys) of `remote`: Shopify
 * gives no per-field time, but the earliest received delivery of the record whose payload already
 * carries the field's current value says it was made by that payload's `updated_at` (a payload lacking
 * some fields, as a customer's lacks tags, tells the others: hints.ts's DELIVERED_FIELDS; not the
 * X-Shopify-Triggered-At header: a debounced delivery may carry an earlier change's time). Deliveries of
 * states before `baseAt` (the synced state's Shopify time) are not looked at: a value they carry is not
 * an edit since. A field no delivery carries gets the state's own time. With `elementsOf`, each element
 * of those fields' keyed lists (`variants[<GID>]`), and each field of it (`variants[<GID>].price`), is
 * bounded the same way. One query.
 */
export async function shopifyFieldTimes(
  q: Queryable,
  tenantId: string,
  entity: SyncedEntity,
  remote: RemoteState,
  keys: readonly string[],
  snapshotOf: (r: RemoteState) => Json,
  baseAt: Date | null | undefined,
  elementsOf?: (r: RemoteState) => ReadonlyMap<string, Json>,
): Promise<Map<string, ShopifyFieldTime>> {
  const current = snapshotOf(remote);
  const out = new Map<string, ShopifyFieldTime>(keys.map((k) => [k, { at: remote.updatedAt }]));
  if (!isObject(current)) return out;
  // The elements of those keys' lists (`variants[<GID>]`), each bounded the same way.
  const wanted = new Set(keys);
  const elements = [...(elementsOf?.(remote) ?? [])].filter(([path]) => wanted.has(topLevelKey(path)));
  // And each field of those elements (`variants[<GID>].price`): Shopify repricing a variant after
  // another edit of it (its SKU) must not make that older edit look later.
  const fieldsOf = (value: Json | undefined): [string, Json][] =>
    isObject(value) ? Object.entries(value) : [];
  for (const [path, value] of elements) {
    out.set(path, { at: remote.updatedAt });
    for (const [f] of fieldsOf(value)) out.set(`${path}.${f}`, { at: remote.updatedAt });
  }
  const id = remote.gid.slice(remote.gid.lastIndexOf('/') + 1);
  const from = (baseAt ?? remote.updatedAt).getTime();
  const rows = await recordDeliveriesSince(
    q,
    tenantId,
    upsertTopicsOf(entity),
    { id, gid: remote.gid },
    new Date(from - CLOCK_SLACK_MS),
    FIELD_DELIVERIES,
  );
  const fromSecond = baseAt ? Math.floor(baseAt.getTime() / 1000) * 1000 : -Infinity;
  for (const row of rows) {
    // A delivery lacking some fields (a customer's has no tags) still tells the others.
    const d = DELIVERED_FIELDS[entity](row.body);
    if (!d || d.gid !== remote.gid) continue;
    const at = d.remote.updatedAt;
    if (at.getTime() < fromSecond || at.getTime() > remote.updatedAt.getTime()) continue;
    const snap = snapshotOf(d.remote);
    if (!isObject(snap)) continue;
    const carried = (path: string) => {
      const known = out.get(path) as ShopifyFieldTime;
      out.set(path, {
        at: at < known.at ? at : known.at,
        receivedAt: known.receivedAt && known.receivedAt < row.receivedAt ? known.receivedAt : row.receivedAt,
      });
    };
    const told = (key: string) => !d.untold.includes(topLevelKey(key));
    for (const key of keys)
      if (told(key) && sameJson(fieldOf(snap, key), fieldOf(current, key))) carried(key);
    if (elements.length === 0) continue;
    const theirs = elementsOf?.(d.remote);
    for (const [path, value] of elements) {
      if (!told(path)) continue;
      const then = theirs?.get(path);
      if (then !== undefined && sameJson(then, value)) carried(path);
      for (const [f, v] of fieldsOf(value))
        if (isObject(then) && Object.hasOwn(then, f) && sameJson(fieldOf(then, f), v))
          carried(`${path}.${f}`);
    }
  }
  return out;
}

/**
 * The later side of one field's edits: Retailos's edit at `localAt` against Shopify's bound. Within
 * Shopify's second it is a tie, and a tie goes to Shopify (merge.ts) — unless Retailos had received
 * Shopify's value before its edit, which makes the Retailos edit the later one.
 */
export function laterFieldEdit(localAt: Date, shopify: ShopifyFieldTime): 'local' | 'remote' {
  if (inShopifySecond(localAt, shopify.at))
    return shopify.receivedAt !== undefined && shopify.receivedAt < localAt ? 'local' : 'remote';
  return localAt.getTime() > shopify.at.getTime() ? 'local' : 'remote';
}
