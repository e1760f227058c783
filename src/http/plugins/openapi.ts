import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { CSRF_HEADER } from '../auth/authenticate.ts';
import { SESSION_COOKIE } from '../auth/session-cookie.ts';

/**
 * Collects every route's zod schemas into an OpenAPI 3 document (served by routes/openapi.ts).
 * Call on the root instance (not inside app.register, which would encapsulate it) before the routes are
 * registered. Routes with `schema: { hide: true }` are left out.
 */
export function registerOpenApi(app: FastifyInstance): void {
  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Retailos API',
        version: '1',
        description:
          `Authenticate with \`Authorization: Bearer rtl_…\` (API token) or the ${SESSION_COOKIE} cookie from ` +
          `POST /api/auth/login. Cookie-authenticated writes must send the CSRF token in ${CSRF_HEADER}. ` +
          'Errors answer { "error": { "code", "message", "details" } }.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
}
