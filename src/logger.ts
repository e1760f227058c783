import pino, { stdSerializers, type Logger } from 'pino';
import type { Config } from './config.ts';
import { isDatabaseError, redactDatabaseFields, redactedDatabaseMessage } from './db/redact-error.ts';

/** Paths never logged in clear: credentials, cookies, tokens, secrets. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-shopify-access-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.apiSecret',
  '*.secretKey',
  '*.token',
];

const HIDDEN = '[redacted]';

/**
 * A request URL as logged: the path, and the query's names without their values. Values are where
 * secrets and personal data travel (Shopify's OAuth callback brings code, state and hmac; a search
 * brings a customer's e-mail).
 */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split('&')
    .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=${HIDDEN}` : pair));
  return `${url.slice(0, at)}?${names.join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/** Fastify's request serializer, with the URL redacted. */
function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

function causes(err: Error): Error[] {
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 10 && !chain.includes(e); e = e.cause) {
    chain.push(e);
  }
  return chain;
}

/**
 * pino's error serializer, without the row values a database error carries (see db/redact-error.ts):
 * in the error itself, in its causes' messages folded into message and stack, and in errors nested
 * under other keys.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const e of causes(err).filter(isDatabaseError)) {
    const safe = redactedDatabaseMessage(e);
    if (safe === e.message) continue;
    for (const key of ['message', 'stack'] as const) {
      if (typeof out[key] === 'string') out[key] = out[key].replaceAll(e.message, safe);
    }
  }
  if (isDatabaseError(err)) redactDatabaseFields(out);
  // Errors under other keys and an AggregateError's errors were serialized above; their originals are
  // at `.raw`.
  const nested = Object.values(out).flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]));
  for (const value of nested) {
    if (typeof value === 'object' && value !== null && isDatabaseError((value as { raw?: unknown }).raw)) {
      redactDatabaseFields(value as Record<string, unknown>);
    }
  }
  return out;
}

export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  name = 'retailos',
  /** Where JSON lines go; stdout when absent (tests pass a stream to read them). */
  destination?: pino.DestinationStream,
): Logger {
  const pretty =
    destination === undefined &&
    (config.logFormat === 'pretty' || (config.logFormat === undefined && process.stdout.isTTY === true));
  const options: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: HIDDEN },
    serializers: { err: serializeError, req: serializeRequest },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
