/**
 * I/O failures are typed. A transient one is retried with backoff; a permanent one goes straight to
 * the dead letter with its reason, because retrying cannot help.
 */
export class TransientError extends Error {
  override name = 'TransientError';
}

export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(
    message: string,
    readonly errorClass: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function describeError(err: unknown): { errorClass: string; message: string } {
  if (err instanceof PermanentError) return { errorClass: err.errorClass, message: err.message };
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.name === 'CoreError') {
    return { errorClass: err.code, message: err.message };
  }
  if (err instanceof Error) return { errorClass: err.name, message: err.message };
  return { errorClass: 'unknown', message: String(err) };
}

/** Shopify said "slow down" (THROTTLED in a 200, or 429): retry after the given wait. */
export class ThrottledError extends TransientError {
  override name = 'ThrottledError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
