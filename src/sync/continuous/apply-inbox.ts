import { getConnection } from '../../db/shopify-connections.ts';
import { recordRefusal } from '../../db/record-refusal.ts';
import { recordDeadLetter } from '../../db/shopify-dead-letters.ts';
import {
  deferDeliveries,
  pendingEntityDeliveries,
  settleDeliveries,
  type InboxRow,
} from '../../db/shopify-webhook-inbox.ts';
import type { CoreDeps } from '../../deps.ts';
import {
  deletedFromWebhook,
  entityOfTopic,
  inventoryLevelFromWebhook,
  type Mapped,
} from '../../domain/shopify-map/index.ts';
import { describeError, PermanentError } from '../../errors.ts';
import { JOBS } from '../../job-names.ts';
import { shopSessionFor, type ShopSession } from '../shop-session.ts';
import { LIFECYCLE_TOPICS } from '../webhook-topics.ts';
import { syncAdapters, type AnyAdapter, type SyncedEntity } from './adapters.ts';
import { DELIVERED_FIELDS, HINT_MAPPERS } from './hints.ts';
import { applyInventoryHint } from './inventory-sync.ts';
import { call } from '../entities/shopify-write.ts';
import { holdsOverwrittenEdit } from './overwritten-push.ts';
import { mayReopenConflict } from './reopened-conflict.ts';
import { syncEntity, type SyncTrigger } from './sync-entity.ts';
import { settleLimited } from '../settle-limited.ts';
import { applyInboundBatch, type InboundItem } from './inbound-batch.ts';
import type { RemoteState } from '../entities/adapter.ts';

/** Deliveries taken per read of the inbox. */
const BATCH = 200;
/** Entities applied at once (deliveries about one entity are always applied by one call, in order). */
const CONCURRENCY = 6;
/** A run keeps reading the inbox while deliveries arrive, for at most this long, then hands over. */
const RUN_BUDGET_MS = 15_000;

/** What one delivery says: the entity it is about, and the state (or deletion) it reports. */
type Hint =
  | {
      kind: 'entity';
      entity: SyncedEntity;
      gid: string;
      trigger: SyncTrigger<RemoteState>;
      at: number;
      /** Every different state the entity's deliveries carried, when more than one (see `newer`). */
      seen?: SyncTrigger<RemoteState>[];
    }
  | { kind: 'inventory'; key: string; row: InboxRow }
  | { kind: 'ignore'; why: string }
  | { kind: 'refused'; entity: string; gid: string | null; reason: string };

interface Group {
  hint: Hint;
  rows: InboxRow[];
}

export interface ApplyReport {
  applied: number;
  failed: number;
  ignored: number;
  /** Deliveries left waiting for their record (see waitForItem). */
  waiting: number;
  more: boolean;
  notSyncing?: boolean;
}

/**
 * Applies the tenant's pending webhook deliveries. Deliveries about one entity are folded into one
 * decision (the newest state wins; a deletion is final); the webhook is a hint, so an incomplete
 * payload is completed by a GraphQL read and a state older than what we hold is dropped. Different
 * entities are applied side by side; a run keeps reading the inbox while deliveries keep arriving (so
 * a steady stream is applied as it comes, not one job per batch). Nothing is applied while the import
 * runs (the deliveries wait in the inbox and are applied after it).
 */
export async function applyInbox(deps: CoreDeps, tenantId: string): Promise<ApplyReport> {
  const report: ApplyReport = { applied: 0, failed: 0, ignored: 0, waiting: 0, more: false };
  const connection = await getConnection(deps.db, tenantId);
  if (connection?.state !== 'syncing') return { ...report, notSyncing: true };
  const session = await shopSessionFor(deps, tenantId);
  if (!session) return { ...report, notSyncing: true };
  const started = performance.now();
  for (;;) {
    const rows = await pendingEntityDeliveries(deps.db, tenantId, LIFECYCLE_TOPICS, BATCH, deps.clock.now());
    if (rows.length === 0) break;
    await applyBatch(deps, session, tenantId, rows, report);
    if (performance.now() - started > RUN_BUDGET_MS) {
      report.more = true;
      break;
    }
  }
  if (report.more) {
    await deps.enqueue(JOBS.shopifyApplyWebhooks, { tenantId }, { singletonKey: tenantId });
  }
  return report;
}

/**
 * Applies one read of the inbox, entity by entity, several at once. A transient failure (Shopify or
 * the database unreachable) leaves that entity's deliveries pending and is thrown once the others
 * have settled, so the job retries with backoff instead of the run spinning on it.
 */
async function applyBatch(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  rows: readonly InboxRow[],
  report: ApplyReport,
): Promise<void> {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const hint = hintOf(row);
    const key =
      hint.kind === 'entity'
        ? `${hint.entity}:${hint.gid}`
        : hint.kind === 'inventory'
          ? `inventory:${hint.key}`
          : `row:${row.id}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { hint, rows: [row] });
    else {
      group.rows.push(row);
      group.hint = newer(group.hint, hint);
    }
  }
  const adapters = syncAdapters(deps);
  const all = await applyEverydayUpdates(deps, adapters, tenantId, [...groups.values()], report);
  // Records before stock levels: a level delivered after its product's creation needs the product's
  // inventory items linked first (the order the deliveries had when applied one by one).
  const outcomes = [];
  for (const phase of [
    all.filter((g) => g.hint.kind !== 'inventory'),
    all.filter((g) => g.hint.kind === 'inventory'),
  ])
    outcomes.push(
      ...(await settleLimited(phase, CONCURRENCY, (g) =>
        applyGroup(deps, session, adapters, tenantId, g, report),
      )),
    );
  const transient = outcomes.find((o) => o.status === 'rejected');
  if (transient) throw (transient as PromiseRejectedResult).reason;
}

/**
 * Full-state updates of records Retailos has not changed since the last sync are applied in one
 * set-based write per entity type (see applyInboundBatch); returns the groups left to decide one by one.
 */
async function applyEverydayUpdates(
  deps: CoreDeps,
  adapters: ReturnType<typeof syncAdapters>,
  tenantId: string,
  groups: readonly Group[],
  report: ApplyReport,
): Promise<Group[]> {
  const left: Group[] = [];
  const byEntity = new Map<SyncedEntity, { group: Group; item: InboundItem<RemoteState> }[]>();
  for (const group of groups) {
    const { hint } = group;
    if (hint.kind !== 'entity' || !('remote' in hint.trigger) || hint.seen) {
      left.push(group);
      continue;
    }
    const list = byEntity.get(hint.entity) ?? [];
    const { remote, triggeredAt } = hint.trigger;
    list.push({ group, item: { remote, triggeredAt, inboxIds: group.rows.map((r) => r.id) } });
    byEntity.set(hint.entity, list);
  }
  for (const [entity, list] of byEntity) {
    const { settled, rest } = await applyInboundBatch(
      deps,
      adapters[entity] as AnyAdapter,
      tenantId,
      list.map((l) => l.item),
    );
    report.applied += settled;
    left.push(...list.filter((l) => rest.includes(l.item)).map((l) => l.group));
  }
  return left;
}

async function applyGroup(
  deps: CoreDeps,
  session: ShopSession,
  adapters: ReturnType<typeof syncAdapters>,
  tenantId: string,
  { hint, rows: some }: Group,
  report: ApplyReport,
): Promise<void> {
  const ids = some.map((r) => r.id);
  if (hint.kind === 'ignore') {
    await settleDeliveries(deps.db, ids, 'ignored', deps.clock.now(), hint.why);
    report.ignored += ids.length;
    return;
  }
  if (hint.kind === 'refused') {
    await refuse(deps, tenantId, hint, some);
    report.failed += ids.length;
    return;
  }
  try {
    if (hint.kind === 'inventory') {
      const level = newestLevel(some);
      const outcome = await applyInventoryHint(deps, session, tenantId, level);
      if (outcome === 'unknown') {
        await waitForItem(deps, session, adapters, tenantId, level, some, report);
        return;
      }
      if (outcome === 'deferred') {
        await waitForPush(deps, ids, report);
        return;
      }
    } else {
      const adapter = adapters[hint.entity] as AnyAdapter;
      const trigger = await completed(adapter, session, hint);
      if (trigger === 'gone') {
        const why = `Shopify no longer has ${hint.gid} (reading it by id answered null): nothing to apply`;
        await settleDeliveries(deps.db, ids, 'ignored', deps.clock.now(), why);
        report.ignored += ids.length;
        return;
      }
      const r = await syncEntity(deps, session, adapter, tenantId, { gid: hint.gid }, trigger);
      if (r.outcome === 'linked' || r.outcome === 'awaiting_creation') {
        await waitForCreation(deps, ids, report);
        return;
      }
      // Another state may hold a Shopify edit our push overwrote, or prove a conflict Shopify won wrongly
      // decided: only its delivery tells either.
      for (const t of hint.seen ?? [])
        if (
          'remote' in t &&
          ((await holdsOverwrittenEdit(deps, adapter, tenantId, t.remote, t.triggeredAt, t.untold)) ||
            (await mayReopenConflict(deps, adapter, tenantId, t.remote, t.untold)))
        )
          await syncEntity(deps, session, adapter, tenantId, { gid: hint.gid }, t);
    }
    await settleDeliveries(deps.db, ids, 'applied', deps.clock.now());
    report.applied += ids.length;
  } catch (caught) {
    const gid = hint.kind === 'entity' ? hint.gid : null;
    const entity = hint.kind === 'entity' ? hint.entity : 'inventory_level';
    // Shopify holds what Retailos cannot (two variants with one SKU): no retry will change that.
    const refusal = recordRefusal(caught);
    const err = refusal
      ? new PermanentError(
          `Retailos cannot hold Shopify's ${entity} ${gid ?? ''}: ${refusal}`,
          'constraint',
          {
            cause: caught,
          },
        )
      : caught;
    if (!(err instanceof PermanentError)) throw err; // transient: the job retries, rows stay pending
    await refuse(deps, tenantId, { kind: 'refused', entity, gid, reason: err.message }, some, err);
    report.failed += ids.length;
  }
}

/** How long a stock level waits for its product to arrive, and how often it looks again. */
const UNKNOWN_ITEM_WAIT_MS = 10 * 60_000;
const UNKNOWN_ITEM_RETRY_MS = 30_000;

/** The Sync History's words for a product fetched because a stock level named it first. */
export const FETCHED_FOR_LEVEL =
  'Shopify change not received: its product arrived with none of its webhooks, fetched from Shopify for a stock level that named it';

/**
 * A stock level for an inventory item Retailos does not know yet: Shopify does not order webhooks,
 * so its product's creation may still be on the way, or lost (Shopify gives up on a delivery; a
 * dropped one never comes). So the product is fetched from Shopify at once and applied as its webhook
 * would have been (a Sync History entry says why), and the level is applied right after it. When that
 * cannot settle it yet — the product is our own creation whose push has not linked it (it makes the
 * deliveries due at once when it does) — the deliveries wait (looked at again every 30 s) for up to 10
 * minutes, then become a dead letter with the reason (replayable once the item is known), never dropped
 * silently. An item Shopify no longer has (read by id answers null) will never arrive: settled as ignored.
 */
async function waitForItem(
  deps: CoreDeps,
  session: ShopSession,
  adapters: Record<SyncedEntity, AnyAdapter>,
  tenantId: string,
  level: InboxRow,
  rows: readonly InboxRow[],
  report: ApplyReport,
): Promise<void> {
  const ids = rows.map((r) => r.id);
  const now = deps.clock.now();
  const body = level.body as { inventory_item_id?: unknown; location_id?: unknown };
  const what = `inventory item ${String(body.inventory_item_id)} at location ${String(body.location_id)}`;
  const hint = inventoryLevelFromWebhook(level.body);
  const item = hint.ok ? await inventoryItemOf(session, hint.value.inventoryItemGid) : undefined;
  if (hint.ok && item === null) {
    const why = `Shopify no longer has ${hint.value.inventoryItemGid} (reading it by id answered null): nothing to apply`;
    await settleDeliveries(deps.db, ids, 'ignored', now, why);
    report.ignored += ids.length;
    return;
  }
  const product = item?.variant?.product?.id;
  if (product) {
    const as = { origin: 'webhook' as const, cause: FETCHED_FOR_LEVEL };
    const r = await syncEntity(
      deps,
      session,
      adapters.product,
      tenantId,
      { gid: product },
      { origin: 'push' },
      as,
    );
    if (r.outcome === 'applied' || r.outcome === 'unchanged') {
      const after = await applyInventoryHint(deps, session, tenantId, level);
      if (after === 'applied' || after === 'unchanged' || after === 'stale') {
        await settleDeliveries(deps.db, ids, 'applied', deps.clock.now());
        report.applied += ids.length;
        return;
      }
      if (after === 'deferred') {
        await waitForPush(deps, ids, report);
        return;
      }
    }
  }
  if (now.getTime() - level.receivedAt.getTime() < UNKNOWN_ITEM_WAIT_MS) {
    await deferDeliveries(
      deps.db,
      ids,
      new Date(now.getTime() + UNKNOWN_ITEM_RETRY_MS),
      `${what} is not known to Retailos yet; waiting for its product`,
    );
    report.waiting += ids.length;
    return;
  }
  const why = `${what} is not known to Retailos (no product with it arrived within 10 minutes)`;
  const gid = hint.ok ? hint.value.inventoryItemGid : null;
  await refuse(deps, tenantId, { kind: 'refused', entity: 'inventory_level', gid, reason: why }, rows);
  report.failed += ids.length;
}

const ITEM_PRODUCT = `query RetailosInventoryItemProduct($id: ID!) {
  inventoryItem(id: $id) { id variant { id product { id } } }
}`;

interface ItemProduct {
  id: string;
  variant: { id: string; product: { id: string } | null } | null;
}

/** The inventory item and its variant's product; null when Shopify no longer has the item. */
async function inventoryItemOf(session: ShopSession, gid: string): Promise<ItemProduct | null> {
  const { data } = await call<{ inventoryItem: ItemProduct | null }>(session, ITEM_PRODUCT, { id: gid });
  return data.inventoryItem;
}

/** How long the echo of our own creation waits for the push that created it to store its base. */
const CREATION_WAIT_MS = 30_000;

/**
 * Shopify's new record is one Retailos created, and its push has not stored what it created yet (the
 * webhook came first): it was linked to the Retailos record by its creation key (or, keyless, may be
 * ours: not copied while such a creation is recent), and the deliveries wait for that push, so they are
 * then applied against its base (our echo changes nothing; a Shopify edit since is merged). The push
 * makes them due when it completes; looked at again after 30 s in any case (a push that never
 * completed leaves the linked record to the merge, a keyless record is created after 2 minutes).
 */
async function waitForCreation(deps: CoreDeps, ids: readonly number[], report: ApplyReport): Promise<void> {
  const now = deps.clock.now();
  const why = 'our own creation of this record: waiting for its push to store what it created';
  await deferDeliveries(deps.db, ids, new Date(now.getTime() + CREATION_WAIT_MS), why);
  report.waiting += ids.length;
}

/** How long a stock level's deliveries wait for our push of that level before looking again. */
const PUSH_WAIT_MS = 30_000;

/**
 * A push of ours to this stock level is in flight: its quantity may or may not include our change,
 * so the deliveries wait. The push's write-back makes them due at once (a push that stays in
 * flight — Shopify unreachable — keeps them waiting, looked at again every 30 s).
 */
async function waitForPush(deps: CoreDeps, ids: readonly number[], report: ApplyReport): Promise<void> {
  const now = deps.clock.now();
  const why = 'waiting for the stock push of this level that is in flight';
  await deferDeliveries(deps.db, ids, new Date(now.getTime() + PUSH_WAIT_MS), why);
  report.waiting += ids.length;
}

const latest = (rows: readonly InboxRow[]): InboxRow => rows[rows.length - 1] as InboxRow;

/**
 * Of one level's deliveries, the one with the newest `updated_at`. Arrival order is not Shopify's
 * order: acting on the last to arrive could apply an older quantity and settle the newer delivery
 * with it. When the newest second holds different quantities (second precision: their order is
 * unknown), its quantity is dropped so the apply reads Shopify's current level instead.
 */
function newestLevel(rows: readonly InboxRow[]): InboxRow {
  const at = (r: InboxRow): number => {
    const t = Date.parse(String((r.body as { updated_at?: unknown }).updated_at));
    return Number.isNaN(t) ? -Infinity : t;
  };
  const newest = rows.reduce((best, r) => (at(r) >= at(best) ? r : best));
  const available = (r: InboxRow): unknown => (r.body as { available?: unknown }).available;
  const tied = rows.filter((r) => at(r) === at(newest));
  if (tied.every((r) => available(r) === available(newest))) return newest;
  return { ...newest, body: { ...(newest.body as object), available: null } };
}

/**
 * An incomplete payload is only a pointer: read Shopify's current state here, so the sync still acts
 * on a webhook (history says `webhook`, and a record deleted in Retailos meanwhile waits for its push
 * instead of being deleted on Shopify from the apply job). Gone on Shopify (the read answers null):
 * 'gone' — the topic was not a deletion, so the delivery is settled as ignored with that reason (a
 * deletion topic carries its own deletion and is applied as one).
 */
async function completed(
  adapter: AnyAdapter,
  session: ShopSession,
  hint: Extract<Hint, { kind: 'entity' }>,
): Promise<SyncTrigger<RemoteState> | 'gone'> {
  if (hint.trigger.origin === 'webhook') return hint.trigger;
  const remote = (await adapter.readRemote(session, hint.gid)) as RemoteState | undefined;
  return remote ? { origin: 'webhook', remote } : 'gone';
}

/**
 * Of two hints about one entity, the one to act on: a deletion, else the newer state. Two different
 * states of the same second cannot be ordered (Shopify's `updated_at` has second precision and its
 * deliveries come in any order): neither is trusted, Shopify's current state is read instead. The other
 * states are kept (`seen`): one no newer than our last push may hold a Shopify edit the push overwrote,
 * which only its delivery tells (sync-entity's `overwritten`).
 */
function newer(a: Hint, b: Hint): Hint {
  if (a.kind !== 'entity' || b.kind !== 'entity') return b;
  if ('deleted' in a.trigger) return a;
  if ('deleted' in b.trigger) return b;
  const seen = [...statesOf(a)];
  for (const t of statesOf(b)) if (!seen.some((s) => sameState(s, t))) seen.push(t);
  const more = seen.length > 1 || seen.some(notWhole) ? { seen } : {};
  if (b.at !== a.at) return { ...(b.at > a.at ? b : a), ...more };
  return sameState(a.trigger, b.trigger) ? { ...b, ...more } : { ...b, trigger: { origin: 'push' }, ...more };
}

/** The states a hint's deliveries carried: its own, or every one it gathered (`seen`). */
const statesOf = (h: Extract<Hint, { kind: 'entity' }>): SyncTrigger<RemoteState>[] =>
  h.seen ?? ('remote' in h.trigger ? [h.trigger] : []);

/** A delivered state that lacks fields (a customers/update's tags): it only tells an overwritten edit. */
const notWhole = (t: SyncTrigger<RemoteState>): boolean => 'untold' in t && (t.untold?.length ?? 0) > 0;

/** Both deliveries carry the same state (a duplicate, or two topics of one change). */
function sameState(a: SyncTrigger<RemoteState>, b: SyncTrigger<RemoteState>): boolean {
  return 'remote' in a && 'remote' in b && stateText(a.remote) === stateText(b.remote);
}

const stateText = (remote: RemoteState): string =>
  JSON.stringify(remote, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

function hintOf(row: InboxRow): Hint {
  const topic = entityOfTopic(row.topic);
  if (!topic) return { kind: 'ignore', why: `topic ${row.topic} needs no entity sync` };
  if (row.unreadable !== null) {
    return { kind: 'refused', entity: topic.entity, gid: null, reason: row.unreadable };
  }
  if (topic.entity === 'inventory_item')
    return { kind: 'ignore', why: 'inventory items arrive with their product' };
  if (topic.entity === 'inventory_level') return levelHint(row);
  const entity = topic.entity;
  if (topic.action === 'delete') {
    const type = entity === 'product' ? 'Product' : entity === 'customer' ? 'Customer' : 'Order';
    const d = deletedFromWebhook(row.body, type);
    if (!d.ok) return { kind: 'refused', entity, gid: null, reason: d.reason };
    return {
      kind: 'entity',
      entity,
      gid: d.value.gid,
      trigger: { origin: 'webhook', deleted: true },
      at: Infinity,
    };
  }
  const m: Mapped<{ gid: string; remote: RemoteState | undefined; at: number }> = syncAdaptersHint(
    entity,
    row.body,
  );
  if (!m.ok) return { kind: 'refused', entity, gid: null, reason: m.reason };
  const { gid, remote, at } = m.value;
  // An incomplete payload is only a pointer: read Shopify's current state instead. What it does carry
  // (a customers/update has every field but tags) is kept: it may hold a Shopify edit our push
  // overwrote, which only its delivery tells (applyGroup, sync-entity's `overwritten`).
  if (remote)
    return {
      kind: 'entity',
      entity,
      gid,
      trigger: { origin: 'webhook', remote, triggeredAt: row.triggeredAt },
      at,
    };
  const told = DELIVERED_FIELDS[entity](row.body);
  const seen: SyncTrigger<RemoteState>[] = told
    ? [{ origin: 'webhook', remote: told.remote, triggeredAt: row.triggeredAt, untold: told.untold }]
    : [];
  return {
    kind: 'entity',
    entity,
    gid,
    trigger: { origin: 'push' },
    at,
    ...(seen.length > 0 ? { seen } : {}),
  };
}

/**
 * A stock level's deliveries are grouped by its item and location (read losslessly: a bigint prints
 * every digit). A payload that names no level at all (Shopify's own example for the topic is `{}`)
 * is nothing to apply, so it is ignored with that reason; a level named with malformed ids is
 * refused when applied.
 */
function levelHint(row: InboxRow): Hint {
  const body = (typeof row.body === 'object' && row.body !== null ? row.body : {}) as Record<string, unknown>;
  const named = ['inventory_item_id', 'location_id', 'admin_graphql_api_id'].some(
    (k) => body[k] !== undefined && body[k] !== null,
  );
  if (!named) {
    return { kind: 'ignore', why: 'the delivery names no inventory level (no item, location or gid)' };
  }
  return {
    kind: 'inventory',
    key: `${String(body['inventory_item_id'])}@${String(body['location_id'])}`,
    row,
  };
}

/** Maps a payload through the entity's webhook converter and the import's mapping. */
function syncAdaptersHint(
  entity: SyncedEntity,
  body: unknown,
): Mapped<{ gid: string; remote: RemoteState | undefined; at: number }> {
  return HINT_MAPPERS[entity](body);
}

async function refuse(
  deps: CoreDeps,
  tenantId: string,
  hint: Extract<Hint, { kind: 'refused' }>,
  rows: readonly InboxRow[],
  err?: Error,
): Promise<void> {
  const now = deps.clock.now();
  const reason = err ? describeError(err) : { errorClass: 'mapping', message: hint.reason };
  await deps.db.transaction(async (tx) => {
    await settleDeliveries(
      tx,
      rows.map((r) => r.id),
      'failed',
      now,
      reason.message,
    );
    await recordDeadLetter(
      tx,
      tenantId,
      {
        direction: 'inbound',
        entity: hint.entity,
        localId: null,
        gid: hint.gid,
        displayName: hint.gid ?? `${hint.entity} webhook`,
        job: JOBS.shopifyApplyWebhooks,
        payload: { tenantId, inboxIds: rows.map((r) => r.id), topic: latest(rows).topic },
        errorClass: reason.errorClass,
        error: reason.message,
        attempts: 1,
      },
      now,
    );
  });
  deps.logger.warn(
    { tenantId, entity: hint.entity, gid: hint.gid, ...reason },
    'webhook could not be applied; dead-lettered',
  );
}
