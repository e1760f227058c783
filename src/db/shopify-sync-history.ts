import type { SyncedKind } from '../domain/synced-kinds.ts';
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

export interface HistoryRow extends HistoryEntry {
  id: number;
  occurredAt: Date;
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
       outcome, before, after, diff, conflicts, error, occurred_at, search_text, linked_entry_id, cause)
     select $1, r.entity, r.local_id, r.gid, r.display_name, r.direction, r.origin, r.action, r.outcome, r.before,
       r.after, r.diff, r.conflicts, r.error, $3, r.search_text, r.linked_entry_id, r.cause
     from jsonb_to_recordset($2::jsonb) as r(entity text, local_id uuid, gid text, display_name text, direction text,
       origin text, action text, outcome text, before jsonb, after jsonb, diff jsonb, conflicts jsonb, error text,
       search_text text, linked_entry_id bigint, cause text)
     returning id`,
    [
      tenantId,
      JSON.stringify(
        entries.map((e) => ({
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
          search_text: [e.displayName, e.gid ?? '', ...e.searchWords].join(' ').toLowerCase(),
          linked_entry_id: e.linkedEntryId ?? null,
          cause: e.cause ?? null,
        })),
      ),
      now,
    ],
  );
  return rows.map((r) => Number(r.id));
}

export interface HistoryFilter {
  entity?: HistoryEntity | undefined;
  localId?: string | undefined;
  direction?: HistoryDirection | undefined;
  text?: string | undefined;
}

interface DbHistory {
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
  search_text: string;
  linked_entry_id: string | number | null;
  cause: string | null;
}

/** Newest first. */
export async function listHistory(
  q: Queryable,
  tenantId: string,
  filter: HistoryFilter,
  limit: number,
  beforeId?: number,
): Promise<HistoryRow[]> {
  const { rows } = await q.query<DbHistory>(
    `select * from shopify_sync_history
     where tenant_id = $1
       and ($2::text is null or entity = $2)
       and ($3::uuid is null or local_id = $3)
       and ($4::text is null or direction = $4)
       and ($5::text is null or search_text like '%' || $5 || '%')
       and ($6::bigint is null or id < $6)
     order by id desc limit $7`,
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

function historyRowOf(r: DbHistory): HistoryRow {
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
    searchWords: [],
    linkedEntryId: r.linked_entry_id === null ? null : Number(r.linked_entry_id),
    cause: r.cause ?? null,
  };
}

/** One entry of the tenant's (undefined for another tenant's id, or none); locked when `forUpdate`. */
export async function getHistoryEntry(
  q: Queryable,
  tenantId: string,
  id: number,
  forUpdate = false,
): Promise<HistoryRow | undefined> {
  const { rows } = await q.query<DbHistory>(
    `select * from shopify_sync_history where tenant_id = $1 and id = $2${forUpdate ? ' for update' : ''}`,
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
    'select * from shopify_sync_history where tenant_id = $1 and linked_entry_id = $2 and origin = $3',
    [tenantId, id, origin],
  );
  return rows[0] ? historyRowOf(rows[0]) : undefined;
}
