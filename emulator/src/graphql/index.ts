/**
 * Admin GraphQL on Shopify's real schema.
 *
 * Pipeline (each step exported so the HTTP layer can insert cost/throttle):
 *   1. `resolveApiVersion(urlVersion)` → supported version or null (404)
 *   2. `prepareAdminRequest({ version, query, variables, operationName })`
 *      → `{ ok: true, prepared }` (parsed + validated, cached) or `{ ok: false, status, body }`
 *      with Shopify-shaped validation errors (`undefinedField`, `missingRequiredArguments`, …)
 *   3. cost check on `prepared.document` / `prepared.operation` (cost helper)
 *   4. `executePrepared(prepared, { store, shop, appKey, scopes, rootResolvers?, bulkMode? })`
 *      → `{ data, errors?, extensions? }`
 * or all at once: `executeAdminGraphQL({ ...options, version, query, beforeExecute?, afterExecute? })`.
 *
 * Fields the emulator does not implement answer an error with
 * `extensions.code: 'NOT_IMPLEMENTED_IN_EMULATOR'` naming the field.
 * Bulk operations plug in via `rootResolvers` (query: bulkOperation, currentBulkOperation,
 * bulkOperations; mutation: bulkOperationRunQuery, bulkOperationCancel, …).
 */
export { executeAdminGraphQL, type AdminGraphQLInput, type AdminGraphQLResponse } from './admin.ts';
export { executePrepared } from './execute.ts';
export {
  parseAndValidate,
  prepareAdminRequest,
  type AdminRequest,
  type PreparedRequest,
  type PrepareResult,
} from './prepare.ts';
export {
  loadAdminSchema,
  resolveApiVersion,
  SUPPORTED_VERSIONS,
  versionAtLeast,
  type ApiVersion,
} from './schema.ts';
export {
  hasScope,
  type ExecContext,
  type ExecuteOptions,
  type RootResolver,
  type RootResolvers,
} from './context.ts';
export {
  accessDenied,
  NOT_IMPLEMENTED,
  notImplemented,
  requestError,
  toShopifyError,
  type GraphQLResponseBody,
  type ShopifyError,
} from './errors.ts';
export { decodeCursor, encodeCursor, MAX_PAGE_SIZE } from './connection.ts';
