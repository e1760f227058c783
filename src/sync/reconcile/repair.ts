import { baseHashesByLocalId, baseHashesOfGids, openLetterKeys } from '../../db/reconcile-reads.ts';
import { entityKey, recordDeadLetter } from '../../db/shopify-dead-letters.ts';
import { settleDifference, type DifferenceRow } from '../../db/shopify-reconcile.ts';
import type { CoreDeps } from '../../deps.ts';
import { snapshotHash } from '../../domain/shopify-map/index.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';
import { describeError, PermanentError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import { syncAdapters } from '../continuous/adapters.ts';
import { syncEntity } from '../continuous/sync-entity.ts';
import type { AnyAdapter, LocalState, RemoteState } from '../entities/adapter.ts';
import type { ShopSession } from '../shop-session.ts';
import { CAUSE_WORDS, causeWords, type Cause } from './classify.ts';
import type { Seen } from './compare.ts';
import { readNow } from './read-nodes.ts';
import { pushLevelsTogether, readLevelsNow, repairLevel } from './levels-repair.ts';
import type { HeldLevelRead } from '../continuous/inventory-sync.ts';
import { repairLocation } from './locations.ts';

export type RepairState = 'repaired' | 'left_to_live_sync' | 'failed' | 'unchanged';

/**
 * Stock levels' repairs of a batch that go on at once: their Shopify calls overlap (the shop's budget
 * still paces them). Other kinds' repairs go one at a time: a repair that pushes a record and meets
 * the push's own echo (its webhook applied by live sync before the repair stored its base) decides
 * again, finds both sides equal and records no Sync History entry — several repairs at once made that
 * race frequent (bench: 3 to 12 of 25 order pushes without their entry).
 */
export const LEVEL_REPAIR_CONCURRENCY = 4;

/**
 * What the batch's records are now, read once for the whole batch: open dead letters; for the merged
 * kinds Retailos's records (their versions) and the sync bases' hashes, then Shopify's records
 * (`nodes(ids:)` in batches, for a kind with a batched read); for stock levels Shopify's levels (each
 * with the generation looked at before the read).
 */
interface BatchNow {
  letters: Set<string>;
  locals: Map<string, LocalState>;
  baseByLocalId: Map<string, string>;
  baseByGid: Map<string, string>;
  /** Shopify's records by `entity:gid` (undefined: gone from Shopify); a record not in it is read alone. */
  remotes: Map<string, RemoteState | undefined>;
  levels: Map<string, HeldLevelRead>;
}

async function readBatch(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  batch: readonly DifferenceRow[],
): Promise<BatchNow> {
  const letters = await openLetterKeys(
    deps.db,
    tenantId,
    batch.flatMap((d) =>
      d.entity !== 'location' && d.localId ? [entityKey(d.entity, d.localId, null)] : [],
    ),
  );
  const now: BatchNow = {
    letters,
    locals: new Map(),
    baseByLocalId: new Map(),
    baseByGid: new Map(),
    remotes: new Map(),
    levels: new Map(),
  };
  const levels = batch.filter((d) => d.entity === 'inventory_level');
  if (levels.length > 0) now.levels = await readLevelsNow(deps, session, tenantId, levels);
  const merged = batch.filter((d) => d.entity !== 'location' && d.entity !== 'inventory_level');
  for (const entity of new Set(merged.map((d) => d.entity as MergedKind))) {
    const of = merged.filter((d) => d.entity === entity);
    const a = syncAdapters(deps)[entity];
    const ids = of.flatMap((d) => d.localId ?? []);
    for (const [id, l] of await a.loadLocals(deps.db, tenantId, ids, false))
      now.locals.set(`${entity}:${id}`, l);
    for (const [id, h] of await baseHashesByLocalId(deps.db, tenantId, entity, ids))
      now.baseByLocalId.set(`${entity}:${id}`, h);
    const gids = of.flatMap((d) => (d.localId === null && d.gid ? [d.gid] : []));
    for (const [gid, b] of await baseHashesOfGids(deps.db, tenantId, entity, gids))
      now.baseByGid.set(`${entity}:${gid}`, b.hash);
    // Shopify's side after Retailos's: a record that moves on Shopify meanwhile is seen moved.
    if (!a.bulkPush) continue;
    const wanted = of.flatMap((d) => (d.gid ? [{ gid: d.gid, seen: d.seen as Seen, remote: d.remote }] : []));
    for (const [gid, r] of await readNow(session, a, a.bulkPush, wanted))
      now.remotes.set(`${entity}:${gid}`, r);
  }
  return now;
}

/**
 * Repairs a batch of differences (one kind): what the records are now is read once for the batch,
 * then the repairs go on (stock levels `LEVEL_REPAIR_CONCURRENCY` at a time, other kinds one by one).
 * Each settles on its own; a failure other than a refusal (an outage) lets the repairs under way
 * finish, then is thrown (the run fails and its retry resumes at the differences still pending).
 */
export async function repairBatch(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  runId: string,
  batch: readonly DifferenceRow[],
): Promise<void> {
  const now = await readBatch(deps, session, tenantId, batch);
  const levels = batch.every((d) => d.entity === 'inventory_level');
  // Stock levels changed in Retailos only go to Shopify together, in one call; the rest one by one.
  const rest = levels ? await pushLevelsTogether(deps, session, tenantId, runId, batch, now.letters) : batch;
  let next = 0;
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < rest.length && failures.length === 0) {
      const d = rest[next] as DifferenceRow;
      next += 1;
      try {
        await repairDifference(deps, session, tenantId, runId, d, now);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  const width = levels ? LEVEL_REPAIR_CONCURRENCY : 1;
  await Promise.all(Array.from({ length: Math.min(width, rest.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/**
 * Repairs one difference through live sync's own decision (`syncEntity`, under origin `reconcile`
 * with the cause in words), unless the record moved since the run read it: a local edit (version),
 * a sync (base hash) or a Shopify change (the fresh read's hash) — live sync has it then, and a
 * repair from the run's older view could only go backwards. A record Shopify refuses becomes a dead
 * letter and the run goes on; any other failure (an outage) fails the run, which is retried and
 * resumes at the differences still pending.
 */
async function repairDifference(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  runId: string,
  d: DifferenceRow,
  now: BatchNow,
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
    if (d.localId && now.letters.has(entityKey(d.entity, d.localId, null)))
      return await settle('left_to_live_sync', 'waits behind its open dead letter');
    if (d.entity === 'inventory_level') {
      const r = await repairLevel(deps, session, tenantId, d, now.levels.get(d.key));
      return await settle(r.state, r.outcome);
    }
    const a = syncAdapters(deps)[d.entity as MergedKind];
    const moved = await movedSince(session, a, d, now);
    if (typeof moved === 'string') return await settle('left_to_live_sync', `left to live sync: ${moved}`);
    const cause = d.cause as Cause;
    const r = await syncEntity(
      deps,
      session,
      readOnce(deps, tenantId, a, d, moved.remote),
      tenantId,
      { localId: d.localId, gid: d.gid },
      { origin: 'push' },
      { origin: 'reconcile', cause: CAUSE_WORDS[cause] },
    );
    if (r.outcome === 'unchanged') return await settle('unchanged', 'already equal when repaired');
    return await settle('repaired', outcomeWords(d, r));
  } catch (err) {
    if (!(err instanceof PermanentError)) throw err;
    return settle('failed', await repairRefused(deps, tenantId, runId, d, err));
  }
}

/** A repair Shopify refused: a dead letter with Shopify's words (visible, retryable by hand); answers them. */
export async function repairRefused(
  deps: CoreDeps,
  tenantId: string,
  runId: string,
  d: Pick<DifferenceRow, 'entity' | 'key' | 'localId' | 'gid' | 'displayName' | 'cause'>,
  err: PermanentError,
): Promise<string> {
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
  return reason.message;
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

/**
 * Why the record is no longer as the run saw it (in words), or Shopify's record as read now (the
 * record is as the run saw it). Retailos's side as the batch read it (its version, its base), then
 * Shopify's read afresh.
 */
async function movedSince(
  session: ShopSession,
  a: AnyAdapter,
  d: DifferenceRow,
  now: BatchNow,
): Promise<string | { remote: RemoteState | undefined }> {
  const seen = d.seen as Seen;
  const local = d.localId ? now.locals.get(`${d.entity}:${d.localId}`) : undefined;
  if ((local?.version ?? null) !== seen.localVersion) return 'edited in Retailos after the run read it';
  const base = d.localId
    ? now.baseByLocalId.get(`${d.entity}:${d.localId}`)
    : d.gid
      ? now.baseByGid.get(`${d.entity}:${d.gid}`)
      : undefined;
  if ((base ?? null) !== seen.baseHash) return 'synced after the run read it';
  const key = `${d.entity}:${d.gid}`;
  const remote = !d.gid
    ? undefined
    : now.remotes.has(key)
      ? now.remotes.get(key)
      : await a.readRemote(session, d.gid);
  const remoteHash = remote ? snapshotHash(a.remoteSnapshot(remote)) : null;
  if (remoteHash !== seen.remoteHash) return 'changed on Shopify after the run read it';
  return { remote };
}

/** The causes whose repair applies Shopify's record to Retailos (nothing is pushed). */
const INBOUND: ReadonlySet<string> = new Set<Cause>([
  'shopify_changed',
  'created_on_shopify',
  'deleted_on_shopify',
]);

/**
 * The adapter live sync's decision runs with. For a repair that applies Shopify's record to Retailos,
 * its first read of the record's Shopify side is the one the batch made (`readBatch`, found unmoved by
 * `movedSince`; gone from Shopify included: no second read per repair), as long as the record's sync
 * base and Retailos's version are still the ones the run saw — checked when the decision asks, after it
 * loaded both. Then the decision is the one the run classified (Shopify's record applied, nothing
 * pushed), so the read's age does not matter: a Shopify change made after it sends its webhook, which
 * live sync applies after this (newer than the base this writes). A sync meanwhile (a webhook applied, a
 * push settled) or a Retailos edit means the decision may differ — a push must read Shopify fresh
 * (`FRESH_READ_MS`) — so the record is read again. A repair that pushes reads again anyway. Any later
 * read goes to Shopify.
 */
function readOnce(
  deps: CoreDeps,
  tenantId: string,
  a: AnyAdapter,
  d: DifferenceRow,
  remote: RemoteState | undefined,
): AnyAdapter {
  if (!d.gid || !INBOUND.has(d.cause)) return a;
  let held: { remote: RemoteState | undefined } | undefined = { remote };
  const seen = d.seen as Seen;
  return {
    ...a,
    async readRemote(s: ShopSession, gid: string) {
      const read = held;
      held = undefined;
      if (read && gid === d.gid && (await unmoved(deps, tenantId, a, d, seen))) return read.remote;
      return a.readRemote(s, gid);
    },
  };
}

/** The record's sync base and Retailos's version are still the ones the run saw. */
async function unmoved(
  deps: CoreDeps,
  tenantId: string,
  a: AnyAdapter,
  d: DifferenceRow,
  seen: Seen,
): Promise<boolean> {
  const base = (await baseHashesOfGids(deps.db, tenantId, a.entity, [d.gid as string])).get(d.gid as string);
  if ((base?.hash ?? null) !== seen.baseHash) return false;
  const local = d.localId
    ? (await a.loadLocals(deps.db, tenantId, [d.localId], false)).get(d.localId)
    : undefined;
  return (local?.version ?? null) === seen.localVersion;
}
