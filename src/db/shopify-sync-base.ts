import type { SyncedKind } from '../domain/synced-kinds.ts';
import type { Queryable } from './db.ts';

/**
 * Entities whose last synced snapshot we keep. The base lives in the record's link row
 * (`shopify_links`, migration 0045): its base columns are set together and cleared together, and a row
 * has a base when `snapshot_hash is not null`. Writing a base never makes a second row for a record,
 * and dropping one keeps the link.
 */
export type SyncBaseEntity = SyncedKind;

export interface SyncBaseWrite {
  localId: string;
  gid: string;
  hash: string;
  snapshot: unknown;
  remoteUpdatedAt: Date | null;
  /**
   * The Shopify ids of the snapshot's sub-records (a product's variants: `{variants: [GID, …]}` in
   * snapshot order), so the next merge matches them by link. Stored with the snapshot under `$links`,
   * outside its hash; undefined for a base stored without them.
   */
  links?: unknown;
}

export interface SyncBaseRow extends SyncBaseWrite {
  entity: SyncBaseEntity;
  syncedAt: Date;
  /** The snapshot hash a push in flight is writing to Shopify (null when none is known). */
  pushingHash: string | null;
  /** The Retailos snapshot that push was merged from (the common ancestor of both sides meanwhile). */
  pushingBase: unknown;
  /** The note of the push before it, when a second push began before the first one's result was stored. */
  pushingPrevHash: string | null;
  pushingPrevBase: unknown;
  /**
   * Shopify's time of the write each note stands for, once its push had the answer (migration 0047):
   * a later Shopify state with the note's hash is a Shopify edit, not the echo. Null: no answer yet.
   */
  pushingAnsweredAt: Date | null;
  pushingPrevAnsweredAt: Date | null;
  /** The push's cause in words when the reconciliation made it (its echo is recorded as the reconciliation's). */
  pushingCause: string | null;
  /** What the last push wrote over on Shopify (domain/overwritten-edit.ts's PushedOver), or null. */
  pushedOver: unknown;
}

/** A link row that holds a sync base. */
const HAS_BASE = 'snapshot_hash is not null';

/** Snapshot hashes by GID, for the given GIDs. */
export async function baseHashesByGid(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  gids: readonly string[],
): Promise<Map<string, string>> {
  if (gids.length === 0) return new Map();
  const { rows } = await q.query<{ gid: string; snapshot_hash: string }>(
    `select gid, snapshot_hash from shopify_links
      where tenant_id = $1 and entity = $2 and gid = any($3::text[]) and ${HAS_BASE}`,
    [tenantId, entity, [...new Set(gids)]],
  );
  return new Map(rows.map((r) => [r.gid, r.snapshot_hash]));
}

interface SyncBaseDbRow {
  gid: string;
  local_id: string;
  snapshot_hash: string;
  snapshot: unknown;
  remote_updated_at: Date | null;
  synced_at: Date;
  pushing_hash: string | null;
  pushing_base: unknown;
  pushing_prev_hash: string | null;
  pushing_prev_base: unknown;
  pushing_answered_at: Date | null;
  pushing_prev_answered_at: Date | null;
  pushing_cause: string | null;
  pushed_over: unknown;
}

/** Where the stored snapshot keeps `links` (a key no snapshot has). */
const LINKS = '$links';

/** The stored snapshot without its links, and the links. */
function splitLinks(stored: unknown): { snapshot: unknown; links?: unknown } {
  if (
    typeof stored !== 'object' ||
    stored === null ||
    Array.isArray(stored) ||
    !Object.hasOwn(stored, LINKS)
  ) {
    return { snapshot: stored };
  }
  const { [LINKS]: links, ...snapshot } = stored as Record<string, unknown>;
  return { snapshot, links };
}

const withLinks = (r: SyncBaseWrite): unknown =>
  r.links === undefined ? r.snapshot : { ...(r.snapshot as Record<string, unknown>), [LINKS]: r.links };

const toSyncBase = (entity: SyncBaseEntity, r: SyncBaseDbRow): SyncBaseRow => ({
  entity,
  localId: r.local_id,
  gid: r.gid,
  hash: r.snapshot_hash,
  ...splitLinks(r.snapshot),
  remoteUpdatedAt: r.remote_updated_at,
  syncedAt: r.synced_at,
  pushingHash: r.pushing_hash,
  pushingBase: r.pushing_base,
  pushingPrevHash: r.pushing_prev_hash,
  pushingPrevBase: r.pushing_prev_base,
  pushingAnsweredAt: r.pushing_answered_at,
  pushingPrevAnsweredAt: r.pushing_prev_answered_at,
  pushingCause: r.pushing_cause,
  pushedOver: r.pushed_over ?? null,
});

export async function getSyncBase(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
): Promise<SyncBaseRow | undefined> {
  const { rows } = await q.query<SyncBaseDbRow>(
    `select * from shopify_links where tenant_id = $1 and entity = $2 and local_id = $3 and ${HAS_BASE}`,
    [tenantId, entity, localId],
  );
  return rows[0] && toSyncBase(entity, rows[0]);
}

/** The sync bases of several Shopify records, by GID (records without one are left out). */
export async function getSyncBasesByGid(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  gids: readonly string[],
): Promise<Map<string, SyncBaseRow>> {
  if (gids.length === 0) return new Map();
  const { rows } = await q.query<SyncBaseDbRow>(
    `select * from shopify_links where tenant_id = $1 and entity = $2 and gid = any($3::text[]) and ${HAS_BASE}`,
    [tenantId, entity, [...new Set(gids)]],
  );
  return new Map(rows.map((r) => [r.gid, toSyncBase(entity, r)]));
}

/** The base hashes of several records by local id, locked for the rest of the caller's transaction. */
export async function lockSyncBases(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localIds: readonly string[],
): Promise<Map<string, string>> {
  if (localIds.length === 0) return new Map();
  const { rows } = await q.query<{ local_id: string; snapshot_hash: string }>(
    `select local_id, snapshot_hash from shopify_links
     where tenant_id = $1 and entity = $2 and local_id = any($3::uuid[]) and ${HAS_BASE}
     order by local_id for update`,
    [tenantId, entity, localIds],
  );
  return new Map(rows.map((r) => [r.local_id, r.snapshot_hash]));
}

const syncBaseJson = (rows: readonly SyncBaseWrite[]): string =>
  JSON.stringify(
    rows.map((r) => ({
      local_id: r.localId,
      gid: r.gid,
      hash: r.hash,
      snapshot: withLinks(r),
      remote_updated_at: r.remoteUpdatedAt?.toISOString() ?? null,
    })),
  );

const INSERT_SYNC_BASE = `insert into shopify_links (tenant_id, entity, local_id, gid, created_at, snapshot_hash, snapshot, remote_updated_at, synced_at)
     select $1, $2, r.local_id, r.gid, $4, r.hash, r.snapshot, r.remote_updated_at, $4
     from jsonb_to_recordset($3::jsonb) as r(local_id uuid, gid text, hash text, snapshot jsonb, remote_updated_at timestamptz)`;

const SET_BASE = `snapshot_hash = excluded.snapshot_hash, snapshot = excluded.snapshot,
       remote_updated_at = excluded.remote_updated_at, synced_at = excluded.synced_at`;

/**
 * Writes (or replaces) the sync base of many records in one statement, in the record's link row (made
 * when it has none). The base names the GID the record was synced with, and the link follows it, as the
 * base's GID did before the two were one row (a stock level rebased on its variant's new inventory
 * item); a GID linked to another record fails the statement (the GID key).
 */
export async function upsertSyncBase(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  rows: readonly SyncBaseWrite[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `${INSERT_SYNC_BASE}
     on conflict (tenant_id, entity, local_id) do update set gid = excluded.gid, ${SET_BASE}`,
    [tenantId, entity, syncBaseJson(rows), now],
  );
}

/**
 * Writes the link and the first sync base of records the caller found neither linked nor with a base
 * earlier in the same transaction (new records), one row each in one plain insert: no conflict check
 * per row, and a link or base another transaction wrote meanwhile fails the statement instead of being
 * overwritten unseen.
 */
export async function insertSyncBases(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  rows: readonly SyncBaseWrite[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(INSERT_SYNC_BASE, [tenantId, entity, syncBaseJson(rows), now]);
}

/**
 * Writes the first sync base of records the caller found without one earlier in the same transaction,
 * into their link row (or a new row with the link, for a record not linked yet). A base another
 * transaction wrote meanwhile, or a link to another GID, is not overwritten: the call fails and says so.
 */
export async function addSyncBases(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  rows: readonly SyncBaseWrite[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const written = await q.query<{ local_id: string }>(
    `${INSERT_SYNC_BASE}
     on conflict (tenant_id, entity, local_id) do update set ${SET_BASE}
       where shopify_links.snapshot_hash is null and shopify_links.gid = excluded.gid
     returning local_id`,
    [tenantId, entity, syncBaseJson(rows), now],
  );
  if (written.rows.length === rows.length) return;
  const done = new Set(written.rows.map((r) => r.local_id));
  const refused = rows.filter((r) => !done.has(r.localId)).map((r) => `${r.localId} (${r.gid})`);
  throw new Error(
    `sync base of ${entity} ${refused.join(', ')}: the record has a base already or is linked to another GID`,
  );
}

export async function getSyncBaseByGid(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  gid: string,
): Promise<SyncBaseRow | undefined> {
  const { rows } = await q.query<{ local_id: string }>(
    `select local_id from shopify_links where tenant_id = $1 and entity = $2 and gid = $3 and ${HAS_BASE}`,
    [tenantId, entity, gid],
  );
  return rows[0] ? getSyncBase(q, tenantId, entity, rows[0].local_id) : undefined;
}

/** The base hash, locked for the rest of the caller's transaction (undefined when there is none). */
export async function lockSyncBase(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ snapshot_hash: string }>(
    `select snapshot_hash from shopify_links where tenant_id = $1 and entity = $2 and local_id = $3 and ${HAS_BASE}
     for update`,
    [tenantId, entity, localId],
  );
  return rows[0]?.snapshot_hash;
}

/**
 * Notes, before the call, the snapshot hash a push is about to write to Shopify and the Retailos state
 * it was merged from: until the push stores its result as the base, Shopify holding this state is our
 * own echo (see migration 0032).
 */
export async function markPushing(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  hash: string,
  from: unknown,
  /** The reconciliation's cause in words, for a push it makes (live sync's own: none). */
  cause: string | null = null,
): Promise<void> {
  await q.query(
    `update shopify_links set pushing_hash = $4, pushing_base = $5::jsonb, pushing_cause = $6,
       pushing_answered_at = null,
       pushing_prev_hash = case when pushing_hash <> $4 then pushing_hash else pushing_prev_hash end,
       pushing_prev_base = case when pushing_hash <> $4 then pushing_base else pushing_prev_base end,
       pushing_prev_answered_at = case when pushing_hash <> $4 then pushing_answered_at else pushing_prev_answered_at end
     where tenant_id = $1 and entity = $2 and local_id = $3 and ${HAS_BASE}`,
    [tenantId, entity, localId, hash, JSON.stringify(from), cause],
  );
}

/** Records a push's result as pushed; the push it stood for is no longer in flight. */
export async function markPushed(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  hash: string,
  now: Date,
): Promise<void> {
  await q.query(
    `update shopify_links set last_pushed_hash = $4, last_pushed_at = $5, ${CLEAR_NOTE}
     where tenant_id = $1 and entity = $2 and local_id = $3 and ${HAS_BASE}`,
    [tenantId, entity, localId, hash, now],
  );
}

/**
 * Notes what a push wrote over on Shopify (its read and its result, see migration 0043), replacing the
 * note of the push before; kept while the base changes, until the next push.
 */
export async function notePushedOver(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  over: unknown,
): Promise<void> {
  await q.query(
    `update shopify_links set pushed_over = $4::jsonb
      where tenant_id = $1 and entity = $2 and local_id = $3 and ${HAS_BASE}`,
    [tenantId, entity, localId, JSON.stringify(over)],
  );
}

/** Clears the note of the push that writes the state hashed $4, where it still stands (current or previous). */
const CLEAR_NOTE = `pushing_hash = case when pushing_hash = $4 then null else pushing_hash end,
       pushing_base = case when pushing_hash = $4 then null else pushing_base end,
       pushing_cause = case when pushing_hash = $4 then null else pushing_cause end,
       pushing_answered_at = case when pushing_hash = $4 then null else pushing_answered_at end,
       pushing_prev_hash = case when pushing_prev_hash = $4 then null else pushing_prev_hash end,
       pushing_prev_base = case when pushing_prev_hash = $4 then null else pushing_prev_base end,
       pushing_prev_answered_at = case when pushing_prev_hash = $4 then null else pushing_prev_answered_at end`;

/**
 * Notes Shopify's time of the write of the push whose note hashes $4 (current or previous), when that
 * push has its answer but its note stays (its record was edited while it ran): its echo is recognised
 * up to that time, and a later Shopify state with the same hash is a Shopify edit (migration 0047).
 */
export async function noteAnswered(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  hash: string,
  at: Date,
): Promise<void> {
  await q.query(
    `update shopify_links set
       pushing_answered_at = case when pushing_hash = $4 then $5 else pushing_answered_at end,
       pushing_prev_answered_at = case when pushing_prev_hash = $4 then $5 else pushing_prev_answered_at end
     where tenant_id = $1 and entity = $2 and local_id = $3 and ${HAS_BASE}`,
    [tenantId, entity, localId, hash, at],
  );
}

/**
 * Clears a push's echo note without recording it as pushed: the push never reached Shopify (a
 * reconciliation's bulk group Shopify never took), so Shopify holding that state would not be our echo.
 */
export async function clearPushingNote(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  hash: string,
): Promise<void> {
  await q.query(
    `update shopify_links set ${CLEAR_NOTE} where tenant_id = $1 and entity = $2 and local_id = $3 and ${HAS_BASE}`,
    [tenantId, entity, localId, hash],
  );
}

/** Every base column, as a row without a base has them. */
const CLEAR_BASE = `snapshot_hash = null, snapshot = null, remote_updated_at = null, synced_at = null,
       last_pushed_hash = null, last_pushed_at = null, pushing_hash = null, pushing_base = null,
       pushing_prev_hash = null, pushing_prev_base = null, pushing_cause = null, pushed_over = null,
       pushing_answered_at = null, pushing_prev_answered_at = null`;

/** Drops the record's sync base (all its columns); its link stays until `unlinkLocal`. */
export async function deleteSyncBase(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
): Promise<void> {
  await q.query(
    `update shopify_links set ${CLEAR_BASE} where tenant_id = $1 and entity = $2 and local_id = $3`,
    [tenantId, entity, localId],
  );
}
