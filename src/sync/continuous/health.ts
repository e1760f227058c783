import { unrelayedStats } from '../../db/changes.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import { countOpenDeadLetters } from '../../db/shopify-dead-letters.ts';
import { getLatestImport, type ImportRun } from '../../db/shopify-imports.ts';
import { listRuns, type ReconcileRun, type ReconcileState } from '../../db/shopify-reconcile.ts';
import { pendingInboxStats, topicStats } from '../../db/shopify-webhook-inbox.ts';
import { listSubscriptions } from '../../db/shopify-webhook-subscriptions.ts';
import type { CoreDeps } from '../../deps.ts';
import type { ThrottleSnapshot } from '../../shopify/limiter.ts';
import { headerTopic, SYNC_TOPICS } from '../webhook-topics.ts';
import { scheduledHour } from '../reconcile/start.ts';
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

export interface ReconciliationHealth {
  /** The latest run (null: none has run yet). */
  last: {
    id: string;
    state: ReconcileState;
    dryRun: boolean;
    trigger: string;
    startedAt: Date;
    finishedAt: Date | null;
    reason: string | null;
    compared: number;
    differences: number;
    repaired: number;
    leftToLiveSync: number;
    failed: number;
  } | null;
  /** When the daily run is next due (null: the shop is not syncing, so none is scheduled). */
  nextAt: Date | null;
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
  reconciliation: ReconciliationHealth;
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

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A run's report summed over its kinds (read defensively: a running run has none yet). */
function reportTotals(report: unknown) {
  const kinds = (report as { kinds?: Record<string, Record<string, unknown>> } | null)?.kinds ?? {};
  const t = { compared: 0, differences: 0, repaired: 0, leftToLiveSync: 0, failed: 0 };
  for (const k of Object.values(kinds)) {
    t.compared += count(k['compared']);
    t.differences += count(k['differences']);
    t.leftToLiveSync += count(k['left_to_live_sync']);
    t.failed += count(k['failed']);
    const repaired = k['repaired'];
    if (repaired && typeof repaired === 'object')
      for (const n of Object.values(repaired)) t.repaired += count(n);
  }
  return t;
}

/** The hourly sweep opens a shop's daily run at :07 of its hour, unless a run started in the 20 h before. */
function nextRunAt(tenantId: string, now: Date, last: ReconcileRun | undefined): Date {
  const at = new Date(now);
  at.setUTCHours(scheduledHour(tenantId), 7, 0, 0);
  while (at <= now || (last && at.getTime() - last.startedAt.getTime() < 20 * 3_600_000))
    at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

function reconciliationHealth(
  tenantId: string,
  now: Date,
  syncing: boolean,
  last: ReconcileRun | undefined,
): ReconciliationHealth {
  return {
    last: last
      ? {
          id: last.id,
          state: last.state,
          dryRun: last.dryRun,
          trigger: last.trigger,
          startedAt: last.startedAt,
          finishedAt: last.finishedAt,
          reason: last.reason,
          ...reportTotals(last.report),
        }
      : null,
    nextAt: syncing ? nextRunAt(tenantId, now, last) : null,
  };
}

/** Everything the Sync Health page shows for one tenant, read in one go. */
export async function syncHealth(deps: CoreDeps, tenantId: string): Promise<SyncHealth> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - DAY_MS);
  const [connection, subs, stats, inbox, outbox, open, latest, runs] = await Promise.all([
    getConnection(deps.db, tenantId),
    listSubscriptions(deps.db, tenantId).then((rows) => new Map(rows.map((r) => [r.topic, r]))),
    topicStats(deps.db, tenantId, since),
    pendingInboxStats(deps.db, tenantId),
    unrelayedStats(deps.db, tenantId),
    countOpenDeadLetters(deps.db, tenantId),
    getLatestImport(deps.db, tenantId),
    listRuns(deps.db, tenantId, 1),
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
  const reconciliation = reconciliationHealth(tenantId, now, conn?.state === 'syncing', runs[0]);
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
    reconciliation,
    verdict: healthVerdict({
      reconciliation: reconciliation.last,
      connection: conn,
      importRun,
      subscriptions,
      inbox: inboxHealth,
      outbox: outboxHealth,
      deadLetters: open,
    }),
  };
}
