import type { CoreDeps } from '../deps.ts';
import { tenantsWithPendingDeliveries } from '../db/shopify-webhook-inbox.ts';
import { applyInbox } from '../sync/continuous/apply-inbox.ts';
import {
  checkedTenants,
  checkSubscriptions,
  reregisterMissing,
} from '../sync/continuous/subscriptions-check.ts';
import { relayOutbox, tenantsWithUnrelayedChanges } from '../sync/continuous/outbox-relay.ts';
import { pushEntity, type PushJobData } from '../sync/continuous/push.ts';
import { defineJob, HEARTBEAT } from './define.ts';
import { JOBS } from '../job-names.ts';

/**
 * A minute sweep's work: each tenant's own job, singleton per tenant, so one runner at a time works on
 * a tenant (a job already waiting absorbs the send; one running gets a successor). A failed send fails
 * the sweep, which pg-boss retries.
 */
async function queuePerTenant(deps: CoreDeps, job: string, tenants: readonly string[]): Promise<void> {
  for (const tenantId of tenants) await deps.enqueue(job, { tenantId }, { singletonKey: tenantId });
}

/**
 * Applies a tenant's pending webhook deliveries (singleton per tenant: deliveries of one shop apply in
 * order, by one runner at a time). Enqueued by the webhook route; every minute a sweep queues it for
 * every tenant with pending deliveries (a lost enqueue, deliveries that waited for the import). The
 * sweep never applies anything itself: run beside the tenant's own job it raced it over the same
 * deliveries (issue 15's webhook bench: 7–12 % of the batch writes found their record changed under
 * them and were decided again one by one).
 */
export const shopifyApplyWebhooksJob = defineJob<{ tenantId?: string }, CoreDeps>({
  name: JOBS.shopifyApplyWebhooks,
  queue: {
    policy: 'stately',
    notify: true,
    retryLimit: 10,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 300,
    ...HEARTBEAT,
  },
  cron: '* * * * *',
  concurrency: 2,
  async handle(data, deps) {
    if (data.tenantId) await applyInbox(deps, data.tenantId);
    else await queuePerTenant(deps, JOBS.shopifyApplyWebhooks, await tenantsWithPendingDeliveries(deps.db));
  },
});

/**
 * Hands new local changes to the push queue. Enqueued after every write (singleton per tenant); every
 * minute a sweep queues it for each tenant with changes not handed yet (a write whose enqueue was
 * lost), never relaying itself beside the tenant's own run.
 */
export const shopifyOutboxJob = defineJob<{ tenantId?: string }, CoreDeps>({
  name: JOBS.shopifyOutbox,
  queue: {
    policy: 'stately',
    notify: true,
    retryLimit: 5,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 60,
    ...HEARTBEAT,
  },
  cron: '* * * * *',
  async handle(data, deps) {
    if (data.tenantId) await relayOutbox(deps, data.tenantId);
    else await queuePerTenant(deps, JOBS.shopifyOutbox, await tenantsWithUnrelayedChanges(deps));
  },
});

/**
 * One push of one entity's latest state (singleton per entity: many quick edits, one push). Transient
 * failures retry with exponential backoff (pg-boss adds jitter: each delay 1–2× its base of 1, 2, 4 …
 * 256 s), ~8.5–17 minutes in all; permanent ones and the last failed attempt open a dead letter
 * (GET /api/shopify/dead-letters). The first retry comes 1–2 s after the failure: a push whose worker
 * died is failed by pg-boss on its lost heartbeat and should land soon after (decision 0009).
 */
const PUSH_RETRY_LIMIT = 9;

export const shopifyPushJob = defineJob<PushJobData, CoreDeps>({
  name: JOBS.shopifyPush,
  queue: {
    policy: 'stately',
    notify: true,
    retryLimit: PUSH_RETRY_LIMIT,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 600,
    ...HEARTBEAT,
  },
  concurrency: 8, // a push spends part of its time waiting for its record to go quiet
  async handle(data, deps, job) {
    await pushEntity(deps, data, { retryCount: job.retryCount, retryLimit: PUSH_RETRY_LIMIT });
  },
});

/**
 * Every five minutes: compares each importing or syncing shop's subscriptions with Shopify's (one list
 * call per shop); those Shopify dropped (it deletes a subscription after repeated failed deliveries)
 * show as missing on Sync Health at once and their re-registration is queued, so a gap in deliveries
 * lasts minutes, not an hour.
 */
export const shopifySubscriptionsCheckJob = defineJob<{ tenantId?: string }, CoreDeps>({
  name: JOBS.shopifySubscriptionsCheck,
  queue: { policy: 'stately', retryLimit: 3, retryDelay: 30, retryBackoff: true, retryDelayMax: 600 },
  cron: '*/5 * * * *',
  async handle(data, deps) {
    const tenants = data.tenantId ? [data.tenantId] : await checkedTenants(deps);
    for (const t of tenants) await checkSubscriptions(deps, t);
  },
});

/**
 * Registers a shop's missing subscriptions again and back-fills what they would have delivered
 * meanwhile (singleton per tenant). Queued by the check; retried with backoff while Shopify refuses.
 */
export const shopifyWebhooksReregisterJob = defineJob<{ tenantId: string }, CoreDeps>({
  name: JOBS.shopifyWebhooksReregister,
  queue: { policy: 'stately', retryLimit: 8, retryDelay: 30, retryBackoff: true, retryDelayMax: 900 },
  async handle(data, deps) {
    await reregisterMissing(deps, data.tenantId);
  },
});
