import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoreDeps } from '../../deps.ts';
import { deleteSession, insertSession } from '../../db/sessions.ts';
import { getTenant } from '../../db/tenants.ts';
import { findUserByEmail, type UserWithHash } from '../../db/users.ts';
import {
  assertLoginAttemptAllowed,
  DEFAULT_LOGIN_THROTTLE,
  LOGIN_LIMITED_MESSAGE,
  loginAttemptStore,
  noteLoginSuccess,
  type ThrottlePolicy,
} from '../auth/login-throttle.ts';
import { DUMMY_HASH, verifyPassword } from '../../core/auth/password.ts';
import { hashSecret, newSecret } from '../../core/auth/secrets.ts';
import { SESSION_COOKIE, SESSION_TTL_MS, setSessionCookie } from '../auth/session-cookie.ts';
import { HttpError, rateLimited } from '../errors.ts';
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

/**
 * POST /api/auth/login: email + password → a new session cookie and its CSRF token. Every attempt is
 * counted before the password is hashed (see login-throttle.ts): per client IP by @fastify/rate-limit
 * when the request arrives, then per IP + email and per email; over any limit → 429 with Retry-After.
 */
export function registerLoginRoute(app: FastifyInstance, deps: CoreDeps, throttle: ThrottlePolicy): void {
  void app.register(async (scope) => {
    await scope.register(fastifyRateLimit, {
      global: false,
      store: loginAttemptStore(deps.db, deps.clock),
      errorResponseBuilder: (_req, ctx) => rateLimited(ctx.ttl / 1000, LOGIN_LIMITED_MESSAGE),
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/auth/login',
      {
        schema: { tags: ['auth'], body: loginBody, response: { 200: whoAmIJson } },
        config: {
          rateLimit: {
            max: throttle.maxPerIp ?? DEFAULT_LOGIN_THROTTLE.maxPerIp,
            timeWindow: throttle.windowMs,
          },
        },
      },
      async (request, reply) => {
        const { email, password } = request.body;
        await assertLoginAttemptAllowed(deps.db, request.ip, email, deps.clock.now(), throttle);
        const user = await checkCredentials(deps, email, password);
        if (!user) throw invalidCredentials();
        await noteLoginSuccess(deps.db, request.ip, email);
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
  });
}
