/**
 * The closed list of error codes the HTTP API answers with, and their statuses. Every error body has
 * the shape `{ "error": { "code": "snake_case", "message": "…", "details"?: … } }`.
 *
 * Routes throw an HttpError (through the helpers below) or let a CoreError from src/core propagate;
 * the error handler (plugins/error-handler.ts) turns both into that shape. Anything else is a bug: it
 * is logged with its cause and answered as 500 internal without internals.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_invalid: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  /**
   * `kind` is the generic code that decides the status; `code` may refine it for the client
   * (`duplicate_sku` is a `conflict`) and must be snake_case.
   */
  constructor(
    readonly kind: ErrorCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    if (!SNAKE.test(code)) throw new Error(`error code ${JSON.stringify(code)} must be snake_case`);
    this.status = ERROR_STATUS[kind];
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

export const badRequest = (message: string, details?: unknown, code = 'bad_request'): HttpError =>
  new HttpError('bad_request', code, message, details);

export const unauthenticated = (message = 'authentication required'): HttpError =>
  new HttpError('unauthenticated', 'unauthenticated', message);

export const forbidden = (message = 'not allowed', code = 'forbidden'): HttpError =>
  new HttpError('forbidden', code, message);

export const csrfInvalid = (): HttpError =>
  new HttpError('csrf_invalid', 'csrf_invalid', 'missing or wrong X-CSRF-Token header');

export const notFound = (message = 'not found', details?: unknown): HttpError =>
  new HttpError('not_found', 'not_found', message, details);

/** `conflict('duplicate_sku', 'two variants share a SKU', { skus })` → 409 with that code. */
export const conflict = (code: string, message: string, details?: unknown): HttpError =>
  new HttpError('conflict', code, message, details);

/** 422 with a specific code, e.g. `unprocessable('unknown_variant', …)`. */
export const unprocessable = (code: string, message: string, details?: unknown): HttpError =>
  new HttpError('validation_failed', code, message, details);

export const rateLimited = (
  retryAfterSeconds: number,
  message = 'too many attempts; try again later',
): HttpError => {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new HttpError(
    'rate_limited',
    'rate_limited',
    message,
    { retry_after_seconds: seconds },
    {
      'retry-after': String(seconds),
    },
  );
};

export const unavailable = (message: string, details?: unknown): HttpError =>
  new HttpError('unavailable', 'unavailable', message, details);
