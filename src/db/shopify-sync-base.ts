import type { Queryable } from './db.ts';

/** Entities whose last synced snapshot we keep. */
export type SyncBaseEntity = 'product' | 'customer' | 'order' | 'location' | 'inventory_level';

export interface SyncBaseWrite {
  localId: string;
  gid: string;
  hash: string;
  snapshot: unknown;
  remoteUpdatedAt: Date | null;
}

export interface SyncBaseRow extends SyncBaseWrite {
  entity: SyncBaseEntity;
  syncedAt: Date;
}

/** Snapshot hashes by GID, for the given GIDs. */
export async function baseHashesByGid(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  gids: readonly string[],
): Promise<Map<string, string>> {
  if (gids.length === 0) return new Map();
  const { rows } = await q.query<{ gid: string; snapshot_hash: string }>(
    'select gid, snapshot_hash from shopify_sync_base where tenant_id = $1 and entity = $2 and gid = any($3::text[])',
    [tenantId, entity, [...new Set(gids)]],
  );
  return new Map(rows.map((r) => [r.gid, r.snapshot_hash]));
}

export async function getSyncBase(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  localId: string,
): Promise<SyncBaseRow | undefined> {
  const { rows } = await q.query<{
    gid: string;
    local_id: string;
    snapshot_hash: string;
    snapshot: unknown;
    remote_updated_at: Date | null;
    synced_at: Date;
  }>('select * from shopify_sync_base where tenant_id = $1 and entity = $2 and local_id = $3', [
    tenantId,
    entity,
    localId,
  ]);
  const r = rows[0];
  return r
    ? {
        entity,
        localId: r.local_id,
        gid: r.gid,
        hash: r.snapshot_hash,
        snapshot: r.snapshot,
        remoteUpdatedAt: r.remote_updated_at,
        syncedAt: r.synced_at,
      }
    : undefined;
}

/** Writes (or replaces) the sync base of many records in one statement. */
export async function upsertSyncBase(
  q: Queryable,
  tenantId: string,
  entity: SyncBaseEntity,
  rows: readonly SyncBaseWrite[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `insert into shopify_sync_base (tenant_id, entity, local_id, gid, snapshot_hash, snapshot, remote_updated_at, synced_at)
     select $1, $2, r.local_id, r.gid, r.hash, r.snapshot, r.remote_updated_at, $4
     from jsonb_to_recordset($3::jsonb) as r(local_id uuid, gid text, hash text, snapshot jsonb, remote_updated_at timestamptz)
     on conflict (tenant_id, entity, local_id) do update set gid = excluded.gid, snapshot_hash = excluded.snapshot_hash,
       snapshot = excluded.snapshot, remote_updated_at = excluded.remote_updated_at, synced_at = excluded.synced_at`,
    [
      tenantId,
      entity,
      JSON.stringify(
        rows.map((r) => ({
          local_id: r.localId,
          gid: r.gid,
          hash: r.hash,
          snapshot: r.snapshot,
          remote_updated_at: r.remoteUpdatedAt?.toISOString() ?? null,
        })),
      ),
      now,
    ],
  );
}
