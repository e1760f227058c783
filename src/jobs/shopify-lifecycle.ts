import type { CoreDeps } from '../deps.ts';
import { applyLifecycleWebhooks } from '../sync/lifecycle.ts';
import { defineJob } from './define.ts';
import { JOBS } from '../job-names.ts';

/** Applies app/uninstalled and the privacy webhooks of one tenant (singleton per tenant). */
export const shopifyLifecycleJob = defineJob<{ tenantId: string }, CoreDeps>({
  name: JOBS.shopifyLifecycle,
  queue: { policy: 'stately', retryLimit: 8, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 },
  async handle(data, deps) {
    await applyLifecycleWebhooks(deps, data.tenantId);
  },
});
