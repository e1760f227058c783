import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeApiToken } from '../../db/api-tokens.ts';
import type { CoreDeps } from '../../deps.ts';
import { notFound } from '../errors.ts';
import { tokenScope } from './tokens-json.ts';

/** DELETE /api/tokens/:id: revokes at once (the next request with it answers 401). */
export function registerTokenRevokeRoute(app: FastifyInstance, deps: CoreDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .delete(
      '/tokens/:id',
      { schema: { tags: ['tokens'], params: z.strictObject({ id: z.uuid() }), response: { 204: z.null() } } },
      async (request, reply) => {
        const { auth } = request;
        const done = await revokeApiToken(
          deps.db,
          auth.tenantId,
          request.params.id,
          deps.clock.now(),
          tokenScope(auth),
        );
        if (!done)
          throw notFound(`API token ${request.params.id} does not exist`, {
            entity: 'api_token',
            id: request.params.id,
          });
        return reply.code(204).send(null);
      },
    );
}
