import type { FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../deps.ts';
import { findActiveTokenCached, touchApiToken } from '../../db/api-tokens.ts';
import { findActiveSession } from '../../db/sessions.ts';
import { csrfInvalid, unauthenticated } from '../errors.ts';
import type { RequestAuth } from './request-auth.ts';
import { API_TOKEN_PREFIX, hashSecret, safeEqual } from '../../core/auth/secrets.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** last_used_at is rewritten at most this often per token. */
const TOKEN_TOUCH_MS = 60_000;

type AuthDeps = Pick<CoreDeps, 'db' | 'clock'>;

async function fromBearer(deps: AuthDeps, header: string): Promise<RequestAuth> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const token = match?.[1];
  if (!token?.startsWith(API_TOKEN_PREFIX))
    throw unauthenticated('malformed Authorization header; use Bearer rtl_…');
  const now = deps.clock.now();
  const owner = await findActiveTokenCached(deps.db, hashSecret(token), now);
  if (!owner) throw unauthenticated('the API token is unknown or revoked');
  // Skip the write (a round trip) while last_used_at is fresh; touchApiToken re-checks in SQL.
  if (!owner.lastUsedAt || now.getTime() - owner.lastUsedAt.getTime() >= TOKEN_TOUCH_MS) {
    await touchApiToken(deps.db, owner.tokenId, now, TOKEN_TOUCH_MS);
  }
  return {
    tenantId: owner.tenantId,
    userId: owner.userId,
    role: owner.role,
    via: 'token',
    tokenId: owner.tokenId,
  };
}

async function fromSession(deps: AuthDeps, sessionId: string): Promise<RequestAuth> {
  const session = await findActiveSession(deps.db, hashSecret(sessionId), deps.clock.now());
  if (!session) throw unauthenticated('the session has expired or ended; log in again');
  return {
    tenantId: session.tenantId,
    userId: session.userId,
    role: session.role,
    via: 'session',
    sessionIdHash: session.idHash,
    csrfToken: session.csrfSecret,
  };
}

/** Cookie-authenticated writes must echo the session's CSRF token; bearer tokens are exempt. */
function checkCsrf(request: FastifyRequest, auth: RequestAuth): void {
  if (auth.via !== 'session' || SAFE_METHODS.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !safeEqual(sent, auth.csrfToken)) throw csrfInvalid();
}

/**
 * The onRequest hook of the authenticated scope (runs before the body is read): a Bearer API token
 * wins over a session cookie; no credentials → 401; then CSRF for cookie-authenticated writes.
 */
export function authenticate(deps: AuthDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const sessionId = request.cookies[SESSION_COOKIE];
    let auth: RequestAuth;
    if (header) auth = await fromBearer(deps, header);
    else if (sessionId) auth = await fromSession(deps, sessionId);
    else throw unauthenticated();
    checkCsrf(request, auth);
    request.auth = auth;
  };
}
