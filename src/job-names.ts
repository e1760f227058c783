/**
 * Every job name, in one frozen map. Dead-letter queues are named `<name>.dead`. Shared by the code that
 * enqueues (sync, http) and the workers (jobs), so neither imports the other.
 */
export const JOBS = Object.freeze({
  sessionsCleanup: 'core.sessions-cleanup',
  dbStatistics: 'core.db-statistics',
  shopifyImport: 'shopify.import',
  shopifyLifecycle: 'shopify.lifecycle-webhooks',
  shopifyApplyWebhooks: 'shopify.apply-webhooks',
  shopifyOutbox: 'shopify.outbox-relay',
  shopifyPush: 'shopify.push',
  shopifySubscriptionsCheck: 'shopify.subscriptions-check',
  shopifyWebhooksReregister: 'shopify.webhooks-reregister',
  shopifyReconcile: 'shopify.reconcile',
  shopifyReconcileSchedule: 'shopify.reconcile-schedule',
} as const);

export type JobName = (typeof JOBS)[keyof typeof JOBS];

export const deadLetterOf = (name: string): string => `${name}.dead`;
