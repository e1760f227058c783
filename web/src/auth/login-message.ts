import { ApiError } from '../api.ts';
import { formatDuration } from '../format.ts';

/**
 * What the login page says when POST /api/auth/login is refused: a sentence a merchant understands,
 * never the API's bare code. A 429 says when to try again from Retry-After when the server gave it.
 */
export function loginFailureMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.code === 'invalid_credentials') return 'Wrong email or password. Check both and try again.';
  if (error.status === 429 || error.code === 'rate_limited') {
    const wait = error.retryAfterSeconds;
    return wait === null
      ? 'Too many login attempts. Wait a few minutes, then try again.'
      : `Too many login attempts. Try again in ${formatDuration(wait)}.`;
  }
  return error.message ? error.message.charAt(0).toUpperCase() + error.message.slice(1) : error.code;
}
