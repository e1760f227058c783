import { newestPushableChange, returnToOutbox } from '../../db/changes.ts';
import { customerDisplayName } from '../../db/customers.ts';
import type { Queryable } from '../../db/db.ts';
import { unsyncedLevelsOfProduct } from '../../db/inventory.ts';
import { orderDisplayName } from '../../db/orders.ts';
import { getProduct, productDisplayName } from '../../db/products.ts';
import { gidsOf } from '../../db/shopify-id-map.ts';
import { releaseLinkedDeliveries } from '../../db/shopify-webhook-inbox.ts';
import { getConnection, setConnectionState } from '../../db/shopify-connections.ts';
import { getSyncBase } from '../../db/shopify-sync-base.ts';
import {
  entityKey,
  noteWaitingChange,
  openLetterFor,
  recordDeadLetter,
} from '../../db/shopify-dead-letters.ts';
import { ShopifyNotWiredError, type CoreDeps } from '../../deps.ts';
import type { ChangeEntity } from '../../domain/entities.ts';
import { PUSHED_KINDS, type PushedKind } from '../../domain/synced-kinds.ts';
import { describeError, PermanentError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import { renewRefusedToken } from '../access-token.ts';
import { shopSessionFor, type ShopSession } from '../shop-session.ts';
import { ENTITIES } from '../entities/registry.ts';
import { shopifyDeps } from '../shopify-deps.ts';
import { syncAdapters, type SyncedEntity } from './adapters.ts';
import { levelDisplay } from './inventory-level-io.ts';
import { pushInventoryLevel } from './inventory-sync.ts';
import { localIsBase, syncEntity } from './sync-entity.ts';

/** The kinds whose Retailos changes are pushed (the registry says how: merge, or deltas for stock). */
export type PushEntity = PushedKind;
export const PUSH_ENTITIES: readonly ChangeEntity[] = PUSHED_KINDS;

export interface PushJobData {
  tenantId: string;
  entity: PushEntity;
  localId: string;
}

export interface PushAttempt {
  /** Attempts made before this one. */
  retryCount: number;
  retryLimit: number;
}

export type PushOutcome = 'pushed' | 'unchanged' | 'waiting_behind_dead_letter' | 'waiting_for_sync' | 'dead';

/**
 * Pushes one entity's latest state to Shopify (state-based, so many quick edits make one push).
 * While the entity has an open dead letter, later pushes wait behind it (replaying the letter pushes
 * the latest state). A permanent refusal opens a dead letter at once; a transient failure is retried
 * by the queue, and the last failed attempt opens one too. A push that cannot run now — the store is
 * importing, disconnected or needs reconnecting, or this process has no Shopify wiring — hands the
 * record's change back to the outbox, so the relay queues it again when sync resumes: it is never
 * completed with nothing pushed and nothing pending.
 */
export async function pushEntity(
  deps: CoreDeps,
  data: PushJobData,
  attempt: PushAttempt,
): Promise<PushOutcome> {
  const { tenantId, entity, localId } = data;
  const connection = await getConnection(deps.db, tenantId);
  if (connection?.state !== 'syncing') return waitForSync(deps, data, connection?.state ?? 'not connected');
  const letter = await openLetterFor(deps.db, tenantId, entityKey(entity, localId, null));
  if (letter !== undefined && attempt.retryCount === 0 && !('replay' in data)) {
    await noteWaitingChange(deps.db, letter);
    return 'waiting_behind_dead_letter';
  }
  const session = await shopSessionFor(deps, tenantId).catch((err: unknown) => {
    // A refused refresh: the connection now needs reconnecting (error_auth, with the reason).
    if (err instanceof PermanentError) return describeError(err).message;
    // A worker that took the job before start-up wired Shopify (or one with no Shopify app).
    if (err instanceof ShopifyNotWiredError) return 'no Shopify wiring';
    throw err;
  });
  if (typeof session === 'string') return waitForSync(deps, data, session);
  if (!session) return waitForSync(deps, data, 'no access token');
  try {
    await quietPeriod(deps, data);
    if (ENTITIES[entity].push.style === 'merge' && (await nothingToPush(deps, data))) return 'unchanged';
    return await pushWithRenewal(deps, session, data);
  } catch (err) {
    const last = attempt.retryCount >= attempt.retryLimit;
    if (!(err instanceof PermanentError) && !last) throw err;
    const reason = describeError(err);
    await recordDeadLetter(
      deps.db,
      tenantId,
      {
        direction: 'outbound',
        entity,
        localId,
        gid: null,
        displayName: await displayNameOf(deps, entity, tenantId, localId),
        job: JOBS.shopifyPush,
        payload: { tenantId, entity, localId },
        errorClass: err instanceof PermanentError ? reason.errorClass : `transient:${reason.errorClass}`,
        error: reason.message,
        attempts: attempt.retryCount + 1,
      },
      deps.clock.now(),
    );
    deps.logger.warn({ tenantId, entity, localId, ...reason }, 'push dead-lettered');
    return 'dead';
  }
}

/**
 * One push; when Shopify refuses the token (401) it is renewed once (a token another process stored
 * meanwhile, or a refresh) and the push runs again. When no token works the connection needs
 * reconnecting (error_auth, with the reason) and the push waits in the outbox instead of dead-lettering.
 */
async function pushWithRenewal(
  deps: CoreDeps,
  session: ShopSession,
  data: PushJobData,
): Promise<PushOutcome> {
  try {
    return await pushOnce(deps, session, data);
  } catch (err) {
    if (!isUnauthorized(err)) throw err;
    const renewed = await renewRefusedToken(shopifyDeps(deps), data.tenantId, session.accessToken);
    if (!renewed) return waitForSync(deps, data, 'Shopify refused the access token');
    try {
      return await pushOnce(deps, { ...session, ...renewed }, data);
    } catch (again) {
      if (!isUnauthorized(again)) throw again;
      const reason = 'Shopify refused the access token (401), also after renewing it; connect again';
      await setConnectionState(deps.db, data.tenantId, 'error_auth', reason, deps.clock.now());
      return waitForSync(deps, data, reason);
    }
  }
}

async function pushOnce(deps: CoreDeps, session: ShopSession, data: PushJobData): Promise<PushOutcome> {
  const { tenantId, entity, localId } = data;
  if (ENTITIES[entity].push.style === 'delta') {
    const r = await pushInventoryLevel(deps, session, tenantId, localId);
    return r === 'pushed' ? 'pushed' : 'unchanged';
  }
  const r = await syncEntity(
    deps,
    session,
    syncAdapters(deps)[entity as SyncedEntity],
    tenantId,
    { localId },
    { origin: 'push' },
  );
  if (entity === 'product' && r.pushed) await pushNewStock(deps, tenantId, localId);
  if (r.pushed) await releaseWaitingDeliveries(deps, tenantId, entity, localId);
  return r.pushed ? 'pushed' : 'unchanged';
}

/**
 * Webhooks that came before this push linked what it created — Shopify's echo of the creation, the
 * new variants' stock levels — waited for the link: they are due now, and applied.
 */
async function releaseWaitingDeliveries(
  deps: CoreDeps,
  tenantId: string,
  entity: PushEntity,
  localId: string,
): Promise<void> {
  const gid = (await gidsOf(deps.db, tenantId, entity, [localId])).get(localId);
  if (!gid) return;
  const variants =
    entity === 'product' ? ((await getProduct(deps.db, tenantId, localId))?.variants ?? []) : [];
  const items = await gidsOf(
    deps.db,
    tenantId,
    'inventory_item',
    variants.map((v) => v.id),
  );
  const itemIds = [...items.values()].map((item) => item.split('/').pop() ?? item);
  if ((await releaseLinkedDeliveries(deps.db, tenantId, gid, itemIds, deps.clock.now())) === 0) return;
  await deps.enqueue(JOBS.shopifyApplyWebhooks, { tenantId }, { singletonKey: tenantId });
}

const isUnauthorized = (err: unknown): boolean =>
  err instanceof PermanentError && err.errorClass === 'unauthorized';

/** The record's change goes back to the outbox; the relay hands it again once the store syncs. */
async function waitForSync(deps: CoreDeps, data: PushJobData, why: string): Promise<'waiting_for_sync'> {
  const { tenantId, entity, localId } = data;
  const changeId = await returnToOutbox(deps.db, tenantId, entity, localId);
  deps.logger.info(
    { tenantId, entity, localId, changeId, why },
    'push waits in the outbox until the store syncs',
  );
  return 'waiting_for_sync';
}

/**
 * Waits until the record has had no new edit for the quiet period (capped), so a burst of edits to
 * one record — a price typed digit by digit, a script's loop — is pushed once, with its final state.
 */
async function quietPeriod(deps: CoreDeps, { tenantId, entity, localId }: PushJobData): Promise<void> {
  const quiet = deps.pushQuiet;
  if (!quiet) return;
  let seen = await newestPushableChange(deps.db, tenantId, entity, localId);
  for (let waited = 0; waited < quiet.maxMs; waited += quiet.ms) {
    await quiet.sleep(quiet.ms);
    const newest = await newestPushableChange(deps.db, tenantId, entity, localId);
    if (newest === seen) return;
    seen = newest;
  }
}

/**
 * True when Retailos holds exactly what was last synced: a push has nothing to carry (Shopify's own
 * changes arrive by webhook), so no Shopify call is made — e.g. the push queued by an edit that an
 * earlier push already carried.
 */
async function nothingToPush(deps: CoreDeps, { tenantId, entity, localId }: PushJobData): Promise<boolean> {
  const a = syncAdapters(deps)[entity as SyncedEntity];
  const base = await getSyncBase(deps.db, tenantId, a.entity, localId);
  if (!base) return false;
  const local = await a.loadLocal(deps.db, tenantId, localId, false);
  return local !== undefined && localIsBase(a, local, base);
}

/**
 * Stock of variants that only now exist on Shopify (created by this push) has never been pushed: its
 * level pushes found no inventory item then. Queue them now that the item is linked.
 */
async function pushNewStock(deps: CoreDeps, tenantId: string, productId: string): Promise<void> {
  for (const id of await unsyncedLevelsOfProduct(deps.db, tenantId, productId)) {
    const data: PushJobData = { tenantId, entity: 'inventory_level', localId: id };
    await deps.enqueue(JOBS.shopifyPush, data, { singletonKey: `${tenantId}:inventory_level:${id}` });
  }
}

/** Each pushed entity's name for its dead letter; undefined when the record is gone. */
const DISPLAY_NAMES: Record<
  PushEntity,
  (q: Queryable, tenantId: string, id: string) => Promise<string | undefined>
> = {
  product: productDisplayName,
  customer: customerDisplayName,
  order: orderDisplayName,
  inventory_level: async (q, tenantId, id) => (await levelDisplay(q, tenantId, id))?.name,
};

async function displayNameOf(
  deps: CoreDeps,
  entity: PushEntity,
  tenantId: string,
  id: string,
): Promise<string> {
  return (await DISPLAY_NAMES[entity](deps.db, tenantId, id)) ?? `${entity} ${id}`;
}
