import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectError, useApiClient, type Json } from '../../test-support/api-client.ts';

const { t, call, raw } = useApiClient();
let variantId: string;
let otherVariantId: string;
let locationId: string;
let otherLocationId: string;
beforeAll(async () => {
  const product = await call('POST', '/products', {
    title: 'Mug',
    variants: [
      { sku: 'MUG-RED', price: '9.50', option_values: [{ name: 'Colour', value: 'Red' }] },
      { sku: 'MUG-BLUE', price: '9.50', option_values: [{ name: 'Colour', value: 'Blue' }] },
    ],
  });
  expect(product.statusCode, product.body).toBe(201);
  const variants = product.json().variants as { id: string; sku: string }[];
  variantId = variants.find((v) => v.sku === 'MUG-RED')?.id as string;
  otherVariantId = variants.find((v) => v.sku === 'MUG-BLUE')?.id as string;
  locationId = (await call('POST', '/locations', { name: 'Warehouse' })).json().id;
  otherLocationId = (await call('POST', '/locations', { name: 'Shop' })).json().id;
});
/** Levels, adjustment rows and change rows of tenant A: unchanged by a refused write. */
async function written(): Promise<string> {
  const { rows } = await t.db.query(
    `select (select json_agg(json_build_object('id', id, 'a', available, 'h', on_hand, 'v', version) order by id)
               from inventory_levels where tenant_id = $1) as levels,
            (select count(*)::int from inventory_adjustments where tenant_id = $1) as adjustments,
            (select count(*)::int from changes where tenant_id = $1 and entity = 'inventory_level') as c`,
    [t.a.tenantId],
  );
  return JSON.stringify(rows[0]);
}

const set = (available: unknown, reason: unknown = 'stock count', v = variantId, l = locationId) =>
  call('POST', '/inventory/set', { variant_id: v, location_id: l, available, reason });
const adjust = (delta: unknown, reason: unknown = 'received', v = variantId, l = locationId) =>
  call('POST', '/inventory/adjust', { variant_id: v, location_id: l, delta, reason });

describe('inventory API', () => {
  it('sets then adjusts a level; each write records an adjustment with its reason', async () => {
    const s = await set(10, 'initial count');
    expect(s.statusCode, s.body).toBe(200);
    expect(s.json()).toMatchObject({
      variant_id: variantId,
      location_id: locationId,
      available: 10,
      on_hand: 10,
      version: 1,
    });
    expect(s.json().updated_at).toBe(t.clock.now().toISOString());
    const a = await adjust(-3, 'sold at the counter');
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ id: s.json().id, available: 7, on_hand: 7, version: 2 });
    const { rows } = await t.db.query<{ delta_available: number; reason: string }>(
      'select delta_available, reason from inventory_adjustments where tenant_id = $1 and variant_id = $2 order by created_at, id',
      [t.a.tenantId, variantId],
    );
    expect(rows.map((r) => [r.delta_available, r.reason])).toEqual([
      [10, 'initial count'],
      [-3, 'sold at the counter'],
    ]);
  });

  it('lists levels with their SKU, filters by variant, location and SKU, and pages with a cursor', async () => {
    t.clock.advance(1000);
    expect((await set(4, 'count', otherVariantId, locationId)).statusCode).toBe(200);
    t.clock.advance(1000);
    expect((await set(2, 'count', otherVariantId, otherLocationId)).statusCode).toBe(200);
    const all = await call('GET', '/inventory');
    expect(all.statusCode, all.body).toBe(200);
    const items = all.json().items as Json[];
    expect(items.map((i) => [i['sku'], i['location_id'], i['available']])).toEqual([
      ['MUG-BLUE', otherLocationId, 2],
      ['MUG-BLUE', locationId, 4],
      ['MUG-RED', locationId, 7],
    ]);
    const bySku = await call('GET', '/inventory?sku=MUG-BLUE');
    expect((bySku.json().items as Json[]).map((i) => i['available'])).toEqual([2, 4]);
    const byVariant = await call('GET', `/inventory?variant_id=${variantId}`);
    expect((byVariant.json().items as Json[]).map((i) => i['sku'])).toEqual(['MUG-RED']);
    const byLocation = await call('GET', `/inventory?location_id=${otherLocationId}`);
    expect((byLocation.json().items as Json[]).map((i) => i['available'])).toEqual([2]);
    const first = await call('GET', '/inventory?limit=2');
    expect(first.json().items).toEqual(items.slice(0, 2));
    const cursor = first.json().next_cursor as string;
    expect(cursor).toEqual(expect.any(String));
    const second = await call('GET', `/inventory?limit=2&cursor=${encodeURIComponent(cursor)}`);
    expect(second.json()).toEqual({ items: items.slice(2), next_cursor: null });
  });

  it('going below zero answers 422 negative_stock and writes nothing', async () => {
    const before = await written();
    const below = await adjust(-1000);
    expectError(below, 422, 'negative_stock');
    expect(below.json().error.details).toEqual({
      variant_id: variantId,
      location_id: locationId,
      available: -993,
    });
    expectError(await set(-1), 422, 'negative_stock');
    expect(await written()).toBe(before);
  });

  it('an unknown variant or location answers 404 and creates no level', async () => {
    const before = await written();
    const missing = '00000000-0000-4000-8000-000000000000';
    expectError(await set(1, 'x', missing), 404, 'not_found');
    expectError(await adjust(1, 'x', variantId, missing), 404, 'not_found');
    expect(await written()).toBe(before);
  });

  it('stores a reason with SQL and HTML metacharacters verbatim', async () => {
    const reason = `'); delete from inventory_levels; -- <script>x</script>`;
    expect((await adjust(1, reason)).statusCode).toBe(200);
    const { rows } = await t.db.query<{ reason: string }>(
      'select reason from inventory_adjustments where tenant_id = $1 order by created_at desc, id desc limit 1',
      [t.a.tenantId],
    );
    expect(rows[0]?.reason).toBe(reason);
  });

  it.each<[string, () => Promise<LightMyRequestResponse>, number, string]>([
    ['malformed JSON', () => raw('POST', '/inventory/set', '{"available": 1'), 400, 'invalid_json'],
    [
      'a missing reason',
      () => call('POST', '/inventory/adjust', { variant_id: variantId, location_id: locationId, delta: 1 }),
      422,
      'validation_failed',
    ],
    ['a blank reason', () => adjust(1, '   '), 422, 'validation_failed'],
    ['an over-long reason', () => adjust(1, 'x'.repeat(256)), 422, 'validation_failed'],
    ['a fractional delta', () => adjust(1.5), 422, 'validation_failed'],
    ['a delta as text', () => adjust('5'), 422, 'validation_failed'],
    [
      'an unknown field',
      () =>
        call('POST', '/inventory/set', {
          variant_id: variantId,
          location_id: locationId,
          available: 1,
          reason: 'x',
          on_hand: 3,
        }),
      422,
      'validation_failed',
    ],
    ['a non-uuid variant', () => set(1, 'x', 'abc'), 422, 'validation_failed'],
    ['an invalid cursor', () => call('GET', '/inventory?cursor=garbage'), 400, 'invalid_cursor'],
    ['an unknown query parameter', () => call('GET', '/inventory?q=mug'), 422, 'validation_failed'],
  ])('%s is refused and writes nothing', async (_name, send, status, code) => {
    const before = await written();
    expectError(await send(), status, code);
    expect(await written()).toBe(before);
  });
});
