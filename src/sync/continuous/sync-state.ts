import { getConnection } from '../../db/shopify-connections.ts';
import { getSyncBase } from '../../db/shopify-sync-base.ts';
import {
  productStockSyncFacts,
  recordSyncFacts,
  type OpenLetter,
  type StockSyncFacts,
  type SyncStateEntity,
} from '../../db/shopify-sync-state.ts';
import { notFound } from '../../core/errors.ts';
import type { CoreDeps } from '../../deps.ts';
import { syncAdapters } from './adapters.ts';
import { localIsBase } from './sync-entity.ts';

export interface RecordSyncState {
  /** The Shopify GID the record is linked to; null when it is not on Shopify (yet). */
  linked: string | null;
  /** The store's connection state, or null when no store was ever connected. */
  connectionState: string | null;
  /** When Retailos and Shopify last agreed on this record (its base was written); null when never. */
  lastSyncedAt: Date | null;
  /** Retailos holds an edit Shopify has not got yet, and a connected store will receive it. */
  pushPending: boolean;
  /** The record's open dead letter: its pushes wait behind it until it is replayed or discarded. */
  deadLetter: OpenLetter | null;
  /** A product's stock: levels a push has yet to carry (a connected store only), and a stock dead letter. */
  stock: { pushPending: boolean; deadLetter: OpenLetter | null } | null;
}

const NO_STOCK: StockSyncFacts = { pendingLevels: 0, deadLetter: null };

/**
 * One record's sync state, for its back-office page. "Push pending" is decided as the push decides
 * whether it has something to carry: the record differs from its last synced snapshot (or was never
 * synced and is one Retailos creates on Shopify), or an edit still waits in the outbox. A record of
 * another tenant, or none, is not found.
 */
export async function recordSyncState(
  deps: Pick<CoreDeps, 'db' | 'randomBytes'>,
  tenantId: string,
  entity: SyncStateEntity,
  localId: string,
): Promise<RecordSyncState> {
  const adapter = syncAdapters(deps)[entity];
  const [local, base, facts, connection, stock] = await Promise.all([
    adapter.loadLocal(deps.db, tenantId, localId, false),
    getSyncBase(deps.db, tenantId, entity, localId),
    recordSyncFacts(deps.db, tenantId, entity, localId),
    getConnection(deps.db, tenantId),
    entity === 'product' ? productStockSyncFacts(deps.db, tenantId, localId) : NO_STOCK,
  ]);
  if (local === undefined) throw notFound(entity, localId);
  // A store holding a grant: a pending push reaches it (now, or once its import or reconnect is done).
  const storeConnected =
    connection !== undefined && connection.accessTokenSealed !== null && connection.state !== 'disconnected';
  // A record never synced is pushed only when Retailos creates its kind on Shopify (not orders).
  const pushable = base !== undefined || adapter.createsRemote !== false;
  const differs = base ? !localIsBase(adapter, local, base) : true;
  return {
    linked: facts.gid,
    connectionState: connection?.state ?? null,
    lastSyncedAt: facts.syncedAt,
    pushPending: storeConnected && pushable && (facts.unrelayedChange || differs),
    deadLetter: facts.deadLetter,
    stock:
      entity === 'product'
        ? { pushPending: storeConnected && stock.pendingLevels > 0, deadLetter: stock.deadLetter }
        : null,
  };
}
