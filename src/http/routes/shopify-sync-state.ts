import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CoreDeps } from '../../deps.ts';
import { recordSyncState } from '../../sync/continuous/sync-state.ts';
import { syncStateJson, syncStateParams, syncStateToJson } from '../schemas/shopify-sync-state.ts';

/**
 * GET /api/shopify/sync-state/:entity/:id — one product's, customer's or order's sync state for its
 * back-office page: its Shopify link, last sync, whether a push is pending, its open dead letter.
 * Another tenant's record, or none, answers 404.
 */
export function shopifySyncStateRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/shopify/sync-state/:entity/:id',
    { schema: { tags: ['shopify'], params: syncStateParams, response: { 200: syncStateJson } } },
    async (req) => {
      const { entity, id } = req.params;
      return syncStateToJson(entity, id, await recordSyncState(deps, req.auth.tenantId, entity, id));
    },
  );
}
