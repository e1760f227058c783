import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

/** Admin API versions the emulator serves, oldest first. */
export const SUPPORTED_VERSIONS = ['2026-01', '2026-04', '2026-07', '2026-10'] as const;
export type ApiVersion = (typeof SUPPORTED_VERSIONS)[number];

const OLDEST: ApiVersion = SUPPORTED_VERSIONS[0];
const NEWEST: ApiVersion = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1] ?? OLDEST;

/**
 * The version Shopify would serve for a requested one: supported versions as is;
 * an older (unsupported) `YYYY-MM` quarter falls forward to the oldest supported;
 * `unstable` → newest. Returns null for anything else (not a version, or a future one),
 * which the HTTP layer answers with 404.
 */
export function resolveApiVersion(requested: string): ApiVersion | null {
  if ((SUPPORTED_VERSIONS as readonly string[]).includes(requested)) return requested as ApiVersion;
  if (requested === 'unstable') return NEWEST;
  if (!/^\d{4}-(01|04|07|10)$/.test(requested)) return null;
  return requested < OLDEST ? OLDEST : null;
}

/** True when `version` is at least `min` (both `YYYY-MM`). */
export function versionAtLeast(version: string, min: string): boolean {
  return version >= min;
}

const cache = new Map<string, GraphQLSchema>();

/** Shopify's real Admin schema for a supported version (loaded once, then cached). */
export function loadAdminSchema(version: ApiVersion): GraphQLSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  const file = new URL(`../../data/admin_${version}.json.gz`, import.meta.url);
  const json = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
    data?: IntrospectionQuery;
  } & IntrospectionQuery;
  const schema = buildClientSchema(json.data ?? json, { assumeValid: true });
  cache.set(version, schema);
  return schema;
}
