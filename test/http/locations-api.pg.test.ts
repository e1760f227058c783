import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { expectError, useApiClient, writtenRows, type Json } from '../../test-support/api-client.ts';

const { t, call, raw, postCreated } = useApiClient();

/** Locations, versions and change rows of tenant A: unchanged by a refused write. */
const written = (): Promise<string> => writtenRows(t, { table: 'locations', entity: 'location' });

const create = (body: Json): Promise<Json> => postCreated('/locations', body);

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
