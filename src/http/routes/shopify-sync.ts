import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { deadLetterAttempts, getDeadLetter, listDeadLetters } from '../../db/shopify-dead-letters.ts';
import type { CoreDeps } from '../../deps.ts';
import { discardDeadLetters, replayDeadLetters } from '../../sync/continuous/dead-letters.ts';
import { syncHealth } from '../../sync/continuous/health.ts';
import { conflict, notFound } from '../errors.ts';
import { idPage } from '../schemas/common.ts';
import {
  deadLetterDetailJson,
  deadLetterDetailToJson,
  deadLetterPage,
  deadLetterQuery,
  deadLetterToJson,
  healthJson,
  healthToJson,
  letterParams,
  settledJson,
} from '../schemas/shopify-sync.ts';

/**
 * The continuous sync's operator surface:
 * GET /api/shopify/health — subscriptions, lag, queues, dead letters, throttle budget;
 * GET /api/shopify/dead-letters — filterable; GET …/:id — one letter with every attempt and its error;
 * POST …/:id/replay, …/replay (all open), …/:id/discard.
 */
export function shopifySyncRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/shopify/health', { schema: { tags: ['shopify'], response: { 200: healthJson } } }, async (req) =>
    healthToJson(await syncHealth(deps, req.auth.tenantId)),
  );
  r.get(
    '/shopify/dead-letters',
    { schema: { tags: ['shopify'], querystring: deadLetterQuery, response: { 200: deadLetterPage } } },
    async (req) => {
      const q = req.query;
      const rows = await listDeadLetters(
        deps.db,
        req.auth.tenantId,
        { state: q.state, entity: q.entity, direction: q.direction, errorClass: q.error_class },
        q.limit + 1,
        q.cursor ? Number(q.cursor) : undefined,
      );
      return idPage(rows, q.limit, deadLetterToJson);
    },
  );
  r.get(
    '/shopify/dead-letters/:id',
    { schema: { tags: ['shopify'], params: letterParams, response: { 200: deadLetterDetailJson } } },
    async (req) => {
      const letter = await getDeadLetter(deps.db, req.auth.tenantId, req.params.id);
      if (!letter) throw notFound('no such dead letter', { id: req.params.id });
      return deadLetterDetailToJson(letter, await deadLetterAttempts(deps.db, req.auth.tenantId, letter.id));
    },
  );
  const settleOne =
    (action: 'replay' | 'discard') => async (req: { auth: { tenantId: string }; params: { id: number } }) => {
      const letter = await getDeadLetter(deps.db, req.auth.tenantId, req.params.id);
      if (!letter) throw notFound('no such dead letter', { id: req.params.id });
      if (letter.state !== 'open')
        throw conflict('dead_letter_settled', `this dead letter was already ${letter.state}`);
      const settled =
        action === 'replay'
          ? await replayDeadLetters(deps, req.auth.tenantId, [letter.id])
          : await discardDeadLetters(deps, req.auth.tenantId, [letter.id]);
      return { settled: settled.map(deadLetterToJson) };
    };
  const one = { schema: { tags: ['shopify'], params: letterParams, response: { 200: settledJson } } };
  r.post('/shopify/dead-letters/:id/replay', one, settleOne('replay'));
  r.post('/shopify/dead-letters/:id/discard', one, settleOne('discard'));
  r.post(
    '/shopify/dead-letters/replay',
    { schema: { tags: ['shopify'], response: { 200: settledJson } } },
    async (req) => {
      const settled = await replayDeadLetters(deps, req.auth.tenantId, 'all');
      return { settled: settled.map(deadLetterToJson) };
    },
  );
}
