import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoreDeps } from '../../deps.ts';
import { deleteSession, insertSession } from '../../db/sessions.ts';
import { getTenant } from '../../db/tenants.ts';
import { findUserByEmail, type UserWithHash } from '../../db/users.ts';
import {
  assertLoginAllowed,
  noteLoginFailure,
  noteLoginSuccess,
  throttleKey,
  type ThrottlePolicy,
} from '../auth/login-throttle.ts';
import { DUMMY_HASH, verifyPassword } from '../auth/password.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { SESSION_COOKIE, SESSION_TTL_MS, setSessionCookie } from '../auth/session-cookie.ts';
import { HttpError } from '../errors.ts';
import { whoAmI, whoAmIJson } from './auth-json.ts';

const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

const invalidCredentials = (): HttpError =>
  new HttpError('unauthenticated', 'invalid_credentials', 'wrong email or password');

/** The same work and the same answer whether the email is unknown or the password is wrong. */
async function checkCredentials(
  deps: CoreDeps,
  email: string,
  password: string,
): Promise<UserWithHash | undefined> {
  const user = await findUserByEmail(deps.db, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return ok ? user : undefined;
}

async function endPreviousSession(deps: CoreDeps, request: FastifyRequest): Promise<void> {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await deleteSession(deps.db, hashSecret(previous));
}

/** POST /api/auth/login: email + password → a new session cookie and its CSRF token. */
export function registerLoginRoute(app: FastifyInstance, deps: CoreDeps, throttle: ThrottlePolicy): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .post(
      '/auth/login',
      { schema: { tags: ['auth'], body: loginBody, response: { 200: whoAmIJson } } },
      async (request, reply) => {
        const { email, password } = request.body;
        const key = throttleKey(request.ip, email);
        await assertLoginAllowed(deps.db, key, deps.clock.now(), throttle);
        const user = await checkCredentials(deps, email, password);
        if (!user) {
          await noteLoginFailure(deps.db, key, deps.clock.now(), throttle);
          throw invalidCredentials();
        }
        await noteLoginSuccess(deps.db, key);
        await endPreviousSession(deps, request);
        const now = deps.clock.now();
        const sessionId = newSecret(deps.randomBytes);
        const csrfToken = newSecret(deps.randomBytes);
        const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
        const session = {
          idHash: hashSecret(sessionId),
          tenantId: user.tenantId,
          userId: user.id,
          csrfSecret: csrfToken,
          expiresAt,
        };
        await insertSession(deps.db, session, now);
        setSessionCookie(request, reply, deps.config.secureCookies, sessionId, expiresAt, now);
        const tenant = await getTenant(deps.db, user.tenantId);
        if (!tenant) throw new Error(`user ${user.id} belongs to missing tenant ${user.tenantId}`);
        return whoAmI(user, tenant, 'session', csrfToken);
      },
    );
}
