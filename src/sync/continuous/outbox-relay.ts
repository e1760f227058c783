import { takeUnrelayedChanges } from '../../db/changes.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import type { CoreDeps } from '../../deps.ts';
import { JOBS } from '../../jobs/names.ts';
import { PUSH_ENTITIES, type PushJobData } from './push.ts';

/** The push job's singleton key: one queued push per entity, however many edits came in. */
export const pushKey = (d: PushJobData): string => `${d.tenantId}:${d.entity}:${d.localId}`;

/**
 * Hands the tenant's new local changes to the push queue, one push job per entity. The push jobs are
 * inserted in the same transaction that marks the changes handed: both commit or neither does. While the import runs,
 * changes wait; without a live connection they are marked handed with nothing to push.
 */
export async function relayOutbox(deps: CoreDeps, tenantId: string): Promise<number> {
  const enqueue = deps.enqueue;
  if (!enqueue) throw new Error('relayOutbox needs a queue');
  const connection = await getConnection(deps.db, tenantId);
  if (connection?.state === 'importing' || connection?.state === 'connecting') return 0;
  const syncing = connection?.state === 'syncing';
  let handed = 0;
  for (;;) {
    const taken = await deps.db.transaction(async (tx) => {
      const changes = await takeUnrelayedChanges(tx, tenantId, deps.clock.now());
      if (!syncing) return changes.length;
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

/** Tenants with changes waiting for the relay (the periodic safety net). */
export async function tenantsWithUnrelayedChanges(deps: CoreDeps): Promise<string[]> {
  const { rows } = await deps.db.query<{ tenant_id: string }>(
    `select distinct c.tenant_id from changes c join shopify_connections s on s.tenant_id = c.tenant_id
     where c.relayed_at is null and c.origin <> 'shopify' and s.state in ('syncing', 'disconnected', 'error', 'error_auth')`,
  );
  return rows.map((r) => r.tenant_id);
}
