import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CoreDeps } from '../../deps.ts';
import { getTenant } from '../../db/tenants.ts';
import { getUser } from '../../db/users.ts';
import { unauthenticated } from '../errors.ts';
import { whoAmI, whoAmIJson } from './auth-json.ts';

/** GET /api/auth/me: the caller, their tenant, and (for a session) the CSRF token to send on writes. */
export function registerMeRoute(app: FastifyInstance, deps: CoreDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/auth/me', { schema: { tags: ['auth'], response: { 200: whoAmIJson } } }, async (request) => {
      const { auth } = request;
      const [user, tenant] = await Promise.all([
        getUser(deps.db, auth.tenantId, auth.userId),
        getTenant(deps.db, auth.tenantId),
      ]);
      if (!user || !tenant) throw unauthenticated('the user no longer exists');
      return whoAmI(user, tenant, auth.via, auth.via === 'session' ? auth.csrfToken : null);
    });
}
