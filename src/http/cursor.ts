import { badRequest } from './errors.ts';
import type { PageCursor } from '../db/products.ts';
import { isBoundedInstant } from './schemas/common.ts';

/** Opaque keyset cursor: base64url of "<iso time>|<uuid>". */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * undefined for a cursor that is not one of ours (the route answers 400 invalid_cursor): exactly what
 * encodeCursor writes, a time Postgres can hold and a uuid, and nothing else.
 */
export function decodeCursor(cursor: string): PageCursor | undefined {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const [iso, id] = parts;
  if (parts.length !== 2 || !iso || !id || !UUID.test(id)) return undefined;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime()) || !isBoundedInstant(at) || at.toISOString() !== iso) return undefined;
  return { at, id };
}

export function nextCursor<T extends { id: string }>(
  items: T[],
  limit: number,
  at: (t: T) => Date,
): string | null {
  const last = items.at(-1);
  return items.length === limit && last ? encodeCursor(at(last), last.id) : null;
}

/** Throws the 400 a route answers for a cursor it did not issue. */
export function invalidCursor(): never {
  throw badRequest('the cursor is not one this API issued', undefined, 'invalid_cursor');
}
