import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * JSON schemas of webhook payloads per topic and API version, read from the
 * `shopify-webhook-schemas` package's files on demand.
 */
export type JsonSchema = boolean | { [key: string]: unknown };

const require = createRequire(import.meta.url);
const packageRoot = dirname(require.resolve('shopify-webhook-schemas/package.json'));
const schemaRoot = join(packageRoot, 'schemas');
const cache = new Map<string, JsonSchema>();

/** Versions the package has, oldest first. */
export const SCHEMA_VERSIONS: readonly string[] = readdirSync(schemaRoot)
  .filter((v) => /^\d{4}-\d{2}$/.test(v))
  .sort();

/** The package version to use for `apiVersion`: itself, or the newest one not newer than it (else the oldest). */
export function schemaVersionFor(apiVersion: string): string {
  const older = SCHEMA_VERSIONS.filter((v) => v <= apiVersion);
  const chosen = older[older.length - 1] ?? SCHEMA_VERSIONS[0];
  if (!chosen) throw new Error('shopify-webhook-schemas has no schema versions');
  return chosen;
}

/** The payload schema for a header topic (`products/update`), or undefined if the package lacks it. */
export function payloadSchema(apiVersion: string, topic: string): JsonSchema | undefined {
  const version = schemaVersionFor(apiVersion);
  const key = `${version}/${topic}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const file = join(schemaRoot, version, `${topic}.json`);
  if (!existsSync(file)) return undefined;
  const schema = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  cache.set(key, schema);
  return schema;
}
