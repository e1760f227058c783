import type { Queryable } from '../../db/db.ts';
import { recordDeliveriesSince } from '../../db/shopify-webhook-inbox.ts';
import { fieldOf, isObject, sameJson, topLevelKey, type JsonObject } from '../../domain/merge-json.ts';
import { VARIANT_KEY as ELEMENT_KEY } from '../../domain/merge-rules.ts';
import { withoutElementKeys } from '../../domain/overwritten-edit.ts';
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
 * bounded the same way. With `pushed`, the state our last push read bounds the values it still holds
 * (boundByPushedRead). One query.
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
  pushed?: PushedRead,
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
  if (pushed) boundByPushedRead(out, pushed, current, elements);
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
 * Shopify's state our last push read and the state its write left (keyed snapshots: a keyed list's
 * elements carry their Shopify id as `$key`, overwritten-push.ts), and the read state's Shopify time.
 */
export interface PushedRead {
  read: Json;
  wrote: Json;
  readAt: Date;
}

/** A keyed snapshot's fields and keyed-list elements by path (`title`, `variants[<GID>]`), `$key` dropped. */
function pathsOf(keyed: Json): Map<string, Json> {
  const out = new Map<string, Json>();
  if (!isObject(keyed)) return out;
  for (const [k, v] of Object.entries(keyed)) {
    const keyedList =
      Array.isArray(v) && v.length > 0 && v.every((e) => isObject(e) && typeof e[ELEMENT_KEY] === 'string');
    out.set(k, withoutElementKeys(v));
    if (!keyedList) continue;
    for (const e of v as { [ELEMENT_KEY]: string }[])
      out.set(`${k}[${e[ELEMENT_KEY]}]`, withoutElementKeys(e as unknown as Json));
  }
  return out;
}

/**
 * Bounds by the state our last push read: a field (or element, or element's field) whose value is the
 * same in that read, in what the write left, and now, was Shopify's by the read's time. The write did
 * not change it (an edit between the read and the write was overwritten), so Shopify held it from that
 * read on. This is the bound when the base is older content than Shopify's time says: a push whose
 * record was edited in Retailos meanwhile leaves the Retailos state it started from as the base, stamped
 * with its write's time (sync-entity.ts, setAncestorBase), so the deliveries of the Shopify edits it
 * carried along are older than the base and not looked at; without this, such an edit took the record's
 * time (the write's, or a later edit's) and beat a Retailos edit made after it (issue 16, chaos).
 */
function boundByPushedRead(
  out: Map<string, ShopifyFieldTime>,
  pushed: PushedRead,
  current: JsonObject,
  elements: readonly (readonly [string, Json])[],
): void {
  const read = pathsOf(pushed.read);
  const wrote = pathsOf(pushed.wrote);
  // Each bounded path's current value: top-level fields, keyed-list elements, their fields.
  const now = new Map<string, Json>();
  for (const key of out.keys()) if (!key.includes('[')) now.set(key, fieldOf(current, key));
  for (const [path, value] of elements) {
    now.set(path, value);
    if (isObject(value)) for (const [f, v] of Object.entries(value)) now.set(`${path}.${f}`, v);
  }
  const valueIn = (paths: Map<string, Json>, path: string): Json | undefined => {
    const m = /^(.*\])\.([^.[\]]+)$/.exec(path);
    if (!m) return paths.get(path);
    const element = paths.get(m[1] as string);
    const field = m[2] as string;
    return isObject(element) && Object.hasOwn(element, field) ? (element[field] as Json) : undefined;
  };
  for (const [path, value] of now) {
    const inRead = valueIn(read, path);
    const inWrote = valueIn(wrote, path);
    if (inRead === undefined || inWrote === undefined) continue;
    if (!sameJson(inRead, value) || !sameJson(inWrote, value)) continue;
    const known = out.get(path);
    if (known && pushed.readAt < known.at) out.set(path, { ...known, at: pushed.readAt });
  }
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
