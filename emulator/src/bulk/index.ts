/**
 * Bulk query and mutation operations (reference §5). Public API:
 *
 * - `createBulkOperations({ clock, dataDir, baseUrl, signingSecret, execute, scheduler?, pageSize?, pace?, setTimer? })`
 *   → `BulkOperations` (runQuery, cancel, get, current, list, onFinish, whenIdle).
 *   `execute` (wired by the composition root to A's executor) runs one page document in
 *   bulk mode (`ExecuteOptions.bulkMode: true`) for the caller's shop/app/scopes/version.
 * - `bulkRootResolvers(operations)` → A's `RootResolvers` for `bulkOperation`,
 *   `currentBulkOperation`, `bulkOperationRunQuery`, `bulkOperationCancel`.
 * - `onFinish(listener)` → B turns each event into the `bulk_operations/finish` webhook
 *   (`event.webhookPayload` is the body).
 * - `resolveBulkDownload` / `bulkDownloadHandler` → B mounts them at
 *   `GET ${BULK_DOWNLOAD_PREFIX}:file` (`/_emulator/bulk/<id>.jsonl?expires=…&signature=…`).
 * - `runMutation(caller, mutation, stagedUploadPath)` runs the mutation once per line of a file staged
 *   with `createStagedUploads` (`stagedUploadsCreate`, served at `STAGED_UPLOAD_PATH`); result lines
 *   `{"data": …, "__lineNumber": N}` in input order.
 * - `createStepScheduler()` lets tests advance a run chunk by chunk; `whenIdle()` runs to the end.
 * - `pace` (objects per second per operation) paces exports on the clock (pace.ts); `kick()` after
 *   the clock moves, `settled()` until every paced run waits for the clock again.
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
  type BulkOperationRecord,
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
export {
  createClockAlarms,
  exportedAtMs,
  isValidPace,
  realTimer,
  type BulkPace,
  type ClockAlarms,
  type SetTimer,
} from './pace.ts';
export type { BulkPageExecutor, BulkPageRequest } from './runner.ts';
export { createStepScheduler, immediateScheduler, type Scheduler, type StepScheduler } from './scheduler.ts';
export { BULK_DOWNLOAD_PREFIX, checkDownloadUrl, signDownloadUrl } from './signed-url.ts';
export {
  checkBulkMutation,
  NO_SUCH_FILE_MESSAGE,
  NOT_JSONL_MESSAGE,
  parseVariablesFile,
} from './mutation-check.ts';
export {
  createStagedUploads,
  MAX_BULK_VARIABLES_BYTES,
  STAGED_UPLOAD_PATH,
  type StagedTarget,
  type StagedUploadInput,
  type StagedUploads,
  type UploadReply,
} from './staged-uploads.ts';
