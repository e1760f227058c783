import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getLatestImport, listParked } from '../../db/shopify-imports.ts';
import type { CoreDeps } from '../../deps.ts';
import { importProgress } from '../../sync/import/progress.ts';
import { notFound } from '../errors.ts';
import {
  importProgressJson,
  importProgressToJson,
  parkedPage,
  parkedQuery,
  parkedToJson,
} from '../schemas/shopify-import.ts';

/**
 * GET /api/shopify/import: the latest import's progress per resource (counts, rate, ETA).
 * GET /api/shopify/import/parked: the records it could not import, with the reason and the raw lines.
 */
export function shopifyImportRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/shopify/import',
    { schema: { tags: ['shopify'], response: { 200: importProgressJson } } },
    async (req) => {
      const run = await getLatestImport(deps.db, req.auth.tenantId);
      if (!run) throw notFound('no Shopify import has run for this workspace');
      return importProgressToJson(importProgress(run, deps.clock.now()));
    },
  );
  r.get(
    '/shopify/import/parked',
    { schema: { tags: ['shopify'], querystring: parkedQuery, response: { 200: parkedPage } } },
    async (req) => {
      const run = await getLatestImport(deps.db, req.auth.tenantId);
      if (!run) throw notFound('no Shopify import has run for this workspace');
      const page = {
        limit: req.query.limit + 1,
        ...(req.query.cursor ? { afterId: Number(req.query.cursor) } : {}),
      };
      const rows = await listParked(deps.db, req.auth.tenantId, run.id, page);
      const items = rows.slice(0, req.query.limit);
      const last = items.at(-1);
      return {
        items: items.map(parkedToJson),
        next_cursor: rows.length > req.query.limit && last ? String(last.id) : null,
      };
    },
  );
}
