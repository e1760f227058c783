import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CoreError } from '../../core/errors.ts';
import { conflict, rateLimited } from '../errors.ts';
import { installErrorHandling } from './error-handler.ts';

const logs: Record<string, unknown>[] = [];
let app: FastifyInstance;

beforeAll(async () => {
  const logger = pino({ level: 'error' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/boom', async () => {
    throw new Error('password=hunter2 at db.internal:5432', { cause: new Error('socket closed') });
  });
  r.get(
    '/core/:kind',
    { schema: { params: z.strictObject({ kind: z.enum(['not_found', 'conflict', 'invalid']) }) } },
    async (req) => {
      throw new CoreError(req.params.kind, `core_${req.params.kind}`, 'refused by core', { why: 1 });
    },
  );
  r.get('/conflict', async () => {
    throw conflict('duplicate_sku', 'two variants share a SKU', { skus: ['A'] });
  });
  // What node-postgres throws when the server aborts a transaction: an Error with the SQLSTATE as `code`.
  r.get(
    '/aborted/:code',
    { schema: { params: z.strictObject({ code: z.enum(['40P01', '40001', '40P01-wrapped']) }) } },
    async (req) => {
      const [code, wrapped] = req.params.code.split('-');
      const abort = Object.assign(new Error('deadlock detected'), { code });
      throw wrapped ? new Error('the write failed', { cause: abort }) : abort;
    },
  );
  r.get('/slow-down', async () => {
    throw rateLimited(2.2);
  });
  r.get(
    '/bad-output',
    { schema: { response: { 200: z.object({ n: z.number() }) } } },
    async () => ({ n: 'x' }) as never,
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('error handler', () => {
  it('answers an unexpected error as 500 internal without its message, and logs it with its cause', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal', message: 'internal error', details: { request_id: expect.any(String) } },
    });
    expect(res.body).not.toContain('hunter2');
    const logged = logs.find((l) => l['msg'] === 'unexpected error') as {
      err: { message: string; cause?: { message: string } };
    };
    expect(logged.err.message).toContain('hunter2');
    expect(JSON.stringify(logged.err)).toContain('socket closed');
  });

  it.each([
    ['not_found', 404],
    ['conflict', 409],
    ['invalid', 422],
  ])('maps a CoreError of kind %s to %i with its own code and details', async (kind, status) => {
    const res = await app.inject({ method: 'GET', url: `/core/${kind}` });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({
      error: { code: `core_${kind}`, message: 'refused by core', details: { why: 1 } },
    });
  });

  it('answers an HttpError with its status, specific code and headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'duplicate_sku', message: 'two variants share a SKU', details: { skus: ['A'] } },
    });
    const limited = await app.inject({ method: 'GET', url: '/slow-down' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('3');
  });

  // Issue 16: a write Postgres aborted to break a deadlock (or a serialization conflict) outside
  // commitWrite's reruns, or past them, is transient: 503 with Retry-After, never a 500.
  it.each(['40P01', '40001', '40P01-wrapped'])(
    'answers a transaction the database aborted (%s) as 503 unavailable with Retry-After',
    async (code) => {
      const res = await app.inject({ method: 'GET', url: `/aborted/${code}` });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toEqual({
        error: { code: 'unavailable', message: 'the database is busy with a conflicting change; try again' },
      });
    },
  );

  it('a response that breaks its own schema is a 500 internal, not a leak', async () => {
    const res = await app.inject({ method: 'GET', url: '/bad-output' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: { code: 'internal' } });
  });

  it('validation errors name the location and the path', async () => {
    const res = await app.inject({ method: 'GET', url: '/core/other' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: { location: 'params', issues: [{ path: 'kind', code: 'invalid_value' }] },
      },
    });
  });

  it('an unknown route answers 404 not_found', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /nope' } });
  });
});
