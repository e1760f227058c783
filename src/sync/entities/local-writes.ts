import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import type { Json } from '../../domain/shopify-map/index.ts';
import type { EntityAdapter, LocalState, RemoteState } from './adapter.ts';
import { plan, type BatchContext, type Planned } from './batch.ts';

/**
 * The local side of a merged kind's adapter, from its set-based writer: Shopify's records written to
 * Retailos (one or many, in the caller's transaction, origin shopify) and a Retailos record deleted
 * because Shopify deleted it. `link` first links an already-known local record to Shopify's (e.g. a
 * product's variants by SKU or position).
 */
export function localWrites<R extends RemoteState>(spec: {
  kind: MergedKind;
  newId: () => string;
  snapshot: (r: R) => Json;
  upsert: (tx: Queryable, ctx: BatchContext, items: readonly Planned<R>[]) => Promise<Map<string, string>>;
  deleteRow: (tx: Queryable, tenantId: string, localId: string) => Promise<number | undefined>;
  link: (tx: Queryable, tenantId: string, remote: R, localId: string, now: Date) => Promise<void>;
  /** `link` for Shopify's record our own creating push made (the adapter's linkLocal); default `link`. */
  linkCreated?: (tx: Queryable, tenantId: string, remote: R, localId: string, now: Date) => Promise<void>;
}): Pick<EntityAdapter<R, LocalState>, 'writeLocal' | 'updateLocals' | 'deleteLocal' | 'linkLocal'> {
  const ctx = (tenantId: string, now: Date): BatchContext => ({
    tenantId,
    importId: 'continuous-sync',
    now,
    newId: spec.newId,
    // The live paths keep their change rows (the import's batches do not: sync/import/writers.ts).
    changeRows: true,
  });
  const planned = (r: R): Planned<R> => plan(r.gid, r, spec.snapshot(r), null);
  return {
    linkLocal: spec.linkCreated ?? spec.link,
    async writeLocal(tx, tenantId, remote, localId, now) {
      if (localId) await spec.link(tx, tenantId, remote, localId, now);
      const ids = await spec.upsert(tx, ctx(tenantId, now), [planned(remote)]);
      return ids.get(remote.gid) as string;
    },
    async updateLocals(tx, tenantId, remotes, now) {
      await spec.upsert(tx, ctx(tenantId, now), remotes.map(planned));
    },
    async deleteLocal(tx, tenantId, localId) {
      const version = await spec.deleteRow(tx, tenantId, localId);
      if (version === undefined) return;
      await recordChanges(tx, tenantId, 'shopify', [
        { entity: spec.kind, entityId: localId, version: version + 1, op: 'delete' },
      ]);
    },
  };
}
