import type { FastifyInstance } from 'fastify';
import type { CoreDeps } from '../../deps.ts';
import { deleteSession } from '../../db/sessions.ts';
import { clearSessionCookie } from '../auth/session-cookie.ts';

/**
 * POST /api/auth/logout: ends the caller's session and clears the cookie (needs the CSRF token like
 * every cookie-authenticated write). With a bearer token there is no session: nothing happens; revoke
 * tokens with DELETE /api/tokens/:id.
 */
export function registerLogoutRoute(app: FastifyInstance, deps: CoreDeps): void {
  app.post('/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    if (request.auth.via === 'session') {
      await deleteSession(deps.db, request.auth.sessionIdHash);
      clearSessionCookie(request, reply, deps.config.secureCookies);
    }
    return reply.code(204).send();
  });
}
