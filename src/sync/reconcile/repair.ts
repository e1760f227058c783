import { entityKey, openLetterFor, recordDeadLetter } from '../../db/shopify-dead-letters.ts';
import { settleDifference, type DifferenceRow } from '../../db/shopify-reconcile.ts';
import { getSyncBase, getSyncBaseByGid } from '../../db/shopify-sync-base.ts';
import type { CoreDeps } from '../../deps.ts';
import { snapshotHash } from '../../domain/shopify-map/index.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import { describeError, PermanentError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import { syncAdapters } from '../continuous/adapters.ts';
import { syncEntity } from '../continuous/sync-entity.ts';
import type { ShopSession } from '../shop-session.ts';
import { CAUSE_WORDS, causeWords, type Cause } from './classify.ts';
import type { Seen } from './compare.ts';
import { repairLevel } from './levels-repair.ts';
import { repairLocation } from './locations.ts';

export type RepairState = 'repaired' | 'left_to_live_sync' | 'failed' | 'unchanged';

/**
 * Repairs one difference through live sync's own decision (`syncEntity`, under origin `reconcile`
 * with the cause in words), unless the record moved since the run read it: a local edit (version),
 * a sync (base hash) or a Shopify change (the fresh read's hash) — live sync has it then, and a
 * repair from the run's older view could only go backwards. A record Shopify refuses becomes a dead
 * letter and the run goes on; any other failure (an outage) fails the run, which is retried and
 * resumes at the differences still pending.
 */
export async function repairDifference(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  runId: string,
  d: DifferenceRow,
): Promise<RepairState> {
  const settle = async (state: RepairState, outcome: string): Promise<RepairState> => {
    await settleDifference(deps.db, runId, d, state, outcome);
    return state;
  };
  try {
    if (d.entity === 'location') {
      const r = await repairLocation(deps, session, tenantId, d, causeWords(d.entity, d.cause));
      return await settle(r.state, r.outcome);
    }
    const letter = await openLetterFor(deps.db, tenantId, entityKey(d.entity, d.localId, null));
    if (d.localId && letter !== undefined)
      return await settle('left_to_live_sync', 'waits behind its open dead letter');
    if (d.entity === 'inventory_level') {
      const r = await repairLevel(deps, session, tenantId, d);
      return await settle(r.state, r.outcome);
    }
    const moved = await movedSince(deps, session, tenantId, d);
    if (moved) return await settle('left_to_live_sync', `left to live sync: ${moved}`);
    const a = syncAdapters(deps)[d.entity as MergedKind];
    const cause = d.cause as Cause;
    const r = await syncEntity(
      deps,
      session,
      a,
      tenantId,
      { localId: d.localId, gid: d.gid },
      { origin: 'push' },
      { origin: 'reconcile', cause: CAUSE_WORDS[cause] },
    );
    if (r.outcome === 'unchanged') return await settle('unchanged', 'already equal when repaired');
    return await settle('repaired', outcomeWords(d, r));
  } catch (err) {
    if (!(err instanceof PermanentError)) throw err;
    const reason = describeError(err);
    await recordDeadLetter(
      deps.db,
      tenantId,
      {
        direction: d.cause === 'shopify_changed' || d.cause === 'created_on_shopify' ? 'inbound' : 'outbound',
        entity: d.entity,
        localId: d.localId,
        gid: d.gid,
        displayName: d.displayName,
        job: JOBS.shopifyReconcile,
        payload: { tenantId, runId, entity: d.entity, key: d.key },
        errorClass: reason.errorClass,
        error: reason.message,
        attempts: 1,
      },
      deps.clock.now(),
    );
    return settle('failed', reason.message);
  }
}

function outcomeWords(
  d: DifferenceRow,
  r: { outcome: string; pushed: boolean; wroteLocal: boolean },
): string {
  if (d.entity === 'order' && d.cause === 'deleted_in_retailos')
    return 'order kept on Shopify (Retailos never deletes orders there); unlinked from Retailos';
  const sides = [r.wroteLocal ? 'applied to Retailos' : '', r.pushed ? 'pushed to Shopify' : ''].filter(
    Boolean,
  );
  return `${r.outcome}: ${sides.join(' and ') || 'no write needed'}`;
}

/** Why the record is no longer as the run saw it (undefined: it is). */
async function movedSince(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  d: DifferenceRow,
): Promise<string | undefined> {
  const seen = d.seen as Seen;
  const a = syncAdapters(deps)[d.entity as MergedKind];
  const local = d.localId ? await a.loadLocal(deps.db, tenantId, d.localId, false) : undefined;
  if ((local?.version ?? null) !== seen.localVersion) return 'edited in Retailos after the run read it';
  const base = d.localId
    ? await getSyncBase(deps.db, tenantId, a.entity, d.localId)
    : d.gid
      ? await getSyncBaseByGid(deps.db, tenantId, a.entity, d.gid)
      : undefined;
  if ((base?.hash ?? null) !== seen.baseHash) return 'synced after the run read it';
  const remote = d.gid ? await a.readRemote(session, d.gid) : undefined;
  const remoteHash = remote ? snapshotHash(a.remoteSnapshot(remote)) : null;
  if (remoteHash !== seen.remoteHash) return 'changed on Shopify after the run read it';
  return undefined;
}
