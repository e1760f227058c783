import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { useTestApp } from '../../test-support/api-client.ts';

const t = useTestApp({ readiness: { queue: async () => undefined } });

const failingDb = (db: Db): Db => ({
  ...db,
  query: async () => {
    throw new Error('connection refused to db.internal');
  },
});

describe('health and readiness', () => {
  it('GET /healthz answers 200 without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database and every check pass', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { db: 'ok', queue: 'ok' } });
  });

  it('GET /readyz answers 503 naming the database when select 1 fails, without the reason', async () => {
    const app = await t.variant({ wrapDb: failingDb, readiness: { queue: async () => undefined } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { db: 'failed', queue: 'ok' } });
    expect(res.body).not.toContain('db.internal');
  });

  it('GET /readyz answers 503 naming the queue when its check rejects', async () => {
    const app = await t.variant({ readiness: { queue: () => Promise.reject(new Error('pg-boss stopped')) } });
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { db: 'ok', queue: 'failed' } });
  });
});

describe('GET /metrics', () => {
  it('exposes process metrics and request durations by route pattern and status', async () => {
    await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: t.bearer(t.a) });
    await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('process_cpu_seconds_total');
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/auth\/me",status_code="200"\} 1/,
    );
    expect(res.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/auth\/me",status_code="401"\} 1/,
    );
  });

  it('each app has its own registry', async () => {
    const other = await t.variant({});
    const res = await other.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).not.toContain('route="/api/auth/me"');
  });
});

describe('GET /api/openapi.json', () => {
  it('is public and lists the routes with their zod-derived schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/auth/logout',
        '/api/auth/me',
        '/api/tokens',
        '/api/tokens/{id}',
      ]),
    );
    const login = doc.paths['/api/auth/login'].post;
    const body = login.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['email', 'password']);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths)).not.toContain('/healthz');
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });
});
