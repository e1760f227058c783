import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/app.ts';

let t: TestApp;
let auth: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  auth = t.bearer(t.a);
});
afterAll(async () => {
  await t.close();
});

type Json = Record<string, unknown>;
const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api${url}`,
    headers: auth,
    ...(payload === undefined ? {} : { payload: payload as Json }),
  });
const raw = (method: 'POST' | 'PATCH', url: string, body: string) =>
  t.app.inject({
    method,
    url: `/api${url}`,
    headers: { ...auth, 'content-type': 'application/json' },
    payload: body,
  });

function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { error: Json };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error['code']).toBe(code);
  expect(typeof body.error['message']).toBe('string');
  expect(Object.keys(body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
}

async function written(): Promise<string> {
  const { rows } = await t.db.query(
    `select (select count(*)::int from locations where tenant_id = $1) as n,
            (select coalesce(sum(version), 0)::int from locations where tenant_id = $1) as v,
            (select count(*)::int from changes where tenant_id = $1 and entity = 'location') as c`,
    [t.a.tenantId],
  );
  return JSON.stringify(rows[0]);
}

async function create(body: Json): Promise<Json> {
  const res = await call('POST', '/locations', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Json;
}

describe('locations API', () => {
  it('creates, reads, updates and lists locations', async () => {
    const l = await create({ name: '  Main warehouse ', address: { city: 'Lyon', country_code: 'FR' } });
    expect(l).toMatchObject({
      name: 'Main warehouse',
      address: { city: 'Lyon', country_code: 'FR' },
      active: true,
      version: 1,
    });
    expect(l['created_at']).toBe(t.clock.now().toISOString());
    const id = l['id'] as string;
    expect((await call('GET', `/locations/${id}`)).json()).toEqual(l);
    t.clock.advance(1000);
    const patched = await call('PATCH', `/locations/${id}`, { active: false });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Main warehouse',
      active: false,
      version: 2,
      updated_at: t.clock.now().toISOString(),
    });
    const shop = await create({ name: 'Shop' });
    const all = await call('GET', '/locations');
    expect(all.statusCode).toBe(200);
    const names = (all.json().items as Json[]).map((i) => i['name']);
    expect(names).toEqual(expect.arrayContaining(['Main warehouse', 'Shop']));
    const active = await call('GET', '/locations?active_only=true');
    const activeIds = (active.json().items as Json[]).map((i) => i['id']);
    expect(activeIds).toContain(shop['id']);
    expect(activeIds).not.toContain(id);
  });

  it('stores SQL and HTML metacharacters verbatim', async () => {
    const name = `'; DROP TABLE locations; -- <img src=x onerror=alert(1)> & "quoted"`;
    const l = await create({ name, address: { note: '<b>%_\\</b>' } });
    expect(l['name']).toBe(name);
    expect((await call('GET', `/locations/${l['id'] as string}`)).json()).toMatchObject({
      name,
      address: { note: '<b>%_\\</b>' },
    });
  });

  it('a duplicate name answers 409 duplicate_location_name on create and rename', async () => {
    await create({ name: 'Dock' });
    const other = await create({ name: 'Back room' });
    const before = await written();
    expectError(await call('POST', '/locations', { name: 'Dock' }), 409, 'duplicate_location_name');
    expectError(
      await call('PATCH', `/locations/${other['id'] as string}`, { name: 'Dock' }),
      409,
      'duplicate_location_name',
    );
    expect(await written()).toBe(before);
  });

  it.each<[string, () => Promise<LightMyRequestResponse>, number, string]>([
    ['malformed JSON', () => raw('POST', '/locations', '{"name": "x"'), 400, 'invalid_json'],
    [
      'an unknown field',
      () => call('POST', '/locations', { name: 'X', kind: 'shop' }),
      422,
      'validation_failed',
    ],
    ['a missing name', () => call('POST', '/locations', { active: true }), 422, 'validation_failed'],
    ['a blank name', () => call('POST', '/locations', { name: '   ' }), 422, 'validation_failed'],
    [
      'a wrong type',
      () => call('POST', '/locations', { name: 'X', active: 'yes' }),
      422,
      'validation_failed',
    ],
    [
      'an address that is not text',
      () => call('POST', '/locations', { name: 'X', address: { zip: 69001 } }),
      422,
      'validation_failed',
    ],
    [
      'an over-long name',
      () => call('POST', '/locations', { name: 'x'.repeat(256) }),
      422,
      'validation_failed',
    ],
    ['an unknown query parameter', () => call('GET', '/locations?limit=1'), 422, 'validation_failed'],
    [
      'an unknown id',
      () => call('PATCH', '/locations/00000000-0000-4000-8000-000000000000', { name: 'Y' }),
      404,
      'not_found',
    ],
  ])('%s is refused and writes nothing', async (_name, send, status, code) => {
    const before = await written();
    expectError(await send(), status, code);
    expect(await written()).toBe(before);
  });
});
