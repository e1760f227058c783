import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer secrets (session ids, API tokens, CSRF tokens). Only the SHA-256 of a session id or API
 * token is stored, so a database read does not hand out live credentials. Randomness is passed in.
 */
export const API_TOKEN_PREFIX = 'rtl_';

export function newSecret(randomBytes: (n: number) => Buffer, bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function newApiToken(randomBytes: (n: number) => Buffer): string {
  return `${API_TOKEN_PREFIX}${newSecret(randomBytes)}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time string equality (lengths may leak, contents do not). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
