import { z } from 'zod';

/**
 * Every setting, declared once: its environment variable, schema, default, description and whether it
 * is a secret (secrets are redacted wherever config is printed or logged).
 */
interface Setting<S extends z.ZodType> {
  env: string;
  schema: S;
  description: string;
  secret?: boolean;
}

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z.string().min(1).optional();

export const SETTINGS = {
  port: { env: 'PORT', schema: port.default(3000), description: 'HTTP port' },
  host: { env: 'HOST', schema: z.string().min(1).default('127.0.0.1'), description: 'HTTP bind address' },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    description: 'Postgres connection string; when unset, embedded PGlite in the data folder is used',
    secret: true,
  },
  dataDir: {
    env: 'RETAILOS_DATA_DIR',
    schema: z.string().min(1).default('./.retailos'),
    description: 'Folder for embedded data (PGlite in <dir>/db, generated secret key)',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    description: 'Log level',
  },
  logFormat: {
    env: 'LOG_FORMAT',
    schema: z.enum(['json', 'pretty']).optional(),
    description: 'json (default when not a terminal) or pretty',
  },
  adminEmail: {
    env: 'RETAILOS_ADMIN_EMAIL',
    schema: z.email().default('admin@retailos.local'),
    description: 'Owner created on first start',
  },
  adminPassword: {
    env: 'RETAILOS_ADMIN_PASSWORD',
    schema: z.string().min(12).optional(),
    description: 'Password of the first owner; generated and printed once when unset',
    secret: true,
  },
  secretKey: {
    env: 'RETAILOS_SECRET_KEY',
    schema: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be 64 hex characters (32 bytes)')
      .optional(),
    description: 'AES-256-GCM key for secrets at rest; generated into the data folder when unset',
    secret: true,
  },
  secureCookies: {
    env: 'RETAILOS_SECURE_COOKIES',
    schema: z.enum(['auto', 'true', 'false']).default('auto'),
    description: 'Secure flag on the session cookie: auto = when the request came over https',
  },
  trustProxy: {
    env: 'RETAILOS_TRUST_PROXY',
    schema: z.enum(['true', 'false']).default('false'),
    description: 'Trust X-Forwarded-* headers (behind a TLS-terminating proxy)',
  },
  workerConcurrency: {
    env: 'RETAILOS_WORKER_CONCURRENCY',
    schema: z.coerce.number().int().min(1).max(64).default(4),
    description: 'Jobs handled at once per queue in a worker process',
  },
  shutdownTimeoutMs: {
    env: 'RETAILOS_SHUTDOWN_TIMEOUT_MS',
    schema: z.coerce.number().int().min(0).default(20_000),
    description: 'How long SIGTERM waits for in-flight requests and jobs to drain',
  },
  appUrl: {
    env: 'APP_URL',
    schema: z.url().optional(),
    description: 'Public URL of this server (Shopify redirects and webhooks)',
  },
  shopifyApiKey: { env: 'SHOPIFY_API_KEY', schema: optionalText, description: 'Shopify app client id' },
  shopifyApiSecret: {
    env: 'SHOPIFY_API_SECRET',
    schema: optionalText,
    description: 'Shopify app client secret',
    secret: true,
  },
  shopifyShopOrigin: {
    env: 'SHOPIFY_SHOP_ORIGIN',
    schema: z
      .string()
      .regex(/^https?:\/\/[^\s]*\{shop\}[^\s]*$/, 'must be a URL containing {shop}, e.g. https://{shop}')
      .default('https://{shop}'),
    description:
      'Shop-origin template: https://{shop} for Shopify, http://127.0.0.1:PORT/shops/{shop} for the emulator',
  },
  shopifyApiVersion: {
    env: 'SHOPIFY_API_VERSION',
    schema: z
      .string()
      .regex(/^\d{4}-(01|04|07|10)$/, 'must be a Shopify API version like 2026-04')
      .default('2026-04'),
    description: 'Pinned Admin API version for GraphQL calls and webhook subscriptions',
  },
  demoShopify: {
    env: 'RETAILOS_DEMO_SHOPIFY',
    schema: z.enum(['auto', 'off']).default('auto'),
    description:
      'auto: without SHOPIFY_API_KEY/SECRET, `start` runs the Shopify emulator with a seeded demo store',
  },
  shopifyImportMode: {
    env: 'SHOPIFY_IMPORT_MODE',
    schema: z.enum(['auto', 'bulk', 'paged']).default('auto'),
    description:
      'Initial import: bulk operations, page by page within the cost budget, or auto (paged for small stores and where Shopify refuses bulk operations)',
  },
  shopifyImportRangeTail: {
    env: 'SHOPIFY_IMPORT_RANGE_TAIL',
    schema: z.coerce.number().int().min(1).optional(),
    description:
      'Initial import: records in the last Shopify id range of a large products, customers or orders export (each range before it 1/0.7 as large); unset: one batch (500)',
  },
  shopifyPushQuietMs: {
    env: 'SHOPIFY_PUSH_QUIET_MS',
    schema: z.coerce.number().int().min(0).max(10_000).default(150),
    description:
      'A push waits until its record has had no new edit for this long (ms), so a burst of edits makes one Shopify call; 0 pushes at once',
  },
  shopifyReadAllOrders: {
    env: 'SHOPIFY_READ_ALL_ORDERS',
    schema: z.enum(['true', 'false']).optional(),
    description:
      'Also request read_all_orders (orders older than 60 days; Shopify must have granted it to the app). Unset: false with real Shopify, true for the demo store (its app is granted it)',
  },
} as const satisfies Record<string, Setting<z.ZodType>>;

export type Config = { [K in keyof typeof SETTINGS]: z.output<(typeof SETTINGS)[K]['schema']> };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment (plus CLI overrides); the message names every bad setting. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Record<keyof Config, string>> = {},
): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, setting] of Object.entries(SETTINGS) as [keyof Config, Setting<z.ZodType>][]) {
    const raw = overrides[key] ?? env[setting.env];
    const parsed = setting.schema.safeParse(raw === '' ? undefined : raw);
    if (parsed.success) out[key] = parsed.data;
    else {
      const shown = setting.secret ? '(secret, not shown)' : JSON.stringify(raw);
      problems.push(`${setting.env}=${shown}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return out as Config;
}

/** The config with secrets replaced, for logs and `--help`. */
export function redactConfig(config: Config): Record<string, unknown> {
  return Object.fromEntries(
    (Object.keys(SETTINGS) as (keyof Config)[]).map((key) => {
      const setting: Setting<z.ZodType> = SETTINGS[key];
      return [key, setting.secret && config[key] !== undefined ? '[redacted]' : config[key]];
    }),
  );
}

export function describeSettings(): string {
  return (Object.keys(SETTINGS) as (keyof Config)[])
    .map((key) => {
      const s: Setting<z.ZodType> = SETTINGS[key];
      return `  ${s.env.padEnd(30)} ${s.description}${s.secret ? ' (secret)' : ''}`;
    })
    .join('\n');
}
