import { unrelayedStats } from '../../db/changes.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import { countOpenDeadLetters } from '../../db/shopify-dead-letters.ts';
import { getLatestImport } from '../../db/shopify-imports.ts';
import { pendingInboxStats, topicStats } from '../../db/shopify-webhook-inbox.ts';
import type { CoreDeps } from '../../deps.ts';
import type { ThrottleSnapshot } from '../../shopify/limiter.ts';
import { headerTopic, SYNC_TOPICS } from '../webhook-topics.ts';

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
  lastCheckedAt: Date | null;
  reregisteredAt: Date | null;
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
}

const ageSeconds = (now: Date, d: Date | null): number | null =>
  d === null ? null : Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));

async function subscriptionRows(deps: CoreDeps, tenantId: string) {
  const { rows } = await deps.db.query<{
    topic: string;
    last_checked_at: Date | null;
    reregistered_at: Date | null;
  }>(
    'select topic, last_checked_at, reregistered_at from shopify_webhook_subscriptions where tenant_id = $1',
    [tenantId],
  );
  return new Map(rows.map((r) => [r.topic, r]));
}

/** Everything the Sync Health page shows for one tenant, read in one go. */
export async function syncHealth(deps: CoreDeps, tenantId: string): Promise<SyncHealth> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - DAY_MS);
  const [connection, subs, stats, inbox, outbox, open, latest] = await Promise.all([
    getConnection(deps.db, tenantId),
    subscriptionRows(deps, tenantId),
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
      state: !row ? 'missing' : failures > 0 ? 'failing' : 'active',
      lastDeliveryAt: s?.lastReceivedAt ?? null,
      deliveries24h: s?.deliveries ?? 0,
      failures24h: failures,
      lagP50Ms: s?.lagP50Ms ?? null,
      lagP95Ms: s?.lagP95Ms ?? null,
      lastCheckedAt: row?.last_checked_at ?? null,
      reregisteredAt: row?.reregistered_at ?? null,
    };
  });
  return {
    connection: connection
      ? { shop: connection.shop, state: connection.state, reason: connection.stateReason }
      : null,
    subscriptions,
    unknownTopics24h: stats.filter((s) => !known.has(s.topic)).reduce((n, s) => n + s.deliveries, 0),
    inbox: { pending: inbox.pending, oldestPendingAgeSeconds: ageSeconds(now, inbox.oldest) },
    outbox: { waiting: outbox.waiting, oldestAgeSeconds: ageSeconds(now, outbox.oldest) },
    queues: deps.queueDepths ? await deps.queueDepths() : null,
    deadLetters: { open },
    throttle: deps.limiter ? ((await deps.limiter.status(tenantId)) ?? null) : null,
    importState: latest?.state ?? null,
  };
}
