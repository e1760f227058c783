import type { SyncedKind } from '../domain/synced-kinds.ts';
import { historyNumbers } from '../domain/history-numbers.ts';
import type { Queryable } from './db.ts';

export type HistoryEntity = SyncedKind;
export type HistoryDirection = 'inbound' | 'outbound';
export type HistoryOrigin = 'webhook' | 'push' | 'import' | 'reconcile' | 'revert' | 'redo' | 'user';
export type HistoryAction = 'create' | 'update' | 'delete';
export type HistoryOutcome = 'applied' | 'merged' | 'failed';

/** One synced change, in either direction: what it was before and after, field by field. */
export interface HistoryEntry {
  entity: HistoryEntity;
  localId: string | null;
  gid: string | null;
  displayName: string;
  direction: HistoryDirection;
  origin: HistoryOrigin;
  action: HistoryAction;
  outcome: HistoryOutcome;
  before: unknown;
  after: unknown;
  diff: unknown;
  conflicts: unknown;
  error: string | null;
  /** Extra words to find the entry by (SKUs, email, order name). */
  searchWords: readonly string[];
  /** A revert: the entry it rolled back; a redo: the revert it re-applied. */
  linkedEntryId?: number | null | undefined;
  /** Why a reconciliation repaired it, in words ("Shopify change not received", "push not delivered"). */
  cause?: string | null | undefined;
}

/** A record written by an import batch, as the batch's entry lists it. */
export interface HistoryRecord {
  localId: string;
  gid: string;
  name: string;
}

/** A stored entry as it is read back. */
export interface HistoryRow extends Omit<HistoryEntry, 'searchWords' | 'linkedEntryId' | 'cause'> {
  id: number;
  occurredAt: Date;
  linkedEntryId: number | null;
  cause: string | null;
  /**
   * An import batch's records (one entry's own: all of them; in a search's list: those that match, the
   * first few), null for any other entry.
   */
  records: HistoryRecord[] | null;
  /** How many records an import batch wrote (0 for any other entry). */
  recordCount: number;
}

export async function insertHistory(
  q: Queryable,
  tenantId: string,
  entries: readonly HistoryEntry[],
  now: Date,
): Promise<number[]> {
  if (entries.length === 0) return [];
  const { rows } = await q.query<{ id: string | number }>(
    `insert into shopify_sync_history (tenant_id, entity, local_id, gid, display_name, direction, origin, action,
       outcome, before, after, diff, conflicts, error, occurred_at, search_text, search_numbers, linked_entry_id,
       cause)
     select $1, r.entity, r.local_id, r.gid, r.display_name, r.direction, r.origin, r.action, r.outcome, r.before,
       r.after, r.diff, r.conflicts, r.error, $3, r.search_text, array_to_tsvector(r.search_numbers),
       r.linked_entry_id, r.cause
     from jsonb_to_recordset($2::jsonb) as r(entity text, local_id uuid, gid text, display_name text, direction text,
       origin text, action text, outcome text, before jsonb, after jsonb, diff jsonb, conflicts jsonb, error text,
       search_text text, search_numbers text[], linked_entry_id bigint, cause text)
     returning id`,
    [
      tenantId,
      JSON.stringify(
        entries.map((e) => {
          const searchText = [e.displayName, e.gid ?? '', ...e.searchWords].join(' ').toLowerCase();
          return {
            entity: e.entity,
            local_id: e.localId,
            gid: e.gid,
            display_name: e.displayName,
            direction: e.direction,
            origin: e.origin,
            action: e.action,
            outcome: e.outcome,
            before: e.before ?? null,
            after: e.after ?? null,
            diff: e.diff ?? [],
            conflicts: e.conflicts ?? [],
            error: e.error,
            search_text: searchText,
            search_numbers: historyNumbers(searchText),
            linked_entry_id: e.linkedEntryId ?? null,
            cause: e.cause ?? null,
          };
        }),
      ),
      now,
    ],
  );
  return rows.map((r) => Number(r.id));
}

/** An entry's columns as HistoryRow holds them, from `shopify_sync_history h`, all but `records`. */
export const HISTORY_COLUMNS = `h.id, h.entity, h.local_id, h.gid, h.display_name, h.direction, h.origin, h.action,
  h.outcome, h.before, h.after, h.diff, h.conflicts, h.error, h.occurred_at, h.linked_entry_id, h.cause,
  coalesce(jsonb_array_length(h.records), 0) as record_count`;

/** A row of HISTORY_COLUMNS and `records`. */
export interface DbHistory {
  id: string | number;
  entity: HistoryEntity;
  local_id: string | null;
  gid: string | null;
  display_name: string;
  direction: HistoryDirection;
  origin: HistoryOrigin;
  action: HistoryAction;
  outcome: HistoryOutcome;
  before: unknown;
  after: unknown;
  diff: unknown;
  conflicts: unknown;
  error: string | null;
  occurred_at: Date;
  linked_entry_id: string | number | null;
  cause: string | null;
  record_count: number | string;
  records: { local_id: string; gid: string; name: string }[] | null;
}

export function historyRowOf(r: DbHistory): HistoryRow {
  return {
    id: Number(r.id),
    entity: r.entity,
    localId: r.local_id,
    gid: r.gid,
    displayName: r.display_name,
    direction: r.direction,
    origin: r.origin,
    action: r.action,
    outcome: r.outcome,
    before: r.before,
    after: r.after,
    diff: r.diff,
    conflicts: r.conflicts,
    error: r.error,
    occurredAt: r.occurred_at,
    linkedEntryId: r.linked_entry_id === null ? null : Number(r.linked_entry_id),
    cause: r.cause,
    records: r.records ? r.records.map((x) => ({ localId: x.local_id, gid: x.gid, name: x.name })) : null,
    recordCount: Number(r.record_count),
  };
}

const ENTRY = `select ${HISTORY_COLUMNS}, h.records from shopify_sync_history h`;

/**
 * One entry of the tenant's, with all of an import batch's records (undefined for another tenant's
 * id, or none); locked when `forUpdate`.
 */
export async function getHistoryEntry(
  q: Queryable,
  tenantId: string,
  id: number,
  forUpdate = false,
): Promise<HistoryRow | undefined> {
  const { rows } = await q.query<DbHistory>(
    `${ENTRY} where h.tenant_id = $1 and h.id = $2${forUpdate ? ' for update' : ''}`,
    [tenantId, id],
  );
  return rows[0] ? historyRowOf(rows[0]) : undefined;
}

/** The revert of an entry, or the redo of a revert: the entry linked to `id` with that origin. */
export async function findLinkedEntry(
  q: Queryable,
  tenantId: string,
  id: number,
  origin: 'revert' | 'redo',
): Promise<HistoryRow | undefined> {
  const { rows } = await q.query<DbHistory>(
    `${ENTRY} where h.tenant_id = $1 and h.linked_entry_id = $2 and h.origin = $3`,
    [tenantId, id, origin],
  );
  return rows[0] ? historyRowOf(rows[0]) : undefined;
}

/** What tests list entries by: one record's (`local_id` only), one kind, one direction, or a text in part. */
export interface HistoryListFilter {
  entity?: HistoryEntity | undefined;
  localId?: string | undefined;
  direction?: HistoryDirection | undefined;
  text?: string | undefined;
}

/** Newest first by id: the tests' plain reading of the history (the API's is searchHistory). */
export async function listHistory(
  q: Queryable,
  tenantId: string,
  filter: HistoryListFilter,
  limit: number,
  beforeId?: number,
): Promise<HistoryRow[]> {
  const { rows } = await q.query<DbHistory>(
    `${ENTRY}
     where h.tenant_id = $1
       and ($2::text is null or h.entity = $2)
       and ($3::uuid is null or h.local_id = $3)
       and ($4::text is null or h.direction = $4)
       and ($5::text is null or h.search_text like '%' || $5 || '%')
       and ($6::bigint is null or h.id < $6)
     order by h.id desc limit $7`,
    [
      tenantId,
      filter.entity ?? null,
      filter.localId ?? null,
      filter.direction ?? null,
      filter.text ? filter.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) : null,
      beforeId ?? null,
      limit,
    ],
  );
  return rows.map(historyRowOf);
}
