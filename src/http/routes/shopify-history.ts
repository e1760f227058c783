import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listHistory } from '../../db/shopify-sync-history.ts';
import type { CoreDeps } from '../../deps.ts';
import { idPage } from '../schemas/common.ts';
import { historyPage, historyQuery, historyToJson } from '../schemas/shopify-history.ts';

/** Sync History: GET /api/shopify/history — entries newest first, filtered by entity, direction, record, text. */
export function shopifyHistoryRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/shopify/history',
    { schema: { tags: ['shopify'], querystring: historyQuery, response: { 200: historyPage } } },
    async (req) => {
      const q = req.query;
      const rows = await listHistory(
        deps.db,
        req.auth.tenantId,
        { entity: q.entity, direction: q.direction, localId: q.local_id, text: q.q },
        q.limit + 1,
        q.cursor ? Number(q.cursor) : undefined,
      );
      return idPage(rows, q.limit, historyToJson);
    },
  );
}
