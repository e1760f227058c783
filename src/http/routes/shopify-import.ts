import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getLatestImport } from '../../db/shopify-imports.ts';
import type { CoreDeps } from '../../deps.ts';
import { importProgress } from '../../sync/import/progress.ts';
import { notFound } from '../errors.ts';
import { importProgressJson, importProgressToJson } from '../schemas/shopify-import.ts';

/** GET /api/shopify/import: the latest import's progress per resource (counts, rate, ETA). */
export function shopifyImportRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/shopify/import', { schema: { tags: ['shopify'], response: { 200: importProgressJson } } }, async (req) => {
    const run = await getLatestImport(deps.db, req.auth.tenantId);
    if (!run) throw notFound('no Shopify import has run for this workspace');
    return importProgressToJson(importProgress(run, deps.clock.now()));
  });
}
