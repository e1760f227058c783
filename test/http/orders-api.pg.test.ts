import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectError, useApiClient, writtenRows, type Json } from '../../test-support/api-client.ts';

const { t, call, raw, postCreated } = useApiClient();
let customerId: string;
let variantId: string;
beforeAll(async () => {
  customerId = (await call('POST', '/customers', { email: 'buyer@example.com', first_name: 'Buyer' })).json()
    .id;
  const product = await call('POST', '/products', {
    title: 'Teapot',
    variants: [{ sku: 'POT-1', price: '24.90' }],
  });
  variantId = product.json().variants[0].id;
});

/** Orders, line items, versions and change rows of tenant A: unchanged by a refused write. */
const written = (): Promise<string> =>
  writtenRows(t, { table: 'orders', children: ['order_line_items'], entity: 'order' });

const line = { title: 'Teapot', quantity: 3, unit_price: '24.90' };
const create = (body: Json): Promise<Json> =>
  postCreated('/orders', { currency: 'EUR', line_items: [line], ...body });

describe('orders API: happy paths', () => {
  it('creates an order with exact decimal totals, numbered from #1001, and reads it back', async () => {
    const o = await create({
      customer_id: customerId,
      email: 'Buyer@Example.com',
      currency: 'eur',
      total_tax: '1.5',
      note: 'gift wrap',
      tags: ['gift'],
      line_items: [
        { title: 'Teapot', quantity: 3, unit_price: '24.90', sku: 'POT-1', variant_id: variantId },
        { title: 'Card', quantity: 1, unit_price: '0.10' },
      ],
    });
    expect(o).toMatchObject({
      name: '#1001',
      number: 1001,
      customer_id: customerId,
      email: 'buyer@example.com',
      currency: 'EUR',
      subtotal_price: '74.80',
      total_tax: '1.50',
      total_price: '76.30',
      financial_status: 'pending',
      fulfillment_status: 'unfulfilled',
      note: 'gift wrap',
      tags: ['gift'],
      cancelled_at: null,
      closed_at: null,
      processed_at: t.clock.now().toISOString(),
      version: 1,
    });
    expect(
      (o['line_items'] as Json[]).map((l) => [
        l['position'],
        l['title'],
        l['quantity'],
        l['unit_price'],
        l['variant_id'],
      ]),
    ).toEqual([
      [1, 'Teapot', 3, '24.90', variantId],
      [2, 'Card', 1, '0.10', null],
    ]);
    expect((await call('GET', `/orders/${o['id'] as string}`)).json()).toEqual(o);
    expect((await create({}))['name']).toBe('#1002');
  });

  it('updates the writable fields only', async () => {
    const o = await create({ email: 'first@example.com' });
    const id = o['id'] as string;
    t.clock.advance(1000);
    const res = await call('PATCH', `/orders/${id}`, {
      email: 'second@example.com',
      phone: '+33 1 23 45 67 89',
      note: 'call first',
      tags: ['b', 'a'],
      customer_id: customerId,
      financial_status: 'paid',
      fulfillment_status: 'fulfilled',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      email: 'second@example.com',
      phone: '+33 1 23 45 67 89',
      note: 'call first',
      customer_id: customerId,
      financial_status: 'paid',
      fulfillment_status: 'fulfilled',
      total_price: o['total_price'],
      version: 2,
      updated_at: t.clock.now().toISOString(),
    });
    const cleared = await call('PATCH', `/orders/${id}`, { customer_id: null, phone: null });
    expect(cleared.json()).toMatchObject({
      customer_id: null,
      phone: null,
      email: 'second@example.com',
      version: 3,
    });
  });

  it('cancels and closes once; a repeat answers 409 and writes nothing', async () => {
    const o = await create({});
    const id = o['id'] as string;
    t.clock.advance(1000);
    const cancelled = await call('POST', `/orders/${id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({
      cancelled_at: t.clock.now().toISOString(),
      closed_at: null,
      version: 2,
    });
    const closed = await call('POST', `/orders/${id}/close`);
    expect(closed.json()).toMatchObject({ closed_at: t.clock.now().toISOString(), version: 3 });
    const before = await written();
    expectError(await call('POST', `/orders/${id}/cancel`), 409, 'already_cancelled');
    expectError(await call('POST', `/orders/${id}/close`), 409, 'already_closed');
    expect(await written()).toBe(before);
  });

  it('lists newest processed first, searches by name and email, and pages with a cursor', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(60_000);
      made.push((await create({ email: `pager${i}@shop.example` }))['id'] as string);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(
        'GET',
        `/orders?q=${encodeURIComponent('@shop.example')}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...(res.json().items as Json[]).map((o) => o['id'] as string));
      cursor = res.json().next_cursor;
      pages++;
    } while (cursor !== null && pages < 5);
    expect(seen).toEqual([...made].reverse());
    expect(pages).toBe(2);
    const byEmail = await call('GET', '/orders?email=PAGER1@shop.example');
    expect((byEmail.json().items as Json[]).map((o) => o['id'])).toEqual([made[1]]);
    const named = (await call('GET', `/orders/${made[1] as string}`)).json().name as string;
    const byName = await call('GET', `/orders?q=${encodeURIComponent(named)}`);
    expect((byName.json().items as Json[]).map((o) => o['name'])).toEqual([named]);
    const mine = await create({ customer_id: customerId });
    const byCustomer = await call('GET', `/orders?customer_id=${customerId}`);
    expect((byCustomer.json().items as Json[]).map((o) => o['id'])).toContain(mine['id']);
    expect((byCustomer.json().items as Json[]).every((o) => o['customer_id'] === customerId)).toBe(true);
    t.clock.advance(1000);
    const since = t.clock.now().toISOString();
    await call('PATCH', `/orders/${made[0] as string}`, { note: 'touched' });
    const updated = await call('GET', `/orders?updated_since=${encodeURIComponent(since)}`);
    expect((updated.json().items as Json[]).map((o) => o['id'])).toEqual([made[0]]);
  });

  it('stores SQL and HTML metacharacters verbatim and searches them literally', async () => {
    const email = `x');drop_table_orders;--<svg/onload=alert(1)>%_\\@evil.example`;
    const note = `<script>document.cookie</script> ' " ;`;
    const title = `<b>Bold</b> '%'`;
    const o = await create({
      email,
      note,
      tags: [`'; --`],
      line_items: [{ title, quantity: 1, unit_price: '1' }],
    });
    expect(o).toMatchObject({ email, note, tags: [`'; --`], line_items: [{ title }] });
    expect((await call('GET', `/orders/${o['id'] as string}`)).json()).toEqual(o);
    await create({ email: 'plain@evil.example' });
    const hit = await call('GET', `/orders?q=${encodeURIComponent('%_\\')}`);
    expect((hit.json().items as Json[]).map((i) => i['id'])).toEqual([o['id']]);
    const quote = await call('GET', `/orders?q=${encodeURIComponent("x');drop")}`);
    expect((quote.json().items as Json[]).map((i) => i['id'])).toEqual([o['id']]);
  });
});

describe('orders API: refused input writes nothing', () => {
  it.each<[string, () => Promise<LightMyRequestResponse>, number, string]>([
    ['malformed JSON', () => raw('POST', '/orders', '{"currency": "EUR",'), 400, 'invalid_json'],
    [
      'no line items',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [] }),
      422,
      'validation_failed',
    ],
    [
      'an unknown field',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [line], discount: '5' }),
      422,
      'validation_failed',
    ],
    [
      'an unknown line field',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [{ ...line, tax: '1' }] }),
      422,
      'validation_failed',
    ],
    [
      'a float price',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [{ ...line, unit_price: 24.9 }] }),
      422,
      'validation_failed',
    ],
    [
      'a negative price',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [{ ...line, unit_price: '-1.00' }] }),
      422,
      'validation_failed',
    ],
    [
      'a zero quantity',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [{ ...line, quantity: 0 }] }),
      422,
      'validation_failed',
    ],
    [
      'a bad currency',
      () => call('POST', '/orders', { currency: 'EURO', line_items: [line] }),
      422,
      'validation_failed',
    ],
    [
      'a wrong subtotal',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [line], subtotal_price: '1.00' }),
      422,
      'validation_failed',
    ],
    [
      'an over-long title',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [{ ...line, title: 'x'.repeat(256) }] }),
      422,
      'validation_failed',
    ],
    [
      'an over-long note',
      () => call('POST', '/orders', { currency: 'EUR', line_items: [line], note: 'x'.repeat(5001) }),
      422,
      'validation_failed',
    ],
    [
      'an unknown customer',
      () =>
        call('POST', '/orders', {
          currency: 'EUR',
          line_items: [line],
          customer_id: '00000000-0000-4000-8000-000000000000',
        }),
      404,
      'not_found',
    ],
    [
      'an unknown variant',
      () =>
        call('POST', '/orders', {
          currency: 'EUR',
          line_items: [{ ...line, variant_id: '00000000-0000-4000-8000-000000000000' }],
        }),
      404,
      'not_found',
    ],
    ['an invalid cursor', () => call('GET', '/orders?cursor=Zm9vfGJhcg'), 400, 'invalid_cursor'],
    ['an unknown query parameter', () => call('GET', '/orders?status=open'), 422, 'validation_failed'],
    [
      'an unknown order',
      () => call('POST', '/orders/00000000-0000-4000-8000-000000000000/cancel'),
      404,
      'not_found',
    ],
  ])('%s', async (_name, send, status, code) => {
    const before = await written();
    expectError(await send(), status, code);
    expect(await written()).toBe(before);
  });

  it('names refused fields in snake_case: a subtotal that does not match the line items', async () => {
    const before = await written();
    const res = await call('POST', '/orders', {
      currency: 'EUR',
      line_items: [line],
      subtotal_price: '1.00',
    });
    expectError(res, 422, 'validation_failed');
    expect(res.json().error.details).toEqual({
      problems: [
        { field: 'subtotal_price', message: 'subtotal_price does not match the line items (74.70)' },
      ],
    });
    expect(res.json().error.message).toBe(
      'subtotal_price: subtotal_price does not match the line items (74.70)',
    );
    expect(await written()).toBe(before);
  });

  it('PATCH sets the shipping address; removing it or an unknown country is refused beside its field', async () => {
    const o = await create({
      shipping_address: { address1: '1 Quai Rambaud', city: 'Lyon', country_code: 'FR' },
    });
    expect(o['shipping_address']).toEqual({ address1: '1 Quai Rambaud', city: 'Lyon', country_code: 'FR' });
    const id = o['id'] as string;
    const paris = {
      first_name: 'Ann',
      last_name: 'Lee',
      company: 'Lee & Co',
      address1: '5 Rue de Rivoli',
      address2: '',
      city: 'Paris',
      province_code: 'idf',
      country_code: 'fr',
      zip: '75001',
      phone: '+33 1 00 00 00 00',
    };
    const res = await call('PATCH', `/orders/${id}`, { shipping_address: paris });
    expect(res.statusCode, res.body).toBe(200);
    const { address2: _blank, ...kept } = paris;
    expect(res.json()['shipping_address']).toEqual({ ...kept, province_code: 'IDF', country_code: 'FR' });
    const before = await written();
    const removed = await call('PATCH', `/orders/${id}`, { shipping_address: null });
    expectError(removed, 422, 'validation_failed');
    expect(removed.json().error.details).toEqual({
      problems: [{ field: 'shipping_address', message: 'a shipping address can be changed but not removed' }],
    });
    const unknown = await call('PATCH', `/orders/${id}`, {
      shipping_address: { ...paris, country_code: 'XX' },
    });
    expectError(unknown, 422, 'validation_failed');
    expect(unknown.json().error.details.issues).toEqual([
      expect.objectContaining({
        path: 'shipping_address.country_code',
        message: 'a two-letter country code such as "FR" or "US"',
      }),
    ]);
    for (const body of [
      { shipping_address: { ...paris, planet: 'Mars' } },
      { shipping_address: { city: 'x'.repeat(256) } },
      { shipping_address: 'Paris' },
      { shipping_address: { city: 7 } },
    ]) {
      expectError(await call('PATCH', `/orders/${id}`, body), 422, 'validation_failed');
    }
    expect(await written()).toBe(before);
    expect((await call('GET', `/orders/${id}`)).json()).toEqual(res.json());
  });

  it('PATCH refuses read-only and unknown fields, wrong types and over-long text, and leaves the order as it was', async () => {
    const o = await create({ email: 'keep@example.com' });
    const id = o['id'] as string;
    const before = await written();
    for (const body of [
      { total_price: '0.00' },
      { line_items: [] },
      { cancelled_at: '2026-01-01T00:00:00Z' },
      { number: 5 },
      { currency: 'USD' },
      { colour: 'red' },
      { financial_status: 'stolen' },
      { tags: 'vip' },
      { email: 'x'.repeat(256) },
    ]) {
      expectError(await call('PATCH', `/orders/${id}`, body), 422, 'validation_failed');
    }
    expectError(await raw('PATCH', `/orders/${id}`, '{"note": '), 400, 'invalid_json');
    expectError(
      await call('PATCH', `/orders/${id}`, { customer_id: '00000000-0000-4000-8000-000000000000' }),
      404,
      'not_found',
    );
    expect(await written()).toBe(before);
    expect((await call('GET', `/orders/${id}`)).json()).toEqual(o);
  });
});
