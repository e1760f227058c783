import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { expectError, useApiClient, writtenRows, type Json } from '../../test-support/api-client.ts';

const { t, call, raw, postCreated } = useApiClient();

/** Rows and change rows of tenant A's customers: equal before and after a refused write. */
const written = (): Promise<string> => writtenRows(t, { table: 'customers', entity: 'customer' });

const create = (body: Json): Promise<Json> => postCreated('/customers', body);

describe('customers API: happy paths', () => {
  it('creates, reads, updates and deletes a customer with snake_case fields and ISO times', async () => {
    const created = await create({
      email: 'Ada@Example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '+44 20 7946 0000',
      note: 'VIP',
      tags: ['vip', 'london'],
      addresses: [{ address1: '1 Analytical Way', city: 'London', country_code: 'GB', first_name: 'Ada' }],
    });
    expect(created).toMatchObject({
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      phone: '+44 20 7946 0000',
      note: 'VIP',
      addresses: [{ address1: '1 Analytical Way', city: 'London', country_code: 'GB', first_name: 'Ada' }],
      version: 1,
      created_at: t.clock.now().toISOString(),
    });
    expect([...(created['tags'] as string[])].sort()).toEqual(['london', 'vip']);
    const id = created['id'] as string;
    const got = await call('GET', `/customers/${id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(created);

    t.clock.advance(60_000);
    const patched = await call('PATCH', `/customers/${id}`, { note: 'very important', phone: null });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      note: 'very important',
      phone: null,
      first_name: 'Ada',
      version: 2,
    });
    expect(patched.json().updated_at).toBe(t.clock.now().toISOString());

    const del = await call('DELETE', `/customers/${id}`);
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    expectError(await call('GET', `/customers/${id}`), 404, 'not_found');
    expectError(await call('DELETE', `/customers/${id}`), 404, 'not_found');
  });

  it('lists newest first and pages with an opaque cursor until next_cursor is null', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      ids.push((await create({ first_name: `Pager${i}`, email: `pager${i}@example.com` }))['id'] as string);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(
        'GET',
        `/customers?q=Pager&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: Json[]; next_cursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c['id'] as string));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
  });

  it('filters by exact email (any case), by text and by updated_since', async () => {
    const c = await create({ first_name: 'Grace', last_name: 'Hopper', email: 'grace@navy.example' });
    const byEmail = await call('GET', '/customers?email=GRACE@navy.example');
    expect(byEmail.json().items.map((i: Json) => i['id'])).toEqual([c['id']]);
    const byName = await call('GET', '/customers?q=grace%20hop');
    expect(byName.json().items.map((i: Json) => i['id'])).toEqual([c['id']]);
    t.clock.advance(3_600_000);
    const since = t.clock.now().toISOString();
    const none = await call('GET', `/customers?q=Grace&updated_since=${encodeURIComponent(since)}`);
    expect(none.json().items).toEqual([]);
    await call('PATCH', `/customers/${c['id'] as string}`, { tags: ['navy'] });
    const after = await call('GET', `/customers?q=Grace&updated_since=${encodeURIComponent(since)}`);
    expect(after.json().items.map((i: Json) => i['id'])).toEqual([c['id']]);
  });

  it('stores SQL and HTML metacharacters verbatim and searches them literally', async () => {
    const evil = `Robert'); DROP TABLE customers;-- <script>alert("x")</script> 100%_\\`;
    const c = await create({ first_name: evil, note: `<b>&amp;</b> ' " ; --` });
    expect(c['first_name']).toBe(evil);
    expect(c['note']).toBe(`<b>&amp;</b> ' " ; --`);
    await create({ first_name: '100 percent plain' });
    const hit = await call('GET', `/customers?q=${encodeURIComponent('100%_\\')}`);
    expect(hit.json().items.map((i: Json) => i['id'])).toEqual([c['id']]);
    const script = await call('GET', `/customers?q=${encodeURIComponent('<script>')}`);
    expect(script.json().items.map((i: Json) => i['id'])).toEqual([c['id']]);
    const pct = await call('GET', `/customers?q=${encodeURIComponent('%')}`);
    expect(pct.json().items.map((i: Json) => i['id'])).toEqual([c['id']]);
    const got = await call('GET', `/customers/${c['id'] as string}`);
    expect(got.json().first_name).toBe(evil);
  });

  it('refuses to delete a customer an order references: 409 customer_has_orders', async () => {
    const c = await create({ email: 'buyer@example.com' });
    const order = await call('POST', '/orders', {
      currency: 'EUR',
      customer_id: c['id'],
      line_items: [{ title: 'Mug', quantity: 1, unit_price: '5.00' }],
    });
    expect(order.statusCode, order.body).toBe(201);
    const before = await written();
    expectError(await call('DELETE', `/customers/${c['id'] as string}`), 409, 'customer_has_orders');
    expect(await written()).toBe(before);
  });
});

describe('customers API: refused input writes nothing', () => {
  it.each<[string, () => Promise<LightMyRequestResponse>, number, string]>([
    ['malformed JSON', () => raw('POST', '/customers', '{"email": "x@example.com"'), 400, 'invalid_json'],
    [
      'an unknown field',
      () => call('POST', '/customers', { email: 'u@example.com', nickname: 'x' }),
      422,
      'validation_failed',
    ],
    [
      'a read-only field',
      () => call('POST', '/customers', { email: 'r@example.com', version: 3 }),
      422,
      'validation_failed',
    ],
    [
      'an unknown address key',
      () => call('POST', '/customers', { email: 'a@example.com', addresses: [{ street: 'x' }] }),
      422,
      'validation_failed',
    ],
    [
      'a wrong type',
      () => call('POST', '/customers', { email: 'w@example.com', tags: 'vip' }),
      422,
      'validation_failed',
    ],
    ['a number for a name', () => call('POST', '/customers', { first_name: 42 }), 422, 'validation_failed'],
    [
      // Shopify keeps tags as one comma-separated list: this tag would reach it as two.
      'a tag with a comma',
      () => call('POST', '/customers', { email: 'c@example.com', tags: ['vip, wholesale'] }),
      422,
      'validation_failed',
    ],
    [
      'an over-long name',
      () => call('POST', '/customers', { first_name: 'x'.repeat(256) }),
      422,
      'validation_failed',
    ],
    [
      'an over-long note',
      () => call('POST', '/customers', { first_name: 'n', note: 'x'.repeat(5001) }),
      422,
      'validation_failed',
    ],
    ['a bad email', () => call('POST', '/customers', { email: 'not-an-email' }), 422, 'validation_failed'],
    ['nothing to identify', () => call('POST', '/customers', {}), 422, 'validation_failed'],
    ['an invalid cursor', () => call('GET', '/customers?cursor=bm90LW91cnM'), 400, 'invalid_cursor'],
    ['a bad limit', () => call('GET', '/customers?limit=0'), 422, 'validation_failed'],
    ['an unknown query parameter', () => call('GET', '/customers?sort=name'), 422, 'validation_failed'],
    ['a non-uuid id', () => call('GET', '/customers/123'), 422, 'validation_failed'],
  ])('%s', async (_name, send, status, code) => {
    const before = await written();
    expectError(await send(), status, code);
    expect(await written()).toBe(before);
  });

  it('a duplicate email (any case) answers 409 duplicate_email', async () => {
    await create({ email: 'dup@example.com' });
    const before = await written();
    expectError(await call('POST', '/customers', { email: 'DUP@example.com' }), 409, 'duplicate_email');
    const other = await create({ email: 'other-dup@example.com' });
    expectError(
      await call('PATCH', `/customers/${other['id'] as string}`, { email: 'dup@example.com' }),
      409,
      'duplicate_email',
    );
    expect(JSON.parse(await written()).n).toBe(JSON.parse(before).n + 1);
    expect((await call('GET', `/customers/${other['id'] as string}`)).json().email).toBe(
      'other-dup@example.com',
    );
  });

  it('a refused update leaves the customer as it was', async () => {
    const c = await create({ email: 'keep@example.com', first_name: 'Keep' });
    const id = c['id'] as string;
    for (const body of [
      { first_name: 'x'.repeat(256) },
      { id: 'abc' },
      { created_at: 'now' },
      { email: 'nope' },
      { tags: ['a,b'] },
    ]) {
      const res = await call('PATCH', `/customers/${id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
    }
    expectError(await raw('PATCH', `/customers/${id}`, '{"note":'), 400, 'invalid_json');
    expect((await call('GET', `/customers/${id}`)).json()).toEqual(c);
  });
});
