import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { openForFile } from './open-for-file.ts';

export type Json = Record<string, unknown>;

export interface ApiClient {
  /** The file's test app (see createTestApp), there from the first beforeAll to the last afterAll. */
  t: TestApp;
  /** A request to `/api${url}` with tenant A's bearer token and an optional JSON body. */
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
  /** A request to `/api${url}` with tenant A's bearer token and `body` sent as is, as JSON. */
  raw(method: 'POST' | 'PATCH', url: string, body: string): Promise<LightMyRequestResponse>;
  /** POSTs `body` to `/api${url}` as call() does, expects 201 and returns the created resource. */
  postCreated(url: string, body: Json): Promise<Json>;
}

/**
 * Registers beforeAll/afterAll that open one test app for the file (see createTestApp) and close it, and
 * returns it, there for the file's tests and for hooks registered after this call:
 *
 *   const t = useTestApp({ loginThrottle: { maxFailures: 3, windowMs: 60_000 } });
 */
export function useTestApp(opts: TestAppOptions = {}): TestApp {
  return openForFile(
    () => createTestApp(opts),
    (app) => app.close(),
  );
}

/**
 * useTestApp, with request helpers acting as tenant A through its bearer token:
 *
 *   const { t, call, raw } = useApiClient();
 *   beforeAll(async () => { seeded = (await call('POST', '/locations', { name: 'Shop' })).json(); });
 */
export function useApiClient(opts: TestAppOptions = {}): ApiClient {
  const t = useTestApp(opts);
  const call: ApiClient['call'] = (method, url, payload) =>
    t.app.inject({
      method,
      url: `/api${url}`,
      headers: t.bearer(t.a),
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
  const raw: ApiClient['raw'] = (method, url, body) =>
    t.app.inject({
      method,
      url: `/api${url}`,
      headers: { ...t.bearer(t.a), 'content-type': 'application/json' },
      payload: body,
    });
  const postCreated: ApiClient['postCreated'] = async (url, body) => {
    const res = await call('POST', url, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Json;
  };
  return { t, call, raw, postCreated };
}

/** `res` answers `status` with the closed error shape: `{ error: { code, message, details? } }`. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { error: Json };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error['code']).toBe(code);
  expect(typeof body.error['message']).toBe('string');
  expect(Object.keys(body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
}

/**
 * Tenant A's rows of `table` (how many, their versions summed), of each of its `children` tables (how
 * many) and its change rows for `entity` (how many), as one string: equal before and after a refused
 * write.
 */
export async function writtenRows(
  t: TestApp,
  of: { table: string; children?: readonly string[]; entity: string },
): Promise<string> {
  const columns = [
    `(select count(*)::int from ${of.table} where tenant_id = $1) as n`,
    `(select coalesce(sum(version), 0)::int from ${of.table} where tenant_id = $1) as v`,
    ...(of.children ?? []).map(
      (child) => `(select count(*)::int from ${child} where tenant_id = $1) as ${child}`,
    ),
    `(select count(*)::int from changes where tenant_id = $1 and entity = $2) as c`,
  ];
  const { rows } = await t.db.query(`select ${columns.join(', ')}`, [t.a.tenantId, of.entity]);
  return JSON.stringify(rows[0]);
}
