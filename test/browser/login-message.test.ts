import { describe, expect, it } from 'vitest';
import { ApiError, retryAfterSeconds } from '../../web/src/api.ts';
import { loginFailureMessage } from '../../web/src/auth/login-message.ts';

describe('the login page’s message for a refused login', () => {
  it('says a wrong password in words, without the API’s code', () => {
    const msg = loginFailureMessage(new ApiError(401, 'invalid_credentials', 'wrong email or password'));
    expect(msg).toBe('Wrong email or password. Check both and try again.');
    expect(msg).not.toContain('invalid_credentials');
  });

  it('says when to try again after too many attempts, from Retry-After', () => {
    const err = new ApiError(429, 'rate_limited', 'too many login attempts; try again later', {}, 125);
    expect(loginFailureMessage(err)).toBe('Too many login attempts. Try again in 2 min 5 s.');
  });

  it('still says to wait when the 429 gives no Retry-After', () => {
    const err = new ApiError(429, 'rate_limited', 'too many login attempts; try again later');
    expect(loginFailureMessage(err)).toBe('Too many login attempts. Wait a few minutes, then try again.');
  });

  it('shows any other refusal’s message as a sentence', () => {
    expect(loginFailureMessage(new ApiError(400, 'validation_failed', 'email is required'))).toBe(
      'Email is required',
    );
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['120', 120],
    [' 7 ', 7],
    ['Thu, 01 Jan 2026 00:01:30 GMT', 90],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', null],
    ['', null],
  ])('%j is %j seconds', (header, seconds) => {
    expect(retryAfterSeconds(header, now)).toBe(seconds);
  });
  it('is null when absent', () => expect(retryAfterSeconds(null, now)).toBeNull());
});
