import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiToken } from '../../core/owner-bootstrap.ts';
import type { CoreDeps } from '../../deps.ts';
import { apiTokenJson, apiTokenToJson } from './tokens-json.ts';

const createBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
const createdJson = apiTokenJson.extend({
  token: z.string().describe('shown once; only its hash is stored'),
});

/** POST /api/tokens: issues an API token for the caller; the token itself is in this answer only. */
export function registerTokenCreateRoute(app: FastifyInstance, deps: CoreDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .post(
      '/tokens',
      { schema: { tags: ['tokens'], body: createBody, response: { 201: createdJson } } },
      async (request, reply) => {
        const { tenantId, userId } = request.auth;
        const issued = await createApiToken(deps, { tenantId, userId, name: request.body.name });
        return reply.code(201).send({ ...apiTokenToJson(issued.apiToken), token: issued.token });
      },
    );
}
