import type { UserRole } from '../../db/users.ts';

/** Who is calling. Set by authentication on every route in the authenticated /api scope. */
export type RequestAuth = {
  tenantId: string;
  userId: string;
  role: UserRole;
} & ({ via: 'session'; sessionIdHash: string; csrfToken: string } | { via: 'token'; tokenId: string });

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The caller. Always set inside the authenticated /api scope (every apiRouteModules route); routes
     * outside it (login, health, metrics) must not read it. Scope every query by `auth.tenantId`.
     */
    auth: RequestAuth;
  }
}
