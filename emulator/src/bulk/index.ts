/**
 * Bulk query operations (reference §5). Public API:
 *
 * - `createBulkOperations({ clock, dataDir, baseUrl, signingSecret, execute, scheduler?, pageSize? })`
 *   → `BulkOperations` (runQuery, cancel, get, current, list, onFinish, whenIdle).
 *   `execute` (wired by the composition root to A's executor) runs one page document in
 *   bulk mode (`ExecuteOptions.bulkMode: true`) for the caller's shop/app/scopes/version.
 * - `bulkRootResolvers(operations)` → A's `RootResolvers` for `bulkOperation`,
 *   `currentBulkOperation`, `bulkOperationRunQuery`, `bulkOperationCancel`.
 * - `onFinish(listener)` → B turns each event into the `bulk_operations/finish` webhook
 *   (`event.webhookPayload` is the body).
 * - `resolveBulkDownload` / `bulkDownloadHandler` → B mounts them at
 *   `GET ${BULK_DOWNLOAD_PREFIX}:file` (`/_emulator/bulk/<id>.jsonl?expires=…&signature=…`).
 * - `createStepScheduler()` lets tests advance a run chunk by chunk; `whenIdle()` runs to the end.
 */
export {
  analyzeBulkQuery,
  MAX_BULK_CONNECTIONS,
  MAX_BULK_DEPTH,
  type BulkQueryPlan,
} from './analyze-query.ts';
export { bulkDownloadHandler, resolveBulkDownload, type DownloadResponse } from './download.ts';
export { flattenPage } from './flatten.ts';
export { bulkRootResolvers } from './graphql-resolvers.ts';
export {
  RESULT_LIFETIME_SECONDS,
  bulkOperationGid,
  finishWebhookPayload,
  type BulkFinishWebhookPayload,
  type BulkOperationStatus,
  type BulkOperationType,
  type BulkOperationView,
} from './operation.ts';
export {
  concurrentQueryLimit,
  createBulkOperations,
  parseBulkOperationId,
  type BulkCaller,
  type BulkFinishEvent,
  type BulkFinishListener,
  type BulkOperations,
  type BulkOptions,
  type BulkPayload,
  type BulkUserError,
} from './registry.ts';
export type { BulkPageExecutor, BulkPageRequest } from './runner.ts';
export { createStepScheduler, immediateScheduler, type Scheduler, type StepScheduler } from './scheduler.ts';
export { BULK_DOWNLOAD_PREFIX, checkDownloadUrl, signDownloadUrl } from './signed-url.ts';
