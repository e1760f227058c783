import { syncingTenantsWithUnrelayedChanges, takeUnrelayedChanges } from '../../db/changes.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import type { ChangesRecorded, CoreDeps } from '../../deps.ts';
import { JOBS } from '../../job-names.ts';
import { coalescedSend } from './coalesced-send.ts';
import { PUSH_ENTITIES, type PushJobData } from './push.ts';

/** The push job's singleton key: one queued push per entity, however many edits came in. */
export const pushKey = (d: PushJobData): string => `${d.tenantId}:${d.entity}:${d.localId}`;

/**
 * Hands the tenant's new local changes to the push queue, one push job per entity. The push jobs are
 * inserted in the same transaction that marks the changes handed: both commit or neither does. Changes
 * are handed only while the store syncs: while it imports, is disconnected or needs reconnecting they
 * wait in the outbox (visible as waiting on Sync Health), and the import's end or the minute sweep
 * relays them once it syncs again. A workspace that never connected a store has nothing to push to:
 * its changes are marked handed.
 */
export async function relayOutbox(deps: CoreDeps, tenantId: string): Promise<number> {
  const enqueue = deps.enqueue;
  const connection = await getConnection(deps.db, tenantId);
  if (connection && connection.state !== 'syncing') return 0;
  let handed = 0;
  for (;;) {
    const taken = await deps.db.transaction(async (tx) => {
      const changes = await takeUnrelayedChanges(tx, tenantId, deps.clock.now());
      if (!connection) return changes.length; // never connected: there is no store to push to
      const seen = new Set<string>();
      for (const c of changes) {
        if (!PUSH_ENTITIES.includes(c.entity)) continue;
        const data = { tenantId, entity: c.entity, localId: c.entityId } as PushJobData;
        const key = pushKey(data);
        if (seen.has(key)) continue;
        seen.add(key);
        await enqueue(JOBS.shopifyPush, data, { singletonKey: key, tx });
      }
      handed += seen.size;
      return changes.length;
    });
    if (taken === 0) return handed;
  }
}

/**
 * Core's `changesRecorded` as the composition root wires it: once a write committed changes Shopify
 * is to hear of (any origin but `shopify`), the tenant's outbox relay is queued (singleton per tenant,
 * so a burst of writes makes one relay run), whoever wrote — the API, the CLI, a job. It is queued
 * before the writer returns, so an API client that got its 2xx knows the push is on its way; a failed
 * enqueue is logged and the relay's minute sweep picks the changes up. A process with no Shopify
 * wiring queues nothing (there is no store to push to). Writes of one tenant made while its wake-up is
 * being sent share the next one (coalescedSend).
 */
export function wakeRelayOnChanges(deps: Pick<CoreDeps, 'enqueue' | 'logger' | 'shopify'>): ChangesRecorded {
  // A burst of writes shares its wake-ups; `deps.enqueue` is read at each send.
  const wake = coalescedSend((job, data, options) => deps.enqueue(job, data, options));
  return async (tenantId, origin) => {
    if (origin === 'shopify' || !deps.shopify.isSet) return;
    await wake(JOBS.shopifyOutbox, { tenantId }, tenantId).catch((err: unknown) =>
      deps.logger.warn({ err, tenantId }, 'could not enqueue the outbox relay; its minute sweep will'),
    );
  };
}

/** Tenants with changes waiting for the relay (the periodic safety net). */
export async function tenantsWithUnrelayedChanges(deps: CoreDeps): Promise<string[]> {
  return syncingTenantsWithUnrelayedChanges(deps.db);
}
