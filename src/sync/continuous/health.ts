import { unrelayedStats } from '../../db/changes.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import { countOpenDeadLetters } from '../../db/shopify-dead-letters.ts';
import { getLatestImport, type ImportRun } from '../../db/shopify-imports.ts';
import { pendingInboxStats, topicStats } from '../../db/shopify-webhook-inbox.ts';
import { listSubscriptions } from '../../db/shopify-webhook-subscriptions.ts';
import type { CoreDeps } from '../../deps.ts';
import type { ThrottleSnapshot } from '../../shopify/limiter.ts';
import { headerTopic, SYNC_TOPICS } from '../webhook-topics.ts';
import { healthVerdict, type Verdict } from './health-verdict.ts';

const DAY_MS = 24 * 3600_000;

export type SubscriptionState = 'active' | 'missing' | 'failing';

export interface SubscriptionHealth {
  topic: string;
  state: SubscriptionState;
  lastDeliveryAt: Date | null;
  deliveries24h: number;
  failures24h: number;
  lagP50Ms: number | null;
  lagP95Ms: number | null;
  lagP99Ms: number | null;
  lastCheckedAt: Date | null;
  reregisteredAt: Date | null;
  /** Since when Shopify no longer lists it (null: it does, or it was never registered). */
  missingSince: Date | null;
  /** Why the last re-registration failed (retried). */
  reregisterError: string | null;
  /** What changed while it was missing, read again after its re-registration. */
  backfill: BackfillState | null;
}

export interface BackfillState {
  from: Date;
  /** Null while the back-fill is pending. */
  at: Date | null;
  records: number | null;
  /** Why nothing could be back-filled for this topic, when nothing could. */
  note: string | null;
}

export interface ImportHealth {
  state: string;
  reason: string | null;
  startedAt: Date | null;
  updatedAt: Date;
  finishedAt: Date | null;
  done: number;
  total: number | null;
  resources: { resource: string; state: string; done: number; total: number | null; reason: string | null }[];
}

export interface QueueDepth {
  queued: number;
  active: number;
}

export interface SyncHealth {
  connection: { shop: string; state: string; reason: string | null } | null;
  subscriptions: SubscriptionHealth[];
  unknownTopics24h: number;
  inbox: { pending: number; oldestPendingAgeSeconds: number | null };
  outbox: { waiting: number; oldestAgeSeconds: number | null };
  queues: Record<string, QueueDepth> | null;
  deadLetters: { open: number };
  throttle: ThrottleSnapshot | null;
  importState: string | null;
  importRun: ImportHealth | null;
  /** No reconciliation has run yet (daily reconciliation is not built yet): null. */
  reconciliation: null;
  verdict: Verdict;
}

const ageSeconds = (now: Date, d: Date | null): number | null =>
  d === null ? null : Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));

function importHealth(run: ImportRun | undefined): ImportHealth | null {
  if (!run) return null;
  const resources = run.resources.map((r) => ({
    resource: r.resource,
    state: r.state,
    done: r.done,
    total: r.total,
    reason: r.reason,
  }));
  const totals = resources.map((r) => r.total);
  return {
    state: run.state,
    reason: run.reason ?? resources.find((r) => r.reason)?.reason ?? null,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    finishedAt: run.finishedAt,
    done: resources.reduce((n, r) => n + r.done, 0),
    total: totals.every((t) => t !== null) ? totals.reduce((n: number, t) => n + (t ?? 0), 0) : null,
    resources,
  };
}

/** Everything the Sync Health page shows for one tenant, read in one go. */
export async function syncHealth(deps: CoreDeps, tenantId: string): Promise<SyncHealth> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - DAY_MS);
  const [connection, subs, stats, inbox, outbox, open, latest] = await Promise.all([
    getConnection(deps.db, tenantId),
    listSubscriptions(deps.db, tenantId).then((rows) => new Map(rows.map((r) => [r.topic, r]))),
    topicStats(deps.db, tenantId, since),
    pendingInboxStats(deps.db, tenantId),
    unrelayedStats(deps.db, tenantId),
    countOpenDeadLetters(deps.db, tenantId),
    getLatestImport(deps.db, tenantId),
  ]);
  const byTopic = new Map(stats.map((s) => [s.topic, s]));
  const known = new Set<string>(SYNC_TOPICS.map(headerTopic));
  const subscriptions = SYNC_TOPICS.map((topic): SubscriptionHealth => {
    const row = subs.get(topic);
    const s = byTopic.get(headerTopic(topic));
    const failures = s?.failures ?? 0;
    return {
      topic,
      state: !row || row.missingSince ? 'missing' : failures > 0 ? 'failing' : 'active',
      lastDeliveryAt: s?.lastReceivedAt ?? null,
      deliveries24h: s?.deliveries ?? 0,
      failures24h: failures,
      lagP50Ms: s?.lagP50Ms ?? null,
      lagP95Ms: s?.lagP95Ms ?? null,
      lagP99Ms: s?.lagP99Ms ?? null,
      lastCheckedAt: row?.lastCheckedAt ?? null,
      reregisteredAt: row?.reregisteredAt ?? null,
      missingSince: row?.missingSince ?? null,
      reregisterError: row?.reregisterError ?? null,
      backfill: row?.backfillFrom
        ? {
            from: row.backfillFrom,
            at: row.backfilledAt,
            records: row.backfilledRecords,
            note: row.backfillNote,
          }
        : null,
    };
  });
  const conn = connection
    ? { shop: connection.shop, state: connection.state, reason: connection.stateReason }
    : null;
  const importRun = importHealth(latest);
  const inboxHealth = { pending: inbox.pending, oldestPendingAgeSeconds: ageSeconds(now, inbox.oldest) };
  const outboxHealth = { waiting: outbox.waiting, oldestAgeSeconds: ageSeconds(now, outbox.oldest) };
  return {
    connection: conn,
    subscriptions,
    unknownTopics24h: stats.filter((s) => !known.has(s.topic)).reduce((n, s) => n + s.deliveries, 0),
    inbox: inboxHealth,
    outbox: outboxHealth,
    queues: deps.queueDepths ? await deps.queueDepths() : null,
    deadLetters: { open },
    throttle: deps.limiter ? ((await deps.limiter.status(tenantId)) ?? null) : null,
    importState: latest?.state ?? null,
    importRun,
    reconciliation: null,
    verdict: healthVerdict({
      connection: conn,
      importRun,
      subscriptions,
      inbox: inboxHealth,
      outbox: outboxHealth,
      deadLetters: open,
    }),
  };
}
