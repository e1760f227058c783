import { normaliseMoney } from '../money.ts';
import { storableText } from './webhook-json.ts';

/** Trimmed text, or null when blank. */
export const blankToNull = (s: string | null | undefined): string | null =>
  s === undefined || s === null || s.trim() === '' ? null : s.trim();

/** A Shopify timestamp (ISO 8601) as a Date; throws on garbage so the caller can park the record. */
export function parseTime(value: string | null | undefined, field: string): Date {
  const d = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    throw new MappingError(`${field} is not a timestamp: ${JSON.stringify(value)}`);
  return d;
}

export function parseTimeOrNull(value: string | null | undefined, field: string): Date | null {
  return value === null || value === undefined ? null : parseTime(value, field);
}

/** A Shopify Money/Decimal string as a canonical Retailos money string. */
export function parseMoney(value: string | null | undefined, field: string): string {
  try {
    return normaliseMoney(String(value));
  } catch {
    throw new MappingError(`${field} is not a non-negative amount: ${JSON.stringify(value)}`);
  }
}

/** Thrown inside a mapper; the mapper's caller turns it into a parked record with this reason. */
export class MappingError extends Error {
  override name = 'MappingError';
}

/**
 * Runs a mapper body, turning a MappingError into a refusal. Every text it maps is made storable
 * (U+0000 and lone surrogates, which Postgres text cannot hold, become U+FFFD), so the import, a
 * GraphQL read and a webhook all map Shopify's text the same way and a write never fails on it.
 */
export function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    return { ok: true, value: storableText(fn()) };
  } catch (err) {
    if (err instanceof MappingError) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Shopify ids are opaque GIDs; we check the type so a line can never map into the wrong table. */
export function requireGid(value: unknown, type: string): string {
  if (typeof value !== 'string' || !value.startsWith(`gid://shopify/${type}/`)) {
    throw new MappingError(`expected a ${type} id, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Seconds-precision ISO timestamp, as Shopify writes them. */
export const shopifyTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
