import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentNode } from 'graphql';
import { loadAdminSchema, versionAtLeast, type ApiVersion } from '../graphql/schema.ts';
import { checkQuery, invalid } from './query-check.ts';
import { analyzeBulkQuery, type BulkQueryPlan } from './analyze-query.ts';
import {
  bulkOperationGid,
  expiresAt,
  finishWebhookPayload,
  isExpired,
  isInProgress,
  toView,
  type BulkFinishWebhookPayload,
  type BulkOperationRecord,
  type BulkOperationType,
  type BulkOperationView,
  type BulkUserError,
} from './operation.ts';

export type { BulkUserError } from './operation.ts';
import { checkBulkMutation } from './mutation-check.ts';
import { runBulkMutation } from './mutation-runner.ts';
import { pagedDocument } from './rewrite.ts';
import { createClockAlarms, type BulkPace, type ClockAlarms, type SetTimer } from './pace.ts';
import { runBulkQuery, type BulkPageExecutor, type BulkPageRequest } from './runner.ts';
import { immediateScheduler, type Scheduler } from './scheduler.ts';

type BulkPageRequestCaller = Omit<BulkPageRequest, 'document' | 'variables'>;
import { signDownloadUrl } from './signed-url.ts';
import type { StagedUploads } from './staged-uploads.ts';

export interface BulkOptions {
  readonly clock: { now(): Date };
  /** Directory for result files (created if missing). */
  readonly dataDir: string;
  /** The emulator's public origin, e.g. `http://127.0.0.1:4010` (read when a URL is built). */
  readonly baseUrl: () => string;
  readonly signingSecret: string;
  readonly execute: BulkPageExecutor;
  /** Runs one bulk mutation line (a normal, not bulk-mode, execution); default: `execute`. */
  readonly executeMutation?: BulkPageExecutor;
  /** The staged uploads a bulk mutation reads its variables from (none: every path is missing). */
  readonly uploads?: StagedUploads;
  /** Bulk mutation lines run between two scheduler turns (default 50). */
  readonly mutationChunkSize?: number;
  readonly scheduler?: Scheduler;
  /** Root objects per executed page (default 250). */
  readonly pageSize?: number;
  /** First numeric id handed out (default 1). */
  readonly firstId?: number;
  /** Objects per second per operation, read before each page (default: none, as fast as it goes). */
  readonly pace?: () => BulkPace;
  /** How a paced run waits in real time for the clock (default: a timer; tests pass one that never fires). */
  readonly setTimer?: SetTimer;
  /** Where a throwing finish listener is reported (default: console.error). */
  readonly onError?: (error: unknown) => void;
}

/** Who asks: the calling app on a shop, with its granted scopes and the request's API version. */
export interface BulkCaller {
  readonly shop: string;
  readonly appKey: string;
  readonly scopes: readonly string[];
  readonly version: ApiVersion;
}

export interface BulkPayload {
  readonly bulkOperation: BulkOperationView | null;
  readonly userErrors: readonly BulkUserError[];
}

/** Sent when an operation reaches COMPLETED, FAILED or CANCELED; B delivers `bulk_operations/finish` from it. */
export interface BulkFinishEvent {
  readonly shop: string;
  readonly appKey: string;
  readonly operation: BulkOperationView;
  readonly webhookPayload: BulkFinishWebhookPayload;
  /** Why it failed (emulator log only). */
  readonly failure: string | null;
}

export type BulkFinishListener = (event: BulkFinishEvent) => void;

/** Bulk query operations at 2026-01 and later: 5 at a time per app and shop; earlier versions: 1. */
export function concurrentQueryLimit(version: string): number {
  return versionAtLeast(version, '2026-01') ? 5 : 1;
}

export function parseBulkOperationId(id: string): number | null {
  const match = /^gid:\/\/shopify\/BulkOperation\/(\d+)$/.exec(id);
  return match ? Number(match[1]) : null;
}

export interface BulkOperations {
  runQuery(caller: BulkCaller, query: string): BulkPayload;
  /** `bulkOperationRunMutation`: the mutation once per line of the staged variables file. */
  runMutation(caller: BulkCaller, mutation: string, stagedUploadPath: string): BulkPayload;
  cancel(caller: BulkCaller, id: string): BulkPayload;
  get(caller: BulkCaller, id: string): BulkOperationView | null;
  /** The app's most recent operation of `type` on the shop. */
  current(caller: BulkCaller, type?: BulkOperationType): BulkOperationView | null;
  /** The app's operations on the shop, newest first. */
  list(caller: BulkCaller): BulkOperationView[];
  /** The record behind a download (for the HTTP handler). */
  recordById(id: number): BulkOperationRecord | null;
  /** Every operation's record, oldest first (the control API lists them with millisecond times). */
  records(): readonly BulkOperationRecord[];
  onFinish(listener: BulkFinishListener): () => void;
  /** Resolves once no operation is running (tests: run to completion deterministically). */
  whenIdle(): Promise<void>;
  /**
   * Resolves once every running operation waits for the clock (paced) or none runs: after a
   * `kick()`, tests await it before they look.
   */
  settled(): Promise<void>;
  /** The clock moved or the pace changed: paced runs check the time again now. */
  kick(): void;
  nowSeconds(): number;
  /** Deletes result files past their 7 days (also done on every new run); returns the count. */
  sweepExpired(): number;
}

interface State {
  readonly options: BulkOptions;
  readonly records: Map<number, BulkOperationRecord>;
  readonly running: Set<Promise<void>>;
  readonly listeners: Set<BulkFinishListener>;
  readonly alarms: ClockAlarms;
  /** `settled()` callers, checked whenever a run waits or ends. */
  readonly settling: Set<() => void>;
  nextId: number;
}

function checkSettled(state: State): void {
  if (state.alarms.waiting < state.running.size) return;
  for (const resolve of [...state.settling]) resolve();
  state.settling.clear();
}

const nowOf = (state: State): number => Math.floor(state.options.clock.now().getTime() / 1000);

function viewOf(state: State, record: BulkOperationRecord): BulkOperationView {
  const { baseUrl, signingSecret } = state.options;
  return toView(record, nowOf(state), (r) =>
    signDownloadUrl(baseUrl(), signingSecret, r.id, expiresAt(r) ?? 0),
  );
}

/** The caller's operations, newest first. */
function mine(state: State, caller: BulkCaller): BulkOperationRecord[] {
  return [...state.records.values()]
    .filter((r) => r.shop === caller.shop && r.appKey === caller.appKey)
    .reverse();
}

function find(state: State, caller: BulkCaller, id: string): BulkOperationRecord | null {
  const record = state.records.get(parseBulkOperationId(id) ?? -1);
  return record && record.shop === caller.shop && record.appKey === caller.appKey ? record : null;
}

function announce(state: State, record: BulkOperationRecord): void {
  const operation = viewOf(state, record);
  const webhookPayload = finishWebhookPayload(operation);
  const event = {
    shop: record.shop,
    appKey: record.appKey,
    operation,
    webhookPayload,
    failure: record.failure,
  };
  for (const listener of state.listeners) {
    try {
      listener(event);
    } catch (error) {
      (state.options.onError ?? reportError)(error);
    }
  }
}

function reportError(error: unknown): void {
  console.error('[shopify-emulator] bulk finish listener failed', error);
}

/**
 * Operations of one type in progress for the app and shop, at most `concurrentQueryLimit` (the
 * 2026-01 changelog: five; the emulator counts queries and mutations apart — whether Shopify's five
 * are shared is unconfirmed).
 */
function inProgressError(state: State, caller: BulkCaller, type: BulkOperationType): BulkUserError | null {
  const busy = mine(state, caller).filter((r) => r.type === type && isInProgress(r));
  const newest = busy[0];
  if (!newest || busy.length < concurrentQueryLimit(caller.version)) return null;
  const kind = type === 'QUERY' ? 'query' : 'mutation';
  const message = `A bulk ${kind} operation for this app and shop is already in progress: ${bulkOperationGid(newest.id)}.`;
  return { field: null, message, code: 'OPERATION_IN_PROGRESS' };
}

interface RunTools {
  readonly filePath: string;
  readonly scheduler: Scheduler;
  readonly nowSeconds: () => number;
  readonly nowMs: () => number;
  readonly pace: () => BulkPace;
  readonly alarms: ClockAlarms;
}

/** Creates the record, starts its run and tracks it until it finishes and is announced. */
function launch(
  state: State,
  caller: BulkCaller,
  type: BulkOperationType,
  query: string,
  run: (record: BulkOperationRecord, tools: RunTools) => Promise<void>,
): BulkPayload {
  const busy = inProgressError(state, caller, type);
  if (busy) return { bulkOperation: null, userErrors: [busy] };
  const { options } = state;
  const record = newRecord(state.nextId++, caller, type, query, options.clock.now().getTime());
  state.records.set(record.id, record);
  const running = run(record, {
    filePath: join(options.dataDir, `bulk-${record.id}.jsonl`),
    scheduler: options.scheduler ?? immediateScheduler,
    nowSeconds: () => nowOf(state),
    nowMs: () => options.clock.now().getTime(),
    pace: options.pace ?? (() => null),
    alarms: state.alarms,
  }).then(() => announce(state, record));
  state.running.add(running);
  void running.finally(() => {
    state.running.delete(running);
    checkSettled(state);
  });
  return { bulkOperation: viewOf(state, record), userErrors: [] };
}

const callerOf = (caller: BulkCaller): BulkPageRequestCaller => ({
  shop: caller.shop,
  appKey: caller.appKey,
  scopes: caller.scopes,
  version: caller.version,
});

function start(
  state: State,
  caller: BulkCaller,
  query: string,
  document: DocumentNode,
  plan: BulkQueryPlan,
): BulkPayload {
  return launch(state, caller, 'QUERY', query, (record, tools) =>
    runBulkQuery({
      ...tools,
      record,
      plan,
      document: pagedDocument(document, plan),
      caller: callerOf(caller),
      pageSize: state.options.pageSize ?? 250,
      execute: state.options.execute,
    }),
  );
}

function runMutation(
  state: State,
  caller: BulkCaller,
  mutation: string,
  stagedUploadPath: string,
): BulkPayload {
  sweepExpired(state);
  const { options } = state;
  const file = options.uploads?.read(caller.shop, stagedUploadPath) ?? null;
  const checked = checkBulkMutation(caller.version, mutation, file);
  if ('errors' in checked) return { bulkOperation: null, userErrors: checked.errors };
  return launch(state, caller, 'MUTATION', mutation, (record, tools) =>
    runBulkMutation({
      ...tools,
      record,
      document: checked.document,
      lines: checked.lines,
      caller: callerOf(caller),
      chunkSize: options.mutationChunkSize ?? 50,
      execute: options.executeMutation ?? options.execute,
    }),
  );
}

/** Deletes result files whose 7 days are over; returns how many went. */
function sweepExpired(state: State): number {
  let removed = 0;
  const now = nowOf(state);
  for (const record of state.records.values()) {
    if (record.filePath === null || !isExpired(record, now)) continue;
    rmSync(record.filePath, { force: true });
    record.filePath = null;
    removed++;
  }
  return removed;
}

function runQuery(state: State, caller: BulkCaller, query: string): BulkPayload {
  sweepExpired(state);
  const checked = checkQuery(caller.version, query);
  if ('errors' in checked) return { bulkOperation: null, userErrors: checked.errors.map(invalid) };
  const analysis = analyzeBulkQuery(loadAdminSchema(caller.version), checked.document);
  if (!analysis.ok) return { bulkOperation: null, userErrors: analysis.messages.map(invalid) };
  return start(state, caller, query, checked.document, analysis.plan);
}

function cancel(state: State, caller: BulkCaller, id: string): BulkPayload {
  const record = find(state, caller, id);
  if (!record)
    return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
  if (!isInProgress(record)) {
    const current = viewOf(state, record);
    const message = `A bulk operation cannot be canceled when it is ${current.status.toLowerCase()}`;
    return { bulkOperation: current, userErrors: [{ field: null, message }] };
  }
  record.cancelRequested = true;
  record.status = 'CANCELING';
  // A paced run waiting for the clock stops now, not when its next page is due.
  state.alarms.wake();
  return { bulkOperation: viewOf(state, record), userErrors: [] };
}

export function createBulkOperations(options: BulkOptions): BulkOperations {
  mkdirSync(options.dataDir, { recursive: true });
  const state: State = {
    options,
    records: new Map(),
    running: new Set(),
    listeners: new Set(),
    alarms: createClockAlarms({ nowMs: () => options.clock.now().getTime() }, options.setTimer),
    settling: new Set(),
    nextId: options.firstId ?? 1,
  };
  state.alarms.onWait(() => checkSettled(state));
  return {
    runQuery: (caller, query) => runQuery(state, caller, query),
    runMutation: (caller, mutation, path) => runMutation(state, caller, mutation, path),
    cancel: (caller, id) => cancel(state, caller, id),
    get: (caller, id) => {
      const record = find(state, caller, id);
      return record ? viewOf(state, record) : null;
    },
    current: (caller, type = 'QUERY') => {
      const record = mine(state, caller).find((r) => r.type === type);
      return record ? viewOf(state, record) : null;
    },
    list: (caller) => mine(state, caller).map((r) => viewOf(state, r)),
    recordById: (id) => state.records.get(id) ?? null,
    records: () => [...state.records.values()],
    onFinish(listener) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    async whenIdle() {
      while (state.running.size > 0) await Promise.all([...state.running]);
    },
    settled() {
      return new Promise<void>((resolve) => {
        state.settling.add(resolve);
        checkSettled(state);
      });
    },
    kick: () => state.alarms.wake(),
    nowSeconds: () => nowOf(state),
    sweepExpired: () => sweepExpired(state),
  };
}

function newRecord(
  id: number,
  caller: BulkCaller,
  type: BulkOperationType,
  query: string,
  createdAtMs: number,
): BulkOperationRecord {
  return {
    id,
    shop: caller.shop,
    appKey: caller.appKey,
    type,
    query,
    createdAt: Math.floor(createdAtMs / 1000),
    createdAtMs,
    status: 'CREATED',
    errorCode: null,
    completedAt: null,
    completedAtMs: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    filePath: null,
    hasResult: false,
    cancelRequested: false,
    failure: null,
  };
}
