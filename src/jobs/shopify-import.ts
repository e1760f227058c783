import type { CoreDeps } from '../deps.ts';
import { runImportJob, type ImportJobData } from '../sync/import/start.ts';
import type { ImportExtras } from '../sync/import/options.ts';
import { defineJob, HEARTBEAT } from './define.ts';
import { JOBS } from '../job-names.ts';
import type { RunnerDeps } from './runner.ts';

export type ShopifyImportJobDeps = RunnerDeps & CoreDeps & ImportExtras;

/**
 * The initial Shopify import, one step per job (singleton per tenant: the key is the tenant id).
 * Each step re-enqueues the next; transient failures retry with backoff up to ~2 hours.
 */
export const shopifyImportJob = defineJob<ImportJobData, ShopifyImportJobDeps>({
  name: JOBS.shopifyImport,
  queue: {
    policy: 'stately',
    retryLimit: 30,
    retryDelay: 5,
    retryBackoff: true,
    retryDelayMax: 300,
    // A live step that hangs ends after an hour; a dead process's step is retried at its next heartbeat.
    expireInSeconds: 3600,
    ...HEARTBEAT,
  },
  async handle(data, deps) {
    await runImportJob(deps, data.tenantId);
  },
});
