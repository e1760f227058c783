/**
 * Reading a webhook body as Shopify sent it. Two things JSON.parse gets wrong here:
 * - ids are 64-bit integers: JSON.parse rounds any past 2^53, so integers are read losslessly
 *   (an integer past 2^53 becomes a bigint, never a rounded number);
 * - Postgres text cannot hold U+0000 and jsonb refuses lone surrogates ("\ud800"), both valid JSON.
 *   Every such character is replaced by U+FFFD (the replacement character), the one normalisation
 *   Retailos applies to Shopify's text (see `storableText`); the delivery's raw body is kept as received.
 */
import { isInteger, isSafeNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/** U+0000 and any UTF-16 surrogate not part of a pair (with `u`, a paired one is one code point). */
const UNSTORABLE = /[\u0000\ud800-\udfff]/gu;
const UNSTORABLE_TEST = /[\u0000\ud800-\udfff]/u;

/** Text Postgres can store: NUL and lone surrogates replaced by U+FFFD; other text unchanged. */
export function storableString(s: string): string {
  return UNSTORABLE_TEST.test(s) ? s.replace(UNSTORABLE, '\ufffd') : s;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE_TEST.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasUnstorable);
  if (!isPlainObject(value)) return false;
  for (const key in value) if (UNSTORABLE_TEST.test(key) || hasUnstorable(value[key])) return true;
  return false;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(clean);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableString(k), clean(v)]));
}

/**
 * Every string inside `value` (keys too, through plain objects and arrays) made storable. Returns the
 * same value when nothing needs changing (the common case allocates nothing).
 */
export function storableText<T>(value: T): T {
  return hasUnstorable(value) ? (clean(value) as T) : value;
}

/** Numbers of a payload: exact safe numbers and decimals as numbers, integers past 2^53 as bigint. */
function readNumber(digits: string): number | bigint {
  if (isSafeNumber(digits) || !isInteger(digits)) return Number(digits);
  return BigInt(digits);
}

export type ReadBody = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * A stored delivery's raw body → its value: integers past 2^53 as bigint, text made storable.
 * Fails (with the parser's reason) on what is not JSON or repeats a key with different values.
 */
export function readWebhookBody(text: string): ReadBody {
  try {
    return { ok: true, value: storableText(parse(text, null, readNumber)) };
  } catch (err) {
    return { ok: false, reason: `the payload could not be read: ${(err as Error).message}` };
  }
}

/** A number jsonb's numeric holds: at most 1000 digits each side and an exponent of at most 3 digits. */
const STORABLE_NUMBER = /^-?\d{1,1000}(\.\d{1,1000})?([eE][+-]?\d{1,3})?$/;

function storableNumber(digits: string): LosslessNumber {
  if (!STORABLE_NUMBER.test(digits))
    throw new RangeError(`a number jsonb cannot hold: ${digits.slice(0, 40)}`);
  return new LosslessNumber(digits);
}

/**
 * The body as jsonb Postgres accepts: numbers keep every digit (jsonb numbers are exact), text is made
 * storable. Null when it cannot be read (see readWebhookBody) or holds a number Postgres's numeric
 * cannot (1e999999); the raw body is stored regardless.
 */
export function storableJson(text: string): string | null {
  try {
    return stringify(storableText(parse(text, null, storableNumber))) ?? null;
  } catch {
    return null;
  }
}
