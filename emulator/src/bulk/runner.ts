/**
 * Runs one bulk query: pages the root connection through the normal execution path (bulk
 * mode), flattens each page to JSONL and appends it to the result file with backpressure,
 * so memory holds one page at a time whatever the export size. Between pages it yields to
 * the scheduler, which is when status polls see RUNNING with a growing objectCount, and
 * when a cancel takes effect. With a pace (pace.ts), a page's objects are counted only when
 * the clock reaches the time they are due, so the export takes objects ÷ pace seconds.
 */
import { rm } from 'node:fs/promises';
import type { DocumentNode } from 'graphql';
import type { ApiVersion } from '../graphql/schema.ts';
import type { BulkQueryPlan } from './analyze-query.ts';
import { flattenPage } from './flatten.ts';
import { exportedAtMs, type BulkPace, type ClockAlarms } from './pace.ts';
import { openJsonlFile, type JsonlFile } from './jsonl-file.ts';
import type { BulkOperationErrorCode, BulkOperationRecord } from './operation.ts';
import { AFTER_VARIABLE, PAGE_INFO_KEY, PAGE_SIZE_VARIABLE } from './rewrite.ts';
import type { Scheduler } from './scheduler.ts';

/** One page request for the GraphQL executor (owner A): execute `document` in bulk mode for this app and shop. */
export interface BulkPageRequest {
  readonly shop: string;
  readonly appKey: string;
  readonly scopes: readonly string[];
  readonly version: ApiVersion;
  readonly document: DocumentNode;
  readonly variables: Record<string, unknown>;
}

/** What the executor returns: graphql-js's ExecutionResult and A's response body both fit. */
export interface BulkPageResult {
  readonly data?: Readonly<Record<string, unknown>> | null | undefined;
  readonly errors?:
    | readonly {
        readonly message: string;
        readonly extensions?: Readonly<Record<string, unknown>> | undefined;
      }[]
    | undefined;
}

export type BulkPageExecutor = (request: BulkPageRequest) => Promise<BulkPageResult> | BulkPageResult;

/** What every bulk run (query or mutation) works with. */
export interface BulkRunBase {
  readonly record: BulkOperationRecord;
  readonly document: DocumentNode;
  readonly caller: Omit<BulkPageRequest, 'document' | 'variables'>;
  readonly filePath: string;
  readonly execute: BulkPageExecutor;
  readonly scheduler: Scheduler;
  readonly nowSeconds: () => number;
  /** The clock in milliseconds (the pace is measured on it). */
  readonly nowMs: () => number;
  /** Objects per second, or null (read before each page and on each wake). */
  readonly pace: () => BulkPace;
  readonly alarms: ClockAlarms;
}

export interface RunContext extends BulkRunBase {
  readonly plan: BulkQueryPlan;
  readonly pageSize: number;
}

class PageFailure extends Error {
  constructor(
    readonly code: BulkOperationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Runs to a final status (COMPLETED, FAILED or CANCELED); never rejects. */
export function runBulkQuery(ctx: RunContext): Promise<void> {
  return runOperation(
    ctx,
    (file) => writePages(ctx, file),
    (error) => (error instanceof PageFailure ? error.code : 'INTERNAL_SERVER_ERROR'),
  );
}

/**
 * One bulk operation (query or mutation) from its turn to its final status; never rejects. `write`
 * fills the result file; a throw fails the operation with the error code `codeOf` gives.
 */
export async function runOperation(
  ctx: Pick<BulkRunBase, 'record' | 'scheduler' | 'filePath' | 'nowMs' | 'nowSeconds'>,
  write: (file: JsonlFile) => Promise<'COMPLETED' | 'CANCELED'>,
  codeOf: (error: unknown) => BulkOperationErrorCode,
): Promise<void> {
  const { record } = ctx;
  await ctx.scheduler.next();
  if (record.cancelRequested) return finishRun(ctx, null, 'CANCELED');
  record.status = 'RUNNING';
  let file: JsonlFile | null = null;
  try {
    file = openJsonlFile(ctx.filePath);
    record.filePath = ctx.filePath;
    const outcome = await write(file);
    await file.close();
    return await finishRun(ctx, file, outcome);
  } catch (error) {
    record.errorCode = codeOf(error);
    record.failure = error instanceof Error ? error.message : String(error);
    if (file) await closeAfterFailure(file, record);
    return finishRun(ctx, file, 'FAILED');
  }
}

async function writePages(ctx: RunContext, file: JsonlFile): Promise<'COMPLETED' | 'CANCELED'> {
  const { record } = ctx;
  const rootKey = ctx.plan.root.keyPath[0] as string;
  let after: string | null = null;
  // Paced: the objects exported so far are due at `dueMs` (the export's start plus their share of time).
  let dueMs = ctx.nowMs();
  for (;;) {
    const variables = { [PAGE_SIZE_VARIABLE]: ctx.pageSize, [AFTER_VARIABLE]: after };
    const result = await ctx.execute({ ...ctx.caller, document: ctx.document, variables });
    const connection = pageData(result, rootKey);
    const page = flattenPage(connection, ctx.plan.root);
    dueMs = await paced(ctx, dueMs, page.objects);
    if (record.cancelRequested) return 'CANCELED';
    await file.write(page.text);
    record.objectCount += page.objects;
    record.rootObjectCount += page.roots;
    const pageInfo = (connection as Record<string, { hasNextPage?: boolean; endCursor?: string | null }>)[
      PAGE_INFO_KEY
    ];
    after = pageInfo?.hasNextPage && pageInfo.endCursor ? pageInfo.endCursor : null;
    if (after === null) return 'COMPLETED';
    await ctx.scheduler.next();
    if (record.cancelRequested) return 'CANCELED';
  }
}

/**
 * Waits until `objects` more objects are due at the pace, after those due at `fromMs`; returns when
 * they are due. The pace is read again on each wake, so a change applies to the page waiting too; with
 * no pace (or a cancel) it returns at once, and a pace set later counts from then.
 */
async function paced(ctx: RunContext, fromMs: number, objects: number): Promise<number> {
  for (;;) {
    const pace = ctx.pace();
    if (pace === null || ctx.record.cancelRequested) return ctx.nowMs();
    const dueMs = exportedAtMs(fromMs, objects, pace);
    if (ctx.nowMs() >= dueMs) return dueMs;
    await ctx.alarms.wait(dueMs);
  }
}

function pageData(result: BulkPageResult, rootKey: string): unknown {
  const error = result.errors?.[0];
  if (error) {
    const code = error.extensions?.['code'] === 'ACCESS_DENIED' ? 'ACCESS_DENIED' : 'INTERNAL_SERVER_ERROR';
    throw new PageFailure(code, error.message);
  }
  const connection = result.data?.[rootKey];
  if (typeof connection !== 'object' || connection === null) {
    throw new PageFailure('INTERNAL_SERVER_ERROR', `bulk page returned no ${rootKey} connection`);
  }
  return connection;
}

export async function closeAfterFailure(file: JsonlFile, record: BulkOperationRecord): Promise<void> {
  try {
    await file.close();
  } catch (error) {
    record.failure = `${record.failure ?? ''}; closing the result file: ${String(error)}`;
  }
}

/** Settles a run (query or mutation): the file kept only when it has a result, the final status and times. */
export async function finishRun(
  ctx: Pick<RunContext, 'record' | 'nowMs' | 'nowSeconds'>,
  file: JsonlFile | null,
  status: 'COMPLETED' | 'CANCELED' | 'FAILED',
): Promise<void> {
  const { record } = ctx;
  const bytes = file?.bytes ?? 0;
  if (
    status === 'CANCELED' ||
    (status === 'FAILED' && bytes === 0) ||
    (status === 'COMPLETED' && record.objectCount === 0)
  ) {
    if (record.filePath) await rm(record.filePath, { force: true });
    record.filePath = null;
  }
  record.hasResult = record.filePath !== null;
  record.fileSize = record.hasResult ? bytes : null;
  record.completedAtMs = ctx.nowMs();
  record.completedAt = ctx.nowSeconds();
  record.status = status;
}
