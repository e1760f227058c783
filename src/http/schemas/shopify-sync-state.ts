import { z } from 'zod';
import { MERGED_KINDS } from '../../domain/synced-kinds.ts';
import type { RecordSyncState } from '../../sync/continuous/sync-state.ts';
import { iso, uuid } from './common.ts';

export const syncStateParams = z.strictObject({
  entity: z.enum(MERGED_KINDS),
  id: uuid,
});

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
  dead_letter: z
    .object({
      id: z.number().int(),
      last_error: z.string(),
      attempts: z.number().int(),
      last_failed_at: z.string(),
    })
    .nullable()
    .describe("The record's open dead letter (its pushes wait behind it); null when none."),
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
    dead_letter: s.deadLetter && {
      id: s.deadLetter.id,
      last_error: s.deadLetter.lastError,
      attempts: s.deadLetter.attempts,
      last_failed_at: s.deadLetter.lastFailedAt.toISOString(),
    },
  };
}
