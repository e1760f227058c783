import type { Queryable } from '../../db/db.ts';
import { clearLoginFailures, getLoginFailures, recordLoginFailure } from '../../db/sessions.ts';
import { rateLimited } from '../errors.ts';
import { hashSecret } from './secrets.ts';

/**
 * Login rate limiting per (client IP, email): after `maxFailures` failed attempts within `windowMs`,
 * further attempts answer 429 with Retry-After until the window closes. The counters live in Postgres,
 * so every web process shares them; a successful login clears them.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60 * 1000 };

export function throttleKey(ip: string, email: string): string {
  return hashSecret(`${ip}\n${email.trim().toLowerCase()}`);
}

const openSince = (now: Date, policy: ThrottlePolicy): Date => new Date(now.getTime() - policy.windowMs);

/** Throws 429 when the key has used up its failures in the open window. */
export async function assertLoginAllowed(
  db: Queryable,
  key: string,
  now: Date,
  policy: ThrottlePolicy,
): Promise<void> {
  const window = await getLoginFailures(db, key, openSince(now, policy));
  if (window.failures < policy.maxFailures) return;
  const closesAt = window.windowStart.getTime() + policy.windowMs;
  throw rateLimited((closesAt - now.getTime()) / 1000, 'too many failed logins; try again later');
}

export async function noteLoginFailure(
  db: Queryable,
  key: string,
  now: Date,
  policy: ThrottlePolicy,
): Promise<void> {
  await recordLoginFailure(db, key, now, openSince(now, policy));
}

export async function noteLoginSuccess(db: Queryable, key: string): Promise<void> {
  await clearLoginFailures(db, key);
}
