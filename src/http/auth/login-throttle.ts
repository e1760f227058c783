import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Clock } from '../../clock.ts';
import type { Queryable } from '../../db/db.ts';
import { clearLoginAttempts, refundLoginAttempt, takeLoginAttempt } from '../../db/sessions.ts';
import { rateLimited } from '../errors.ts';
import { hashSecret } from '../../core/auth/secrets.ts';

/**
 * Login rate limiting. Every attempt is counted *before* the password is hashed, by one atomic
 * increment per key whose result decides (so a burst of concurrent attempts cannot all pass a check
 * made before any of them was counted). Three keys, each a fixed window of `windowMs`:
 * - the (client IP, email) pair: `maxFailures`; a successful login clears it;
 * - the email from any address (a password guessed from many IPs): `maxPerEmail`; a successful login
 *   gives its own attempt back;
 * - the client IP across emails (one password tried on many accounts): `maxPerIp`, counted by
 *   @fastify/rate-limit with the store below, before the body is even read.
 * The counters live in Postgres (`login_attempts`, keyed by a hash), so every web process shares them.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  maxPerEmail?: number;
  maxPerIp?: number;
}

export const DEFAULT_LOGIN_THROTTLE = {
  maxFailures: 5,
  maxPerEmail: 20,
  maxPerIp: 100,
  windowMs: 15 * 60 * 1000,
} as const satisfies Required<ThrottlePolicy>;

export const LOGIN_LIMITED_MESSAGE = 'too many login attempts; try again later';

const normalEmail = (email: string): string => email.trim().toLowerCase();
const pairKey = (ip: string, email: string): string => hashSecret(`${ip}\n${normalEmail(email)}`);
const emailKey = (email: string): string => hashSecret(`email\n${normalEmail(email)}`);
const ipKey = (ip: string): string => hashSecret(`ip\n${ip}`);

const openSince = (now: Date, windowMs: number): Date => new Date(now.getTime() - windowMs);

/**
 * Counts this attempt against the pair and the email, then throws 429 (with Retry-After until that
 * window closes) if either is now over its limit. Call it before verifying the password.
 */
export async function assertLoginAttemptAllowed(
  db: Queryable,
  ip: string,
  email: string,
  now: Date,
  policy: ThrottlePolicy,
): Promise<void> {
  const limits: [string, number][] = [
    [pairKey(ip, email), policy.maxFailures],
    [emailKey(email), policy.maxPerEmail ?? DEFAULT_LOGIN_THROTTLE.maxPerEmail],
  ];
  for (const [key, max] of limits) {
    const window = await takeLoginAttempt(db, key, now, openSince(now, policy.windowMs));
    if (window.attempts > max) {
      const closesAt = window.windowStart.getTime() + policy.windowMs;
      throw rateLimited((closesAt - now.getTime()) / 1000, LOGIN_LIMITED_MESSAGE);
    }
  }
}

/** A successful login: the pair starts afresh and the email gets this attempt back. */
export async function noteLoginSuccess(db: Queryable, ip: string, email: string): Promise<void> {
  await clearLoginAttempts(db, pairKey(ip, email));
  await refundLoginAttempt(db, emailKey(email));
}

/**
 * A @fastify/rate-limit store on `login_attempts`, so the per-IP limit is shared by every web process
 * and counted by the same atomic increment as the other login limits. Time comes from `clock`.
 */
export function loginAttemptStore(db: Queryable, clock: Clock): FastifyRateLimitStoreCtor {
  class LoginAttemptStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = clock.now();
      takeLoginAttempt(db, ipKey(key), now, openSince(now, timeWindow)).then(
        (w) =>
          callback(null, {
            current: w.attempts,
            ttl: w.windowStart.getTime() + timeWindow - now.getTime(),
          }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }
    child(): FastifyRateLimitStore {
      return new LoginAttemptStore();
    }
  }
  return LoginAttemptStore;
}
