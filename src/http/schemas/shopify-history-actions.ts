import { z } from 'zod';
import type { RevertOutcome } from '../../sync/revert/history-revert.ts';
import { historyJson, historyToJson } from './shopify-history.ts';

/** Revert and Redo of a Sync History entry: POST /api/shopify/history/:id/revert | /redo. */

export const historyEntryParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const revertBody = z
  .strictObject({
    confirm: z
      .boolean()
      .default(false)
      .describe(
        'true: overwrite the fields changed again since the entry (a first call without it answers 409 changed_since listing them)',
      ),
  })
  .optional();

const fieldValue = z
  .unknown()
  .describe('the value (a snapshot field: string, number, array or object; null when absent)');

export const revertJson = z.object({
  /** The new entry (origin revert or redo), linked to the entry it acts on. */
  entry: historyJson,
  fields: z
    .array(z.object({ path: z.string(), from: fieldValue, to: fieldValue }))
    .describe('the fields the revert (or redo) moved, from their value before it to their value after'),
  skipped: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .describe(
      'fields it left as they are, with the reason (e.g. an order total, which Shopify does not let an app change)',
    ),
});

export function revertToJson(o: RevertOutcome): z.infer<typeof revertJson> {
  return {
    entry: historyToJson({
      ...o.entry,
      linkedEntryId: o.entry.linkedEntryId ?? null,
      records: null,
      recordCount: 0,
    }),
    fields: o.fields.map((f) => ({ path: f.path, from: f.from, to: f.to })),
    skipped: o.skipped.map((s) => ({ path: s.path, reason: s.reason })),
  };
}
