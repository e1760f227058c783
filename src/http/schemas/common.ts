import { z } from 'zod';
import { isMoney, shopifyPriceProblem } from '../../domain/money.ts';

export const uuid = z.uuid();
export const idParams = z.strictObject({ id: uuid });
export const money = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})(\.\d{1,4})?$/, 'a non-negative decimal string such as "12.50"');
/** A variant price or compare-at price: money Shopify keeps exactly (see shopifyPriceProblem). */
export const price = money.superRefine((value, ctx) => {
  // A value that is not money at all has its message from the regex above already.
  const problem = isMoney(value) ? shopifyPriceProblem(value) : undefined;
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export const shortText = z.string().max(255);
/**
 * Tags as Shopify keeps them: its webhook payloads and REST carry a record's tags as one comma-separated
 * string, and `tagsAdd` splits its input on commas, so a tag with a comma would reach Shopify as two.
 */
export const tags = z
  .array(
    z
      .string()
      .min(1)
      .max(255)
      .refine(
        (t) => !t.includes(','),
        'a tag cannot contain a comma (Shopify keeps tags as one comma-separated list)',
      ),
  )
  .max(250);
export const limit = z.coerce.number().int().min(1).max(250).default(50);
/**
 * The instants the API takes: between these, Postgres' timestamptz and JavaScript's Date agree (Postgres
 * has no year 0, Date reaches ±275760), so no query can fail on a date a client sent.
 */
export const MIN_INSTANT = new Date('1900-01-01T00:00:00.000Z');
export const MAX_INSTANT = new Date('9999-12-31T23:59:59.999Z');

export function isBoundedInstant(at: Date): boolean {
  const ms = at.getTime();
  return ms >= MIN_INSTANT.getTime() && ms <= MAX_INSTANT.getTime();
}

export const timestamp = z.iso
  .datetime({ offset: true })
  .refine((s) => isBoundedInstant(new Date(s)), 'a date between 1900-01-01 and 9999-12-31');
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
