import { describe, expect, it } from 'vitest';
import {
  badRequest,
  conflict,
  csrfInvalid,
  ERROR_STATUS,
  HttpError,
  notFound,
  rateLimited,
  unauthenticated,
  unprocessable,
} from './errors.ts';

describe('HttpError helpers', () => {
  it.each([
    [badRequest('x'), 400, 'bad_request'],
    [badRequest('x', undefined, 'invalid_cursor'), 400, 'invalid_cursor'],
    [unauthenticated(), 401, 'unauthenticated'],
    [csrfInvalid(), 403, 'csrf_invalid'],
    [notFound(), 404, 'not_found'],
    [conflict('duplicate_sku', 'x'), 409, 'duplicate_sku'],
    [unprocessable('unknown_variant', 'x'), 422, 'unknown_variant'],
    [rateLimited(1), 429, 'rate_limited'],
  ])('%# has the status of its kind and its code', (err, status, code) => {
    expect(err.status).toBe(status);
    expect(err.toBody().error.code).toBe(code);
  });

  it('omits details when there are none', () => {
    expect(notFound('gone').toBody()).toEqual({ error: { code: 'not_found', message: 'gone' } });
  });

  it('refuses a code that is not snake_case', () => {
    expect(() => conflict('DuplicateSku', 'x')).toThrow('must be snake_case');
    expect(() => new HttpError('conflict', 'dup-sku', 'x')).toThrow('must be snake_case');
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(rateLimited(0.2).headers['retry-after']).toBe('1');
    expect(rateLimited(59.01).headers['retry-after']).toBe('60');
  });

  it('every listed code has a 4xx or 5xx status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status >= 400 && status < 600).toBe(true);
  });
});
