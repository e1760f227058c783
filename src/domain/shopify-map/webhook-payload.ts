/**
 * Reading REST-shaped webhook bodies (snake_case, ids as JSON numbers, timestamps with the shop's
 * offset). Every reader throws a MappingError on a malformed value, which the converters turn into a
 * refusal; an absent field is not malformed, it is recorded in `missing` so the converter can say the
 * payload is not the whole state.
 */
import { MappingError } from './common.ts';
import type { ShopifyMoneyBag } from './shapes.ts';

/** What a webhook tells us about one entity. `complete: false` means the payload cannot be trusted as the whole state (the caller re-reads it by GraphQL); `missing` names why. */
export interface FromWebhook<T> {
  gid: string;
  updatedAt: Date | null;
  complete: boolean;
  missing: string[];
  value: T;
}

export type Payload = Readonly<Record<string, unknown>>;

export function asPayload(body: unknown, what: string): Payload {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MappingError(`the ${what} payload is not an object: ${show(body)}`);
  }
  return body as Payload;
}

/**
 * A REST numeric id (a 64-bit integer) as a digit string. Bodies are read losslessly (readWebhookBody:
 * an id past 2^53 arrives as a bigint); a number past 2^53 can only come from JSON.parse, which has
 * rounded it, so it is refused rather than turned into a wrong gid.
 */
/** Shopify ids are unsigned 64-bit integers. */
export const MAX_ID = 2n ** 64n - 1n;

export function numericId(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
    if (!Number.isSafeInteger(value)) {
      throw new MappingError(
        `${field} ${value} is past 2^53, so JSON.parse has rounded it; no exact id to build a gid from`,
      );
    }
    return String(value);
  }
  if (typeof value === 'bigint' && value > 0n && value <= MAX_ID) return value.toString();
  if (typeof value === 'string' && /^[1-9]\d*$/.test(value) && BigInt(value) <= MAX_ID) return value;
  throw new MappingError(`${field} is not an id: ${show(value)}`);
}

/** A value for an error message (bigint-safe, never throws). */
export function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const gidOf = (type: string, id: string): string => `gid://shopify/${type}/${id}`;

/** `admin_graphql_api_id` when present (checked against the type), else a gid built from `id`. */
export function resourceGid(p: Payload, type: string, what = type): string {
  const api = p['admin_graphql_api_id'];
  if (api !== undefined && api !== null) {
    if (typeof api !== 'string' || !new RegExp(`^gid://shopify/${type}/\\d+$`).test(api)) {
      throw new MappingError(
        `the ${what} admin_graphql_api_id is not a gid://shopify/${type}/<id>: ${show(api)}`,
      );
    }
    return api;
  }
  if (p['id'] === undefined || p['id'] === null) throw new MappingError(`the ${what} has no id`);
  return gidOf(type, numericId(p['id'], `the ${what} id`));
}

/** A nullable numeric reference (variant_id, inventory_item_id) as a gid, or null. */
export function refGid(p: Payload, key: string, type: string): string | null {
  const v = p[key];
  return v === undefined || v === null ? null : gidOf(type, numericId(v, key));
}

/** Collects the fields a payload left out; an absent field means the payload is not the whole state. */
export class Reader {
  readonly missing: string[] = [];

  constructor(
    readonly p: Payload,
    private readonly what: string,
  ) {}

  /** The raw value, noting the key as missing when it is absent (null is a value). */
  raw(key: string): unknown {
    const v = this.p[key];
    if (v === undefined) this.missing.push(key);
    return v;
  }

  text(key: string): string | null {
    const v = this.raw(key);
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw this.bad(key, v, 'text');
    return v;
  }

  /** A timestamp carrying an offset → Date; absent or null → null. */
  time(key: string): Date | null {
    return parseOffsetTime(this.raw(key), `the ${this.what} ${key}`);
  }

  /** A timestamp the GraphQL shape requires: ISO UTC, or '' (noted missing) when Shopify sent none. */
  requiredTime(key: string): { date: Date | null; iso: string } {
    const date = this.time(key);
    if (date === null && this.p[key] === null) this.missing.push(key);
    return { date, iso: date === null ? '' : isoUtc(date) };
  }

  /** `tags` is one comma-separated string on the wire; an array is accepted too. */
  tags(key = 'tags'): string[] {
    const v = this.raw(key);
    if (v === undefined || v === null) return [];
    const parts = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : undefined;
    if (parts === undefined || parts.some((t) => typeof t !== 'string')) throw this.bad(key, v, 'tags');
    return (parts as string[]).map((t) => t.trim()).filter((t) => t !== '');
  }

  list(key: string): Payload[] | null {
    const v = this.raw(key);
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) throw this.bad(key, v, 'a list');
    return v.map((item, i) => asPayload(item, `${this.what} ${key}[${i}]`));
  }

  bad(key: string, v: unknown, expected: string): MappingError {
    return new MappingError(`the ${this.what} ${key} is not ${expected}: ${show(v)}`);
  }
}

const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Only timestamps with an offset: without one, Date would read the runtime's local time. */
export function parseOffsetTime(v: unknown, field: string): Date | null {
  if (v === undefined || v === null) return null;
  const d = typeof v === 'string' && OFFSET_TIME.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) {
    throw new MappingError(`${field} is not a timestamp with an offset: ${show(v)}`);
  }
  return d;
}

/** ISO UTC as GraphQL writes it: no milliseconds unless there are some. */
export const isoUtc = (d: Date): string => d.toISOString().replace(/\.000Z$/, 'Z');

/**
 * A money field: `<key>_set.shop_money.amount`, else the plain `<key>` decimal string (never turned
 * into a number). Null when both are absent or null; absence of both is noted missing.
 */
export function moneyBag(r: Reader, key: string, currency: string | null): ShopifyMoneyBag | null {
  const set = r.p[`${key}_set`];
  const shop = typeof set === 'object' && set !== null ? (set as Payload)['shop_money'] : undefined;
  if (typeof shop === 'object' && shop !== null) {
    const { amount, currency_code: code } = shop as Payload;
    if (typeof amount !== 'string') throw r.bad(`${key}_set`, set, 'a money bag');
    return bag(amount, typeof code === 'string' ? code : currency);
  }
  const plain = r.p[key];
  if (plain === undefined && set === undefined) r.missing.push(key);
  if (plain === undefined || plain === null) return null;
  if (typeof plain !== 'string') throw r.bad(key, plain, 'a decimal string');
  return bag(plain, currency);
}

const bag = (amount: string, currencyCode: string | null): ShopifyMoneyBag => ({
  shopMoney: currencyCode === null ? { amount } : { amount, currencyCode },
});

/** The FromWebhook envelope around a converted value. */
export function fromWebhook<T>(
  gid: string,
  updatedAt: Date | null,
  missing: readonly string[],
  value: T,
): FromWebhook<T> {
  const unique = [...new Set(missing)];
  return { gid, updatedAt, complete: unique.length === 0, missing: unique, value };
}
