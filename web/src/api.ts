/**
 * The JSON API client: same-origin fetch with the session cookie, the CSRF token on writes, and every
 * failure turned into an ApiError carrying the server's `{ error: { code, message, details } }`.
 */

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds to wait before trying again, from a 429/503's Retry-After header; null when not given. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** Retry-After as seconds: either delta-seconds or an HTTP date (relative to `now`); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: Date = new Date()): number | null {
  if (header === null || header.trim() === '') return null;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

let csrfToken: string | null = null;

/** Remembered from login or /api/auth/me; sent as X-CSRF-Token on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let unauthenticated: () => void = () => undefined;

/** Called when a request other than login answers 401: the session ended, so the app returns to the login page. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticated = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

function isErrorBody(v: unknown): v is { error: { code: string; message: string; details?: unknown } } {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';
}

async function toApiError(res: Response): Promise<ApiError> {
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const retryAfter = retryAfterSeconds(res.headers.get('retry-after'));
  if (isErrorBody(parsed))
    return new ApiError(
      res.status,
      parsed.error.code,
      parsed.error.message,
      parsed.error.details,
      retryAfter,
    );
  return new ApiError(
    res.status,
    `http_${res.status}`,
    `The server answered ${res.status} ${res.statusText}`.trim(),
    undefined,
    retryAfter,
  );
}

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (cause) {
    const err = new ApiError(
      0,
      'network_error',
      'Could not reach the Retailos server. Check the connection and try again.',
    );
    err.cause = cause;
    throw err;
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && path !== '/api/auth/login') unauthenticated();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
