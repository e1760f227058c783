/** A bulk operation's record and the two faces it shows: the GraphQL `BulkOperation` and the webhook body. */

export type StoredStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED';
export type BulkOperationStatus = StoredStatus | 'EXPIRED';
export type BulkOperationErrorCode = 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT';
export type BulkOperationType = 'QUERY' | 'MUTATION';

/** Result files (and their URLs) live 7 days after the operation finished. */
export const RESULT_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

export interface BulkOperationRecord {
  readonly id: number;
  readonly shop: string;
  readonly appKey: string;
  readonly type: BulkOperationType;
  readonly query: string;
  /** Epoch seconds. */
  readonly createdAt: number;
  /** Epoch milliseconds (the control API shows them; Shopify shows seconds). */
  readonly createdAtMs: number;
  status: StoredStatus;
  errorCode: BulkOperationErrorCode | null;
  completedAt: number | null;
  completedAtMs: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** Result file on disk, once the runner opened it. */
  filePath: string | null;
  /** True when a finished file is downloadable (complete, or partial data of a failure). */
  hasResult: boolean;
  cancelRequested: boolean;
  /** Why it failed, for the emulator's log (Shopify shows only `errorCode`). */
  failure: string | null;
}

/** `BulkOperation` as the Admin API returns it; UnsignedInt64 fields are strings. */
export interface BulkOperationView {
  readonly id: string;
  readonly status: BulkOperationStatus;
  readonly errorCode: BulkOperationErrorCode | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly objectCount: string;
  readonly rootObjectCount: string;
  readonly fileSize: string | null;
  readonly url: string | null;
  readonly partialDataUrl: string | null;
  readonly query: string;
  readonly type: BulkOperationType;
}

export function bulkOperationGid(id: number): string {
  return `gid://shopify/BulkOperation/${id}`;
}

export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isInProgress(record: BulkOperationRecord): boolean {
  return record.status === 'CREATED' || record.status === 'RUNNING' || record.status === 'CANCELING';
}

export function isExpired(record: BulkOperationRecord, nowSeconds: number): boolean {
  if (record.completedAt === null) return false;
  if (record.status !== 'COMPLETED' && record.status !== 'FAILED') return false;
  return nowSeconds >= record.completedAt + RESULT_LIFETIME_SECONDS;
}

export function expiresAt(record: BulkOperationRecord): number | null {
  return record.completedAt === null ? null : record.completedAt + RESULT_LIFETIME_SECONDS;
}

/** `signUrl` builds the download URL for a record with a result file. */
export function toView(
  record: BulkOperationRecord,
  nowSeconds: number,
  signUrl: (record: BulkOperationRecord) => string,
): BulkOperationView {
  const expired = isExpired(record, nowSeconds);
  const link = record.hasResult && !expired ? signUrl(record) : null;
  return {
    id: bulkOperationGid(record.id),
    status: expired ? 'EXPIRED' : record.status,
    errorCode: record.errorCode,
    createdAt: isoSeconds(record.createdAt),
    completedAt: record.completedAt === null ? null : isoSeconds(record.completedAt),
    objectCount: String(record.objectCount),
    rootObjectCount: String(record.rootObjectCount),
    fileSize: record.fileSize === null ? null : String(record.fileSize),
    url: record.status === 'COMPLETED' ? link : null,
    partialDataUrl: record.status === 'FAILED' ? link : null,
    query: record.query,
    type: record.type,
  };
}

/** The `bulk_operations/finish` webhook body: lower-case status/type/error_code. */
export interface BulkFinishWebhookPayload {
  readonly admin_graphql_api_id: string;
  readonly completed_at: string | null;
  readonly created_at: string;
  readonly error_code: string | null;
  readonly status: string;
  readonly type: string;
}

export function finishWebhookPayload(view: BulkOperationView): BulkFinishWebhookPayload {
  return {
    admin_graphql_api_id: view.id,
    completed_at: view.completedAt,
    created_at: view.createdAt,
    error_code: view.errorCode === null ? null : view.errorCode.toLowerCase(),
    status: view.status.toLowerCase(),
    type: view.type.toLowerCase(),
  };
}

export interface BulkUserError {
  readonly field: readonly string[] | null;
  readonly message: string;
  /** `BulkOperationUserErrorCode` for queries, `BulkMutationErrorCode` for mutations. */
  readonly code?:
    | 'INVALID'
    | 'OPERATION_IN_PROGRESS'
    | 'LIMIT_REACHED'
    | 'INVALID_MUTATION'
    | 'INVALID_STAGED_UPLOAD_FILE'
    | 'NO_SUCH_FILE'
    | null;
}
