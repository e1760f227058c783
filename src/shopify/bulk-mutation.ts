/**
 * The bulk-mutation client (decision 0008): build the variables JSONL from an async iterable
 * (streamed to a temporary file, memory flat, split at Shopify's 100 MB), stage and upload it,
 * start `bulkOperationRunMutation` with a mutation named per batch, find a submitted operation
 * again by that name after a kill, poll it to its end, and stream its result file line by line,
 * every input line accounted for (a line absent from the file is reported missing, never dropped).
 *
 * No logging here: errors carry Shopify's words and codes, never the access token or line data.
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PermanentError, TransientError } from '../errors.ts';
import { downloadJsonl } from './bulk-download.ts';
import { adminGraphql, type AdminClientConfig, type GraphqlResult } from './graphql-client.ts';

export interface BulkSession {
  cfg: AdminClientConfig;
  shop: string;
  accessToken: string;
  /**
   * Each call of the client goes through this when given: the shop's shared cost budget, which also
   * counts the points (`estimate`: the requested cost expected). Absent: calls go straight out.
   */
  via?: <T>(estimate: number, send: () => Promise<GraphqlResult<T>>) => Promise<GraphqlResult<T>>;
}

/** One Admin GraphQL call of the client, through the session's budget when it has one. */
function gql<T>(
  s: BulkSession,
  query: string,
  variables: Record<string, unknown>,
  estimate: number,
): Promise<GraphqlResult<T>> {
  const send = () => adminGraphql<T>(s.cfg, { shop: s.shop, accessToken: s.accessToken, query, variables });
  return s.via ? s.via(estimate, send) : send();
}

/** Shopify's limit on a bulk mutation's variables file. */
export const MAX_VARIABLES_BYTES = 100 * 1024 * 1024;

export type BulkMutationErrorCode =
  | 'INTERNAL_FILE_SERVER_ERROR'
  | 'INVALID_MUTATION'
  | 'INVALID_STAGED_UPLOAD_FILE'
  | 'LIMIT_REACHED'
  | 'NO_SUCH_FILE'
  | 'OPERATION_IN_PROGRESS';

/** Shopify refused the operation for good (bad mutation, bad or missing file): retrying cannot help. */
export class BulkMutationRefusedError extends PermanentError {
  override name = 'BulkMutationRefusedError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message, `bulk_${code.toLowerCase()}`);
  }
}

/** Shopify cannot take the operation now (five already running, its file server): submit again later. */
export class BulkMutationBusyError extends TransientError {
  override name = 'BulkMutationBusyError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The variables cannot be written as JSONL Shopify takes (not an object, a BigInt, NaN, one line > limit). */
export class BulkVariablesError extends PermanentError {
  override name = 'BulkVariablesError';
  constructor(
    message: string,
    /** Zero-based index of the offending line in the input. */
    readonly lineIndex: number,
  ) {
    super(message, 'bulk_variables');
  }
}

export type BulkStatus =
  'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';

export interface BulkOperationInfo {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  url: string | null;
  partialDataUrl: string | null;
  /** The mutation document as submitted (its operation name finds it again). */
  query: string;
}

/** One input line's outcome, matched by Shopify's `__lineNumber` (zero-based), never by position. */
export type BulkLineResult =
  | {
      lineNumber: number;
      missing: false;
      data: Record<string, unknown> | null;
      errors: { message: string; [k: string]: unknown }[] | null;
    }
  | { lineNumber: number; missing: true; data: null; errors: null };

/** The operation ended FAILED, CANCELED or EXPIRED: `lines()` streams what it did run, the rest missing. */
export class BulkOperationEndedError extends TransientError {
  override name = 'BulkOperationEndedError';
  constructor(
    readonly operation: BulkOperationInfo,
    private readonly fetchImpl: typeof fetch | undefined,
  ) {
    super(
      `bulk operation ${operation.id} ended ${operation.status}` +
        (operation.errorCode ? ` (${operation.errorCode})` : '') +
        (operation.partialDataUrl ? ', with partial data' : ''),
    );
  }
  get status(): BulkStatus {
    return this.operation.status;
  }
  get errorCode(): string | null {
    return this.operation.errorCode;
  }
  /** Every input line: the partial file's results (when Shopify kept one), then the missing ones. */
  lines(lineCount: number): AsyncGenerator<BulkLineResult> {
    return resultLines(this.operation.partialDataUrl, lineCount, this.fetchImpl);
  }
}

// ---------------------------------------------------------------------------------------------
// Variables file

export interface VariablesPart {
  /** A temporary file; `dispose()` removes it. */
  path: string;
  /** Index in the whole input of this part's line 0 (its `__lineNumber` 0). */
  firstIndex: number;
  lineCount: number;
  bytes: number;
  dispose(): Promise<void>;
}

function jsonLine(value: unknown, index: number): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new BulkVariablesError(`variables line ${index} is not a JSON object`, index);
  let text: string;
  try {
    // JSON.stringify escapes control characters (NUL included) and lone surrogates; it would turn
    // NaN and Infinity into null silently, so they are refused instead.
    text = JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`a number that is not finite (${v})`);
      return v;
    });
  } catch (err) {
    throw new BulkVariablesError(
      `variables line ${index} cannot be written as JSON: ${(err as Error).message}`,
      index,
    );
  }
  return `${text}\n`;
}

/**
 * Writes the variables as JSONL files of at most `maxBytes` each (Shopify's 100 MB by default),
 * streamed: a part is yielded once full (or at the end) and the next one is written only when the
 * consumer asks for it. A single line larger than the limit is refused (BulkVariablesError).
 * Empty input yields nothing.
 */
export async function* variablesParts(
  lines: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  opts: { maxBytes?: number; dir?: string } = {},
): AsyncGenerator<VariablesPart> {
  const maxBytes = opts.maxBytes ?? MAX_VARIABLES_BYTES;
  let index = 0;
  let part: { dir: string; path: string; out: ReturnType<typeof createWriteStream> } | null = null;
  let firstIndex = 0;
  let bytes = 0;
  const open = async () => {
    const dir = await mkdtemp(join(opts.dir ?? tmpdir(), 'retailos-bulk-'));
    const path = join(dir, 'variables.jsonl');
    return { dir, path, out: createWriteStream(path) };
  };
  const close = async (): Promise<VariablesPart> => {
    const p = part as NonNullable<typeof part>;
    p.out.end();
    await once(p.out, 'finish');
    part = null;
    return {
      path: p.path,
      firstIndex,
      lineCount: index - firstIndex,
      bytes,
      dispose: () => rm(p.dir, { recursive: true, force: true }),
    };
  };
  try {
    for await (const value of lines) {
      const text = jsonLine(value, index);
      const size = Buffer.byteLength(text);
      if (size > maxBytes)
        throw new BulkVariablesError(
          `variables line ${index} is ${size} bytes, more than the file limit of ${maxBytes}`,
          index,
        );
      if (part && bytes + size > maxBytes) {
        const full = await close();
        yield full;
      }
      if (!part) {
        part = await open();
        firstIndex = index;
        bytes = 0;
      }
      if (!part.out.write(text)) await once(part.out, 'drain');
      bytes += size;
      index += 1;
    }
    if (part) yield await close();
  } finally {
    const left = part as typeof part;
    if (left) {
      left.out.destroy();
      await rm(left.dir, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Staged upload

const STAGE = `mutation RetailosStageBulkVariables($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}`;

export interface StagedTarget {
  url: string;
  parameters: { name: string; value: string }[];
}

/** Asks Shopify where to upload a variables file (BULK_MUTATION_VARIABLES, text/jsonl, POST). */
export async function stageVariables(s: BulkSession, filename = 'variables.jsonl'): Promise<StagedTarget> {
  const { data } = await gql<{
    stagedUploadsCreate: {
      stagedTargets: StagedTarget[] | null;
      userErrors: { field: string[] | null; message: string }[];
    };
  }>(
    s,
    STAGE,
    {
      input: [{ resource: 'BULK_MUTATION_VARIABLES', filename, mimeType: 'text/jsonl', httpMethod: 'POST' }],
    },
    10,
  );
  const r = data.stagedUploadsCreate;
  const target = r.stagedTargets?.[0];
  if (r.userErrors.length > 0 || !target)
    throw new BulkMutationRefusedError(
      `Shopify staged no upload: ${r.userErrors.map((e) => e.message).join('; ') || 'no target'}`,
      'STAGED_UPLOAD',
    );
  if (!target.parameters.some((p) => p.name === 'key'))
    throw new BulkMutationRefusedError('the staged upload target has no "key" parameter', 'STAGED_UPLOAD');
  return target;
}

const formName = (name: string): string => name.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));

/**
 * Uploads the file as a multipart form POST: every parameter, then `file`, streamed from disk with
 * a Content-Length. Not through fetch: Node 20's fetch holds the whole body in memory (measured: a
 * 90 MB file, FormData, Blob or ReadableStream body alike, kept 184–186 MB of buffers; node:http
 * with a piped file stream 11 MB). Returns the `key` parameter, the `stagedUploadPath`.
 */
export async function uploadVariables(
  target: StagedTarget,
  filePath: string,
  opts: { timeoutMs?: number } = {},
): Promise<string> {
  const url = new URL(target.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new BulkMutationRefusedError(`the staged upload URL is not http(s)`, 'UPLOAD_REFUSED');
  const boundary = `----RetailosBulk${randomBytes(16).toString('hex')}`;
  let head = '';
  for (const p of target.parameters)
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${formName(p.name)}"\r\n\r\n${p.value}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="variables.jsonl"\r\nContent-Type: text/jsonl\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const size = Buffer.byteLength(head) + (await stat(filePath)).size + Buffer.byteLength(tail);
  const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': size },
    timeout: opts.timeoutMs ?? 300_000,
  });
  request.on('timeout', () => request.destroy(new Error('timed out')));
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (text.length < 1000) text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
  });
  async function* body() {
    yield Buffer.from(head);
    yield* createReadStream(filePath);
    yield Buffer.from(tail);
  }
  // An answer before the whole body (a refused signature) wins over the broken pipe it causes.
  const sent = pipeline(Readable.from(body()), request).catch((err: unknown) => err);
  let answer: { status: number; text: string };
  try {
    answer = await answered;
  } catch (err) {
    throw new TransientError(`could not upload the bulk variables: ${(err as Error).message}`, {
      cause: err,
    });
  }
  await sent;
  if (answer.status >= 500 || answer.status === 429 || answer.status === 408)
    throw new TransientError(`the bulk variables upload answered ${answer.status}`);
  if (answer.status < 200 || answer.status >= 300)
    throw new BulkMutationRefusedError(
      `the bulk variables upload answered ${answer.status}: ${answer.text.slice(0, 200)}`,
      'UPLOAD_REFUSED',
    );
  return target.parameters.find((p) => p.name === 'key')?.value ?? '';
}

// ---------------------------------------------------------------------------------------------
// Running, finding, polling

const OPERATION_NAME = /^\s*mutation\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** The mutation's operation name (`mutation RetailosRepair_12(…)` → `RetailosRepair_12`), if any. */
export function operationNameOf(mutation: string): string | null {
  return OPERATION_NAME.exec(mutation)?.[1] ?? null;
}

const RUN = `mutation RetailosRunBulkMutation($mutation: String!, $path: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const RETRYABLE = new Set(['OPERATION_IN_PROGRESS', 'LIMIT_REACHED', 'INTERNAL_FILE_SERVER_ERROR']);

/**
 * Starts the bulk mutation. The mutation must carry an operation name (decision 0008: unique per
 * batch, it finds the operation again after a kill). Returns the operation id. Refusals are typed:
 * OPERATION_IN_PROGRESS, LIMIT_REACHED and INTERNAL_FILE_SERVER_ERROR → BulkMutationBusyError
 * (submit again later); INVALID_MUTATION, NO_SUCH_FILE, INVALID_STAGED_UPLOAD_FILE and anything
 * else → BulkMutationRefusedError.
 */
export async function runBulkMutation(
  s: BulkSession,
  mutation: string,
  stagedUploadPath: string,
): Promise<string> {
  if (operationNameOf(mutation) === null)
    throw new BulkMutationRefusedError(
      'a bulk mutation needs an operation name (mutation Name(…)) to be found again',
      'UNNAMED_MUTATION',
    );
  const { data } = await gql<{
    bulkOperationRunMutation: {
      bulkOperation: { id: string; status: string } | null;
      userErrors: { field: string[] | null; message: string; code: string | null }[];
    };
  }>(s, RUN, { mutation, path: stagedUploadPath }, 10);
  const r = data.bulkOperationRunMutation;
  if (r.bulkOperation && r.userErrors.length === 0) return r.bulkOperation.id;
  const first = r.userErrors[0];
  const code = first?.code ?? 'UNKNOWN';
  const message = `Shopify did not start the bulk mutation: ${
    r.userErrors.map((e) => `${e.message}${e.code ? ` (${e.code})` : ''}`).join('; ') || 'no reason given'
  }`;
  if (RETRYABLE.has(code)) throw new BulkMutationBusyError(message, code);
  throw new BulkMutationRefusedError(message, code);
}

const FIELDS = 'id status errorCode createdAt completedAt objectCount url partialDataUrl query';

interface RawOp extends Omit<BulkOperationInfo, 'objectCount'> {
  objectCount: string;
}
const toInfo = (op: RawOp): BulkOperationInfo => ({ ...op, objectCount: Number(op.objectCount) });

export async function getBulkOperation(s: BulkSession, id: string): Promise<BulkOperationInfo | null> {
  const { data } = await gql<{ bulkOperation: RawOp | null }>(
    s,
    `query RetailosBulkOperation($id: ID!) { bulkOperation(id: $id) { ${FIELDS} } }`,
    { id },
    1,
  );
  return data.bulkOperation ? toInfo(data.bulkOperation) : null;
}

const LIST = `query RetailosBulkMutations($after: String, $query: String!) {
  bulkOperations(first: 50, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes { ${FIELDS} }
  }
}`;

/**
 * Finds a bulk mutation submitted earlier by its operation name, among the app's bulk mutations
 * newest first, paging until found or until the operations are older than `createdSince`.
 * Returns null when there is none: it was never created.
 */
export async function findBulkMutation(
  s: BulkSession,
  operationName: string,
  createdSince: Date,
): Promise<BulkOperationInfo | null> {
  if (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(operationName))
    throw new BulkMutationRefusedError(`"${operationName}" is not an operation name`, 'UNNAMED_MUTATION');
  const since = createdSince.getTime();
  const sinceIso = new Date(Math.floor(since / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const query = `operation_type:mutation created_at:>='${sinceIso}'`;
  let after: string | null = null;
  for (;;) {
    const page: {
      data: {
        bulkOperations: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: RawOp[] };
      };
    } = await gql(s, LIST, { after, query }, 52);
    const { nodes, pageInfo } = page.data.bulkOperations;
    for (const node of nodes) {
      if (operationNameOf(node.query) === operationName) return toInfo(node);
    }
    // Shopify's createdAt has whole seconds: an operation of the same second as `since` still counts.
    const oldest = nodes.at(-1);
    const olderThanSince = oldest !== undefined && Date.parse(oldest.createdAt) < since - 999;
    if (olderThanSince || !pageInfo.hasNextPage || !pageInfo.endCursor) return null;
    after = pageInfo.endCursor;
  }
}

export interface PollOptions {
  /** Waiting between polls is passed in (tests yield; production sleeps). */
  wait: (ms: number) => Promise<void>;
  /** The first wait (it grows by half up to `maxPollMs`); default 500 ms. */
  pollMs?: number;
  /** Default 10 s. */
  maxPollMs?: number;
}

const ENDED: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'EXPIRED']);

/** Polls `bulkOperation(id:)` until it ended (COMPLETED, FAILED, CANCELED or EXPIRED). */
export async function waitForBulkOperation(
  s: BulkSession,
  id: string,
  opts: PollOptions,
): Promise<BulkOperationInfo> {
  let waitMs = opts.pollMs ?? 500;
  const maxMs = opts.maxPollMs ?? 10_000;
  for (;;) {
    const op = await getBulkOperation(s, id);
    if (!op) throw new BulkMutationRefusedError(`Shopify knows no bulk operation ${id}`, 'NOT_FOUND');
    if (ENDED.has(op.status)) return op;
    await opts.wait(waitMs);
    waitMs = Math.min(maxMs, Math.max(10, waitMs * 1.5));
  }
}

/** Asks Shopify to cancel the operation (it ends CANCELED, or COMPLETED when it was already done). */
export async function cancelBulkOperation(s: BulkSession, id: string): Promise<void> {
  const { data } = await gql<{
    bulkOperationCancel: { userErrors: { field: string[] | null; message: string }[] };
  }>(
    s,
    `mutation RetailosCancelBulk($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }`,
    { id },
    10,
  );
  const errors = data.bulkOperationCancel.userErrors;
  if (errors.length > 0)
    throw new BulkMutationRefusedError(
      `Shopify did not cancel ${id}: ${errors.map((e) => e.message).join('; ')}`,
      'CANCEL_REFUSED',
    );
}

// ---------------------------------------------------------------------------------------------
// Results

/**
 * Streams an ended operation's results for its `lineCount` input lines, in file order, then one
 * `missing` result per line the file lacks. A COMPLETED operation reads `url` (none: every line
 * missing, e.g. an empty input); FAILED, CANCELED or EXPIRED throws BulkOperationEndedError, whose
 * `lines()` reads the partial file.
 */
export function bulkMutationResults(
  op: BulkOperationInfo,
  lineCount: number,
  opts: { fetch?: typeof fetch | undefined } = {},
): AsyncGenerator<BulkLineResult> {
  if (op.status !== 'COMPLETED') throw new BulkOperationEndedError(op, opts.fetch);
  return resultLines(op.url, lineCount, opts.fetch);
}

async function* resultLines(
  url: string | null,
  lineCount: number,
  fetchImpl: typeof fetch | undefined,
): AsyncGenerator<BulkLineResult> {
  const seen = new Uint8Array(lineCount);
  if (url !== null) {
    const gone = (status: number): Error =>
      new PermanentError(`the bulk result download answered ${status} (expired?)`, 'bulk_result_gone');
    for await (const { value, lineNo: fileLine } of downloadJsonl(url, { fetch: fetchImpl, gone })) {
      const v = (value ?? {}) as Record<string, unknown>;
      const n = v['__lineNumber'];
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= lineCount)
        throw new PermanentError(
          `bulk result line ${fileLine} has __lineNumber ${String(n)}, outside the ${lineCount} lines sent`,
          'bulk_result',
        );
      if (seen[n] === 1) throw new PermanentError(`bulk result has __lineNumber ${n} twice`, 'bulk_result');
      seen[n] = 1;
      const data = v['data'];
      const errors = v['errors'];
      yield {
        lineNumber: n,
        missing: false,
        data: data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : null,
        errors: Array.isArray(errors) && errors.length > 0 ? (errors as { message: string }[]) : null,
      };
    }
  }
  for (let n = 0; n < lineCount; n++) {
    if (seen[n] === 0) yield { lineNumber: n, missing: true, data: null, errors: null };
  }
}

// ---------------------------------------------------------------------------------------------
// All together

/**
 * Stages, uploads and starts one part's mutation; the caller records the returned id (decision
 * 0008: before that, only the operation name finds it). The part's file is removed afterwards.
 */
export async function submitBulkMutation(
  s: BulkSession,
  mutation: string,
  part: VariablesPart,
): Promise<string> {
  try {
    const target = await stageVariables(s);
    const path = await uploadVariables(target, part.path);
    return await runBulkMutation(s, mutation, path);
  } finally {
    await part.dispose();
  }
}
