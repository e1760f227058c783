import type { FastifyInstance } from 'fastify';

/** GET /api/openapi.json: the OpenAPI 3 document generated from the routes' zod schemas. */
export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
