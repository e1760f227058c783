import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listApiTokens } from '../../db/api-tokens.ts';
import type { CoreDeps } from '../../deps.ts';
import { apiTokenJson, apiTokenToJson, tokenScope } from './tokens-json.ts';

/** GET /api/tokens: the tenant's API tokens (staff: their own), revoked ones included, never the secret. */
export function registerTokenListRoute(app: FastifyInstance, deps: CoreDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/tokens',
      { schema: { tags: ['tokens'], response: { 200: z.object({ items: z.array(apiTokenJson) }) } } },
      async (request) => {
        const tokens = await listApiTokens(deps.db, request.auth.tenantId, tokenScope(request.auth));
        return { items: tokens.map(apiTokenToJson) };
      },
    );
}
