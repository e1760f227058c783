import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Config } from '../../config.ts';

export const SESSION_COOKIE = 'retailos_session';
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Secure when configured, or (auto) when this request came over https: directly, or through a trusted
 * proxy's X-Forwarded-Proto (Fastify's request.protocol honours it only when trustProxy is on).
 */
export function isSecure(request: FastifyRequest, setting: Config['secureCookies']): boolean {
  if (setting === 'true') return true;
  if (setting === 'false') return false;
  return request.protocol === 'https';
}

function attributes(request: FastifyRequest, setting: Config['secureCookies']): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: isSecure(request, setting) };
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  setting: Config['secureCookies'],
  sessionId: string,
  expiresAt: Date,
  now: Date,
): void {
  const maxAge = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
  reply.setCookie(SESSION_COOKIE, sessionId, { ...attributes(request, setting), expires: expiresAt, maxAge });
}

export function clearSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  setting: Config['secureCookies'],
): void {
  reply.clearCookie(SESSION_COOKIE, attributes(request, setting));
}
