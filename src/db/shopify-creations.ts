import type { SyncBaseEntity } from './shopify-sync-base.ts';
import type { Queryable } from './db.ts';

/**
 * The creation notes (`shopify_creations`, migration 0046): what the last attempt of a creation that
 * sent sent to Shopify, kept until the record is linked with a sync base. The base of a record linked
 * without the creation's answer (found by its key after a lost answer, or linked by its webhook first)
 * is taken from it.
 */

export interface CreationNote {
  hash: string;
  snapshot: unknown;
  sentAt: Date;
}

/** Notes, committed before the request, the snapshot a creation sends (replacing an earlier attempt's). */
export async function noteCreation(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  note: CreationNote,
): Promise<void> {
  await q.query(
    `insert into shopify_creations (tenant_id, entity, local_id, snapshot_hash, snapshot, sent_at)
     values ($1, $2, $3, $4, $5::jsonb, $6)
     on conflict (tenant_id, entity, local_id) do update set snapshot_hash = excluded.snapshot_hash,
       snapshot = excluded.snapshot, sent_at = excluded.sent_at`,
    [tenantId, entity, localId, note.hash, JSON.stringify(note.snapshot), note.sentAt],
  );
}

export async function getCreationNote(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
): Promise<CreationNote | undefined> {
  const { rows } = await q.query<{ snapshot_hash: string; snapshot: unknown; sent_at: Date }>(
    `select snapshot_hash, snapshot, sent_at from shopify_creations
      where tenant_id = $1 and entity = $2 and local_id = $3`,
    [tenantId, entity, localId],
  );
  const r = rows[0];
  return r && { hash: r.snapshot_hash, snapshot: r.snapshot, sentAt: r.sent_at };
}

/** Drops the record's creation note: it was linked with a base, or deleted before it was. */
export async function dropCreationNote(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
): Promise<void> {
  await q.query('delete from shopify_creations where tenant_id = $1 and entity = $2 and local_id = $3', [
    tenantId,
    entity,
    localId,
  ]);
}

/**
 * Makes the creation note the sync base of the record just linked (its link row, which has no base yet),
 * and drops the note. `remoteUpdatedAt` is Shopify's time of the state the base stands for: when Shopify
 * made the record from the noted snapshot (its `createdAt`; null when unknown). The push is recorded as
 * pushed at the note's `sent_at`. True when the note became the base; without a note nothing changes, and
 * a record linked with a base already keeps it (that base is later knowledge than the note).
 */
export async function baseFromCreationNote(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
  remoteUpdatedAt: Date | null,
  now: Date,
): Promise<boolean> {
  const { rows } = await q.query<{ based: boolean }>(
    `with note as (
       delete from shopify_creations where tenant_id = $1 and entity = $2 and local_id = $3
       returning snapshot_hash, snapshot, sent_at
     ), based as (
       update shopify_links l set snapshot_hash = n.snapshot_hash, snapshot = n.snapshot,
         remote_updated_at = $4, synced_at = $5, last_pushed_hash = n.snapshot_hash, last_pushed_at = n.sent_at
         from note n
        where l.tenant_id = $1 and l.entity = $2 and l.local_id = $3 and l.snapshot_hash is null
       returning 1
     )
     select exists (select 1 from based) as based`,
    [tenantId, entity, localId, remoteUpdatedAt, now],
  );
  return rows[0]?.based === true;
}
