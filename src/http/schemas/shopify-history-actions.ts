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
    dry_run: z
      .boolean()
      .default(false)
      .describe(
        'true: write nothing; answer what the action would move, leave and overwrite (changed_since), entry null',
      ),
  })
  .optional();

const fieldValue = z
  .unknown()
  .describe('the value (a snapshot field: string, number, array or object; null when absent)');

export const revertJson = z.object({
  entry: historyJson
    .nullable()
    .describe('the new entry (origin revert or redo), linked to the entry acted on; null for a dry run'),
  fields: z
    .array(z.object({ path: z.string(), from: fieldValue, to: fieldValue }))
    .describe('the fields the revert (or redo) moved, from their value before it to their value after'),
  skipped: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .describe(
      'fields it left as they are, with the reason (e.g. an order total, which Shopify does not let an app change)',
    ),
  changed_since: z
    .array(
      z.object({ path: z.string(), entry_value: fieldValue, current: fieldValue, revert_to: fieldValue }),
    )
    .describe('fields changed again since the entry: what the entry left, what they hold now, what they get'),
});

export function revertToJson(o: RevertOutcome): z.infer<typeof revertJson> {
  return {
    entry: o.entry
      ? historyToJson({
          ...o.entry,
          linkedEntryId: o.entry.linkedEntryId ?? null,
          records: null,
          recordCount: 0,
        })
      : null,
    fields: o.fields.map((f) => ({ path: f.path, from: f.from, to: f.to })),
    skipped: o.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    changed_since: o.changedSince.map((c) => ({
      path: c.path,
      entry_value: c.entryValue,
      current: c.current,
      revert_to: c.revertTo,
    })),
  };
}
