import { z } from 'zod';

export const uuid = z.uuid();
export const idParams = z.strictObject({ id: uuid });
export const money = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})(\.\d{1,4})?$/, 'a non-negative decimal string such as "12.50"');
export const shortText = z.string().max(255);
export const tags = z.array(z.string().min(1).max(255)).max(250);
export const limit = z.coerce.number().int().min(1).max(250).default(50);
export const timestamp = z.iso.datetime({ offset: true });
export const listQuery = z.strictObject({
  limit,
  cursor: z.string().max(200).optional(),
  q: z.string().max(255).optional(),
  updated_since: timestamp.optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * A keyset page from `limit + 1` rows fetched newest-first by numeric id: the first `limit` rows, and
 * the id to continue after when there were more.
 */
export function idPage<R extends { id: number }, J>(
  rows: readonly R[],
  limit: number,
  toJson: (r: R) => J,
): { items: J[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toJson), next_cursor: rows.length > limit && last ? String(last.id) : null };
}
