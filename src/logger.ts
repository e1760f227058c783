import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

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

export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, name = 'retailos'): Logger {
  const pretty =
    config.logFormat === 'pretty' || (config.logFormat === undefined && process.stdout.isTTY === true);
  return pino({
    name,
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } } }
      : {}),
  });
}
