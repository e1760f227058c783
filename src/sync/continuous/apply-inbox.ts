import { getConnection } from '../../db/shopify-connections.ts';
import { recordDeadLetter } from '../../db/shopify-dead-letters.ts';
import { pendingEntityDeliveries, settleDeliveries, type InboxRow } from '../../db/shopify-webhook-inbox.ts';
import type { CoreDeps } from '../../deps.ts';
import { deletedFromWebhook, entityOfTopic, type Mapped } from '../../domain/shopify-map/index.ts';
import { describeError, PermanentError } from '../../errors.ts';
import { JOBS } from '../../jobs/names.ts';
import { shopSessionFor, type ShopSession } from '../shop-session.ts';
import { LIFECYCLE_TOPICS } from '../webhook-topics.ts';
import { syncAdapters, type AnyAdapter, type SyncedEntity } from './adapters.ts';
import { HINT_MAPPERS } from './hints.ts';
import { applyInventoryHint } from './inventory-sync.ts';
import { syncEntity, type SyncTrigger } from './sync-entity.ts';
import type { RemoteState } from './adapter.ts';

/** Deliveries taken per run; the job enqueues itself again while more are pending. */
const BATCH = 200;

/** What one delivery says: the entity it is about, and the state (or deletion) it reports. */
type Hint =
  | { kind: 'entity'; entity: SyncedEntity; gid: string; trigger: SyncTrigger<RemoteState>; at: number }
  | { kind: 'inventory'; key: string; row: InboxRow }
  | { kind: 'ignore'; why: string }
  | { kind: 'refused'; entity: string; gid: string | null; reason: string };

export interface ApplyReport {
  applied: number;
  failed: number;
  ignored: number;
  more: boolean;
  waiting?: 'not_syncing';
}

/**
 * Applies the tenant's pending webhook deliveries. Deliveries about one entity are folded into one
 * decision (the newest state wins; a deletion is final); the webhook is a hint, so an incomplete
 * payload is completed by a GraphQL read and a state older than what we hold is dropped. Nothing is
 * applied while the import runs (the deliveries wait in the inbox and are applied after it).
 */
export async function applyInbox(deps: CoreDeps, tenantId: string): Promise<ApplyReport> {
  const report: ApplyReport = { applied: 0, failed: 0, ignored: 0, more: false };
  const connection = await getConnection(deps.db, tenantId);
  if (connection?.state !== 'syncing') return { ...report, waiting: 'not_syncing' };
  const session = await shopSessionFor(deps, tenantId);
  if (!session) return { ...report, waiting: 'not_syncing' };
  const rows = await pendingEntityDeliveries(deps.db, tenantId, LIFECYCLE_TOPICS, BATCH);
  report.more = rows.length === BATCH;
  const groups = new Map<string, { hint: Hint; rows: InboxRow[] }>();
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
  for (const { hint, rows: some } of groups.values()) {
    const ids = some.map((r) => r.id);
    const now = deps.clock.now();
    if (hint.kind === 'ignore') {
      await settleDeliveries(deps.db, ids, 'ignored', now, hint.why);
      report.ignored += ids.length;
      continue;
    }
    if (hint.kind === 'refused') {
      await refuse(deps, tenantId, hint, some);
      report.failed += ids.length;
      continue;
    }
    try {
      if (hint.kind === 'inventory') await applyInventoryHint(deps, session, tenantId, newestLevel(some));
      else {
        const adapter = adapters[hint.entity] as AnyAdapter;
        await syncEntity(
          deps,
          session,
          adapter,
          tenantId,
          { gid: hint.gid },
          await completed(adapter, session, hint),
        );
      }
      await settleDeliveries(deps.db, ids, 'applied', deps.clock.now());
      report.applied += ids.length;
    } catch (err) {
      if (!(err instanceof PermanentError)) throw err; // transient: the job retries, rows stay pending
      const gid = hint.kind === 'entity' ? hint.gid : null;
      const entity = hint.kind === 'entity' ? hint.entity : 'inventory_level';
      await refuse(deps, tenantId, { kind: 'refused', entity, gid, reason: err.message }, some, err);
      report.failed += ids.length;
    }
  }
  if (report.more && deps.enqueue) {
    await deps.enqueue(JOBS.shopifyApplyWebhooks, { tenantId }, { singletonKey: tenantId });
  }
  return report;
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
 * instead of being deleted on Shopify from the apply job). Gone on Shopify: a deletion.
 */
async function completed(
  adapter: AnyAdapter,
  session: ShopSession,
  hint: Extract<Hint, { kind: 'entity' }>,
): Promise<SyncTrigger<RemoteState>> {
  if (hint.trigger.origin === 'webhook') return hint.trigger;
  const remote = (await adapter.readRemote(session, hint.gid)) as RemoteState | undefined;
  return remote ? { origin: 'webhook', remote } : { origin: 'webhook', deleted: true };
}

/** Of two hints about one entity, the one to act on: a deletion, else the newer state. */
function newer(a: Hint, b: Hint): Hint {
  if (a.kind !== 'entity' || b.kind !== 'entity') return b;
  if ('deleted' in a.trigger) return a;
  if ('deleted' in b.trigger) return b;
  return b.at >= a.at ? b : a;
}

function hintOf(row: InboxRow): Hint {
  const topic = entityOfTopic(row.topic);
  if (!topic) return { kind: 'ignore', why: `topic ${row.topic} needs no entity sync` };
  if (topic.entity === 'inventory_item')
    return { kind: 'ignore', why: 'inventory items arrive with their product' };
  if (topic.entity === 'inventory_level') {
    const body = row.body as { inventory_item_id?: unknown; location_id?: unknown };
    return { kind: 'inventory', key: `${String(body.inventory_item_id)}@${String(body.location_id)}`, row };
  }
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
  // An incomplete payload is only a pointer: read Shopify's current state instead.
  const trigger: SyncTrigger<RemoteState> = remote ? { origin: 'webhook', remote } : { origin: 'push' };
  return { kind: 'entity', entity, gid, trigger, at };
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
