import { z } from 'zod';
import type { HistoryRow } from '../../db/shopify-sync-history.ts';
import { SYNCED_KINDS } from '../../domain/synced-kinds.ts';
import { limit, pageOf, timestamp, uuid } from './common.ts';
import { cursor } from './shopify-sync.ts';

export const HISTORY_ORIGINS = ['webhook', 'push', 'import', 'reconcile', 'revert', 'redo', 'user'] as const;
export const HISTORY_OUTCOMES = ['applied', 'merged', 'failed'] as const;

export const historyQuery = z
  .strictObject({
    limit,
    cursor: cursor.describe('next_cursor of the previous page'),
    q: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Words to find (each must appear, in part, case-insensitively): product title, SKU, order name, ' +
          'customer e-mail or name, Shopify id. A full GID (gid://shopify/Product/1) matches that record only. ' +
          'An import entry is found by any of its records.',
      ),
    entity: z.enum(SYNCED_KINDS).optional(),
    direction: z.enum(['inbound', 'outbound']).optional(),
    origin: z.enum(HISTORY_ORIGINS).optional(),
    outcome: z.enum(HISTORY_OUTCOMES).optional(),
    local_id: uuid
      .optional()
      .describe("The record's Retailos id: its own entries and the import that brought it"),
    from: timestamp.optional().describe('Entries at or after this instant'),
    to: timestamp.optional().describe('Entries before this instant'),
  })
  .refine((v) => !v.from || !v.to || new Date(v.from) < new Date(v.to), {
    message: '`from` must be before `to`',
    path: ['from'],
  });

export const historyParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

const recordJson = z.object({ local_id: z.string(), gid: z.string(), name: z.string() });

export const historyJson = z.object({
  id: z.number().int(),
  entity: z.string(),
  local_id: z.string().nullable(),
  gid: z.string().nullable(),
  display_name: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  origin: z.string(),
  action: z.enum(['create', 'update', 'delete']),
  outcome: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  diff: z.unknown(),
  conflicts: z.unknown(),
  error: z.string().nullable(),
  cause: z
    .string()
    .nullable()
    .describe(
      'Why, in words, when the sync decided on its own (a reconciliation repair; "Shopify kept the customer: they have orders")',
    ),
  occurred_at: z.string(),
  /** A revert: the entry it rolled back; a redo: the revert it re-applied. */
  linked_entry_id: z.number().int().nullable(),
  records: z
    .array(recordJson)
    .nullable()
    .describe(
      "An import batch's records: in a list, those matching the search (at most 20); in one entry, all. Null for other entries.",
    ),
  record_count: z.number().int().describe('How many records an import batch wrote; 0 for other entries'),
});
export const historyPage = pageOf(historyJson);

export function historyToJson(h: HistoryRow): z.infer<typeof historyJson> {
  return {
    id: h.id,
    entity: h.entity,
    local_id: h.localId,
    gid: h.gid,
    display_name: h.displayName,
    direction: h.direction,
    origin: h.origin,
    action: h.action,
    outcome: h.outcome,
    before: h.before,
    after: h.after,
    diff: h.diff,
    conflicts: h.conflicts,
    error: h.error,
    cause: h.cause,
    occurred_at: h.occurredAt.toISOString(),
    linked_entry_id: h.linkedEntryId,
    records: h.records?.map((r) => ({ local_id: r.localId, gid: r.gid, name: r.name })) ?? null,
    record_count: h.recordCount,
  };
}
