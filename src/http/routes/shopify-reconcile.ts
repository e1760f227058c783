import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notFound } from '../../core/errors.ts';
import { getConnection } from '../../db/shopify-connections.ts';
import { getRun, listDifferences, listRuns } from '../../db/shopify-reconcile.ts';
import type { CoreDeps } from '../../deps.ts';
import { nextScheduledRun, requestRun } from '../../sync/reconcile/start.ts';
import {
  differenceToJson,
  reconcileBody,
  reconcileRunDetailJson,
  reconcileRunJson,
  reconcileRunParams,
  reconcileRunsJson,
  reconcileRunsQuery,
  runToJson,
} from '../schemas/shopify-reconcile.ts';

/**
 * POST /api/shopify/reconcile starts a reconciliation run now (`dry_run`: list the differences only);
 * GET /api/shopify/reconcile/runs lists the runs, newest first, with the next daily run;
 * GET /api/shopify/reconcile/runs/:id gives one run with its differences field by field.
 */
export function shopifyReconcileRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/shopify/reconcile',
    {
      schema: {
        tags: ['shopify'],
        description:
          'Starts a reconciliation run of the connected shop (202). 409 reconcile_running names the run already ' +
          'running; 422 not_syncing when no store is connected or it is not syncing.',
        body: reconcileBody,
        response: { 202: reconcileRunJson },
      },
    },
    async (req, reply) => {
      const run = await requestRun(deps, req.auth.tenantId, {
        dryRun: req.body?.dry_run ?? false,
        trigger: 'demand',
      });
      return reply.code(202).send(runToJson(run));
    },
  );
  r.get(
    '/shopify/reconcile/runs',
    { schema: { tags: ['shopify'], querystring: reconcileRunsQuery, response: { 200: reconcileRunsJson } } },
    async (req) => {
      const tenantId = req.auth.tenantId;
      const connection = await getConnection(deps.db, tenantId);
      const runs = await listRuns(deps.db, tenantId, req.query.limit);
      return {
        items: runs.map(runToJson),
        next_run_at:
          connection?.state === 'syncing'
            ? nextScheduledRun(tenantId, deps.clock.now(), runs[0]?.startedAt).toISOString()
            : null,
      };
    },
  );
  r.get(
    '/shopify/reconcile/runs/:id',
    { schema: { tags: ['shopify'], params: reconcileRunParams, response: { 200: reconcileRunDetailJson } } },
    async (req) => {
      const run = await getRun(deps.db, req.auth.tenantId, req.params.id);
      if (!run) throw notFound('reconciliation run', req.params.id);
      const differences = await listDifferences(deps.db, req.auth.tenantId, run.id, 1_000);
      return { ...runToJson(run), differences: differences.map(differenceToJson) };
    },
  );
}
