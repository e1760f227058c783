import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { CoreError, type CoreErrorKind } from '../../core/errors.ts';
import { isTransientAbort } from '../../db/db.ts';
import { ShopifyNotWiredError } from '../../deps.ts';
import { ERROR_STATUS, errorBody, HttpError, type ErrorBody, type ErrorCode } from '../errors.ts';

const CORE_KIND: Record<CoreErrorKind, ErrorCode> = {
  not_found: 'not_found',
  conflict: 'conflict',
  invalid: 'validation_failed',
};

/** Fastify's own client errors, by code. */
const FASTIFY_CODES: Record<string, [ErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_json', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_json', 'the body is empty but the content type is JSON'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'the body is larger than allowed'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'send the body as application/json'],
};

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

interface Mapped {
  status: number;
  body: ErrorBody;
  headers?: Readonly<Record<string, string>>;
}

interface ValidationIssue {
  instancePath: string;
  message?: string | undefined;
  keyword: string;
}

function validationDetails(location: string | undefined, issues: readonly ValidationIssue[]) {
  return {
    location: location ?? 'body',
    issues: issues.map((i) => ({
      path: i.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.'),
      code: i.keyword,
      message: i.message ?? 'invalid',
    })),
  };
}

/** A transient abort (isTransientAbort), thrown as is or as the cause of what was thrown. */
function abortedTransaction(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; depth += 1) {
    if (isTransientAbort(e)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Maps a thrown value to a status and the closed error shape; undefined = unexpected (a 500). */
export function mapError(err: unknown): Mapped | undefined {
  if (err instanceof HttpError) return { status: err.status, body: err.toBody(), headers: err.headers };
  if (err instanceof CoreError) {
    const kind = CORE_KIND[err.kind];
    return { status: ERROR_STATUS[kind], body: errorBody(err.code, err.message, err.details) };
  }
  if (err instanceof ShopifyNotWiredError)
    return { status: 503, body: errorBody('unavailable', err.message) };
  // Postgres aborted a transaction to break a deadlock or a serialization conflict (commitWrite reruns a
  // core write, but gives up after WRITE_ATTEMPTS; other writes do not rerun): transient, not a bug.
  if (abortedTransaction(err)) {
    return {
      status: 503,
      body: errorBody('unavailable', 'the database is busy with a conflicting change; try again'),
      headers: { 'retry-after': '1' },
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = validationDetails(err.validationContext, err.validation);
    return {
      status: 422,
      body: errorBody('validation_failed', 'the request does not match the schema', details),
    };
  }
  const fe = err as Partial<FastifyError>;
  if (typeof fe.code === 'string' && fe.code === 'FST_ERR_VALIDATION' && Array.isArray(fe.validation)) {
    const details = validationDetails(fe.validationContext, fe.validation);
    return {
      status: 422,
      body: errorBody('validation_failed', 'the request does not match the schema', details),
    };
  }
  const known = typeof fe.code === 'string' ? FASTIFY_CODES[fe.code] : undefined;
  if (known) return { status: ERROR_STATUS[known[0]], body: errorBody(known[0], known[1]) };
  const byStatus = typeof fe.statusCode === 'number' ? STATUS_CODES[fe.statusCode] : undefined;
  if (byStatus && fe.statusCode) {
    const message = byStatus === 'bad_request' ? 'the request is malformed' : byStatus.replaceAll('_', ' ');
    return { status: fe.statusCode, body: errorBody(byStatus, message) };
  }
  return undefined;
}

function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = mapError(err);
  if (mapped) {
    if (mapped.status >= 500) request.log.error({ err }, 'request failed');
    return reply
      .code(mapped.status)
      .headers(mapped.headers ?? {})
      .send(mapped.body);
  }
  request.log.error({ err }, 'unexpected error');
  return reply.code(500).send(errorBody('internal', 'internal error', { request_id: request.id }));
}

/** Every error and unknown route answers the closed error shape. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
