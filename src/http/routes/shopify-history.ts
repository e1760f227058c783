import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { searchHistory } from '../../db/shopify-sync-history-search.ts';
import { getHistoryEntry } from '../../db/shopify-sync-history.ts';
import type { CoreDeps } from '../../deps.ts';
import { notFound } from '../errors.ts';
import { idPage } from '../schemas/common.ts';
import {
  historyJson,
  historyPage,
  historyParams,
  historyQuery,
  historyToJson,
} from '../schemas/shopify-history.ts';

/**
 * Sync History: GET /api/shopify/history — every synced change, newest first, searched (title, SKU,
 * order name, e-mail, name, Shopify id or GID) and filtered (entity, direction, origin, outcome, date
 * range, record); GET /api/shopify/history/:id — one entry, with all of an import batch's records.
 */
export function shopifyHistoryRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/shopify/history',
    { schema: { tags: ['shopify'], querystring: historyQuery, response: { 200: historyPage } } },
    async (req) => {
      const q = req.query;
      const rows = await searchHistory(
        deps.db,
        req.auth.tenantId,
        {
          entity: q.entity,
          direction: q.direction,
          origin: q.origin,
          outcome: q.outcome,
          localId: q.local_id,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          text: q.q,
        },
        q.limit + 1,
        q.cursor ? Number(q.cursor) : undefined,
      );
      return idPage(rows, q.limit, historyToJson);
    },
  );
  r.get(
    '/shopify/history/:id',
    { schema: { tags: ['shopify'], params: historyParams, response: { 200: historyJson } } },
    async (req) => {
      const entry = await getHistoryEntry(deps.db, req.auth.tenantId, req.params.id);
      if (!entry) throw notFound('no such Sync History entry', { id: req.params.id });
      return historyToJson(entry);
    },
  );
}
