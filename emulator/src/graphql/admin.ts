import type { ExecuteOptions } from './context.ts';
import type { GraphQLResponseBody } from './errors.ts';
import { executePrepared } from './execute.ts';
import { prepareAdminRequest, type PreparedRequest } from './prepare.ts';
import { resolveApiVersion } from './schema.ts';

export interface AdminGraphQLInput extends ExecuteOptions {
  /** Version from the URL; unsupported old versions fall forward, unknown → 404. */
  version: string;
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /**
   * Runs between validation and execution (cost check, throttle). Return a response to
   * stop there (e.g. THROTTLED); return undefined to go on.
   */
  beforeExecute?: (prepared: PreparedRequest) => AdminGraphQLResponse | undefined;
  /** Runs after execution (actual cost, `extensions.cost`); may replace the response. */
  afterExecute?: (prepared: PreparedRequest, response: AdminGraphQLResponse) => AdminGraphQLResponse;
}

export interface AdminGraphQLResponse {
  status: number;
  body: GraphQLResponseBody | { errors: Record<string, string> | string };
  /** The version actually served (for `X-Shopify-API-Version`). */
  version?: string;
}

/** Whole pipeline for one Admin GraphQL request: version → parse/validate → hooks → execute. */
export async function executeAdminGraphQL(input: AdminGraphQLInput): Promise<AdminGraphQLResponse> {
  const version = resolveApiVersion(input.version);
  if (!version) return { status: 404, body: { errors: 'Not Found' } };
  const prepared = prepareAdminRequest({
    version,
    query: input.query,
    variables: input.variables ?? null,
    operationName: input.operationName ?? null,
  });
  if (!prepared.ok) return { status: prepared.status, body: prepared.body, version };
  const stop = input.beforeExecute?.(prepared.prepared);
  if (stop) return { ...stop, version };
  const body = await executePrepared(prepared.prepared, input);
  const response: AdminGraphQLResponse = { status: 200, body, version };
  return input.afterExecute ? input.afterExecute(prepared.prepared, response) : response;
}
