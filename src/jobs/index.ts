import { dbStatisticsJob } from './db-statistics.ts';
import type { AnyJobDefinition } from './define.ts';
import { sessionsCleanupJob, type SessionsCleanupDeps } from './sessions-cleanup.ts';
import { shopifyImportJob, type ShopifyImportJobDeps } from './shopify-import.ts';
import { shopifyLifecycleJob } from './shopify-lifecycle.ts';
import {
  shopifyApplyWebhooksJob,
  shopifyOutboxJob,
  shopifyPushJob,
  shopifySubscriptionsCheckJob,
  shopifyWebhooksReregisterJob,
} from './shopify-sync.ts';
import { shopifyReconcileJob, shopifyReconcileScheduleJob } from './shopify-reconcile.ts';

/** What every job handler may use. */
export type JobDeps = SessionsCleanupDeps & ShopifyImportJobDeps;

/** Every job this build runs. */
export const ALL_JOBS: readonly AnyJobDefinition<JobDeps>[] = [
  sessionsCleanupJob as AnyJobDefinition<JobDeps>,
  dbStatisticsJob as AnyJobDefinition<JobDeps>,
  shopifyImportJob as AnyJobDefinition<JobDeps>,
  shopifyLifecycleJob as AnyJobDefinition<JobDeps>,
  shopifyApplyWebhooksJob as AnyJobDefinition<JobDeps>,
  shopifyOutboxJob as AnyJobDefinition<JobDeps>,
  shopifyPushJob as AnyJobDefinition<JobDeps>,
  shopifySubscriptionsCheckJob as AnyJobDefinition<JobDeps>,
  shopifyWebhooksReregisterJob as AnyJobDefinition<JobDeps>,
  shopifyReconcileJob as AnyJobDefinition<JobDeps>,
  shopifyReconcileScheduleJob as AnyJobDefinition<JobDeps>,
];
