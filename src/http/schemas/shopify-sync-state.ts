import { z } from 'zod';
import { MERGED_KINDS } from '../../domain/synced-kinds.ts';
import type { OpenLetter } from '../../db/shopify-sync-state.ts';
import type { RecordSyncState } from '../../sync/continuous/sync-state.ts';
import { iso, uuid } from './common.ts';

export const syncStateParams = z.strictObject({
  entity: z.enum(MERGED_KINDS),
  id: uuid,
});

const openLetter = z.object({
  id: z.number().int(),
  last_error: z.string(),
  attempts: z.number().int(),
  last_failed_at: z.string(),
});

const letterJson = (l: OpenLetter | null): z.infer<typeof openLetter> | null =>
  l && {
    id: l.id,
    last_error: l.lastError,
    attempts: l.attempts,
    last_failed_at: l.lastFailedAt.toISOString(),
  };

export const syncStateJson = z.object({
  entity: z.enum(MERGED_KINDS),
  local_id: z.string(),
  linked: z
    .string()
    .nullable()
    .describe('The Shopify GID of the record; null when it is not on Shopify (yet).'),
  connection_state: z.string().nullable().describe('The store connection state; null when never connected.'),
  last_synced_at: z.string().nullable().describe('When Retailos and Shopify last agreed on this record.'),
  push_pending: z.boolean().describe('Retailos holds an edit the connected store has not received yet.'),
  dead_letter: openLetter
    .nullable()
    .describe("The record's open dead letter (its pushes wait behind it); null when none."),
  stock: z
    .object({ push_pending: z.boolean(), dead_letter: openLetter.nullable() })
    .nullable()
    .describe(
      "A product's stock levels: a push pending (quantities Shopify has not got yet) and a stock level's open dead letter; null for customers and orders.",
    ),
});

export function syncStateToJson(
  entity: z.infer<typeof syncStateParams>['entity'],
  localId: string,
  s: RecordSyncState,
): z.infer<typeof syncStateJson> {
  return {
    entity,
    local_id: localId,
    linked: s.linked,
    connection_state: s.connectionState,
    last_synced_at: iso(s.lastSyncedAt),
    push_pending: s.pushPending,
    dead_letter: letterJson(s.deadLetter),
    stock: s.stock && { push_pending: s.stock.pushPending, dead_letter: letterJson(s.stock.deadLetter) },
  };
}
