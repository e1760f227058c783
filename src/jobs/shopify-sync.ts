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
 * Applies a tenant's pending webhook deliveries (singleton per tenant: deliveries of one shop apply in
 * order). Enqueued by the webhook route; every minute a sweep runs it for every tenant with pending
 * deliveries (a lost enqueue, deliveries that waited for the import).
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
    const tenants = data.tenantId ? [data.tenantId] : await tenantsWithPendingDeliveries(deps.db);
    for (const t of tenants) await applyInbox(deps, t);
  },
});

/**
 * Hands new local changes to the push queue. Enqueued after every API write (singleton per tenant) and
 * run every minute for all tenants as a safety net (a write whose enqueue was lost, CLI writes).
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
    const tenants = data.tenantId ? [data.tenantId] : await tenantsWithUnrelayedChanges(deps);
    for (const t of tenants) await relayOutbox(deps, t);
  },
});

/**
 * One push of one entity's latest state (singleton per entity: many quick edits, one push). Transient
 * failures retry with exponential backoff (pg-boss adds jitter) up to ~40 minutes in total; permanent
 * ones and the last failed attempt open a dead letter (GET /api/shopify/dead-letters).
 */
const PUSH_RETRY_LIMIT = 8;

export const shopifyPushJob = defineJob<PushJobData, CoreDeps>({
  name: JOBS.shopifyPush,
  queue: {
    policy: 'stately',
    notify: true,
    retryLimit: PUSH_RETRY_LIMIT,
    retryDelay: 2,
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
