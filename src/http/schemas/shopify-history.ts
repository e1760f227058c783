import { z } from 'zod';
import type { HistoryRow } from '../../db/shopify-sync-history.ts';
import { limit, pageOf, uuid } from './common.ts';
import { cursor } from './shopify-sync.ts';

export const historyQuery = z.strictObject({
  limit,
  cursor,
  entity: z.enum(['product', 'customer', 'order', 'inventory_level', 'location']).optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  local_id: uuid.optional(),
  q: z.string().min(1).max(200).optional(),
});

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
  occurred_at: z.string(),
  /** A revert: the entry it rolled back; a redo: the revert it re-applied; else null. */
  linked_entry_id: z.number().int().nullable(),
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
    occurred_at: h.occurredAt.toISOString(),
    linked_entry_id: h.linkedEntryId ?? null,
  };
}
