import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { expectError, useApiClient, writtenRows, type Json } from '../../test-support/api-client.ts';

const { t, call, raw, postCreated } = useApiClient();

/** Products, variants, versions and change rows of tenant A: unchanged by a refused write. */
const written = (): Promise<string> =>
  writtenRows(t, { table: 'products', children: ['variants'], entity: 'product' });

const create = (body: Json): Promise<Json> => postCreated('/products', body);

describe('products API: happy paths', () => {
  it('creates, reads, updates and deletes a product with variants; money stays a decimal string', async () => {
    const p = await create({
      title: 'Linen shirt',
      vendor: 'Atelier',
      product_type: 'Shirts',
      status: 'active',
      tags: ['summer'],
      description_html: '<p>Light</p>',
      variants: [
        {
          sku: 'SHIRT-S',
          price: '49.9',
          compare_at_price: '59.00',
          option_values: [{ name: 'Size', value: 'S' }],
        },
        { sku: 'SHIRT-M', price: '49.90', option_values: [{ name: 'Size', value: 'M' }] },
      ],
    });
    expect(p).toMatchObject({
      title: 'Linen shirt',
      handle: 'linen-shirt',
      vendor: 'Atelier',
      status: 'active',
      description_html: '<p>Light</p>',
      version: 1,
      created_at: t.clock.now().toISOString(),
    });
    expect(
      (p['variants'] as Json[]).map((v) => [v['sku'], v['price'], v['compare_at_price'], v['position']]),
    ).toEqual([
      ['SHIRT-S', '49.90', '59.00', 1],
      ['SHIRT-M', '49.90', null, 2],
    ]);
    const id = p['id'] as string;
    expect((await call('GET', `/products/${id}`)).json()).toEqual(p);
    t.clock.advance(1000);
    const patched = await call('PATCH', `/products/${id}`, { title: 'Linen shirt II', status: 'draft' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      title: 'Linen shirt II',
      status: 'draft',
      version: 2,
      updated_at: t.clock.now().toISOString(),
    });
    expect((patched.json().variants as Json[]).map((v) => v['sku'])).toEqual(['SHIRT-S', 'SHIRT-M']);
    const del = await call('DELETE', `/products/${id}`);
    expect(del.statusCode).toBe(204);
    expectError(await call('GET', `/products/${id}`), 404, 'not_found');
  });

  it('lists newest first, filters by text, SKU and status, and pages with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      const status = i % 2 === 0 ? 'active' : 'draft';
      ids.push(
        (await create({ title: `Pager ${i}`, status, variants: [{ sku: `PAGER-${i}`, price: '1.00' }] }))[
          'id'
        ] as string,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await call(
        'GET',
        `/products?q=pager&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...(res.json().items as Json[]).map((p) => p['id'] as string));
      cursor = res.json().next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual([...ids].reverse());
    expect(pages).toBe(3);
    const bySku = await call('GET', '/products?sku=PAGER-3');
    expect((bySku.json().items as Json[]).map((p) => p['id'])).toEqual([ids[3]]);
    const drafts = await call('GET', '/products?q=pager&status=draft');
    expect((drafts.json().items as Json[]).map((p) => p['id'])).toEqual([ids[3], ids[1]]);
    t.clock.advance(1000);
    const since = t.clock.now().toISOString();
    await call('PATCH', `/products/${ids[0] as string}`, { vendor: 'New vendor' });
    const updated = await call('GET', `/products?updated_since=${encodeURIComponent(since)}`);
    expect((updated.json().items as Json[]).map((p) => p['id'])).toEqual([ids[0]]);
  });

  it('the search text matches a variant SKU, case-insensitively and in part, on the list endpoint', async () => {
    const p = await create({
      title: 'Plain enamel bowl',
      variants: [
        { sku: 'BWL-ENM-01', price: '8.00', option_values: [{ name: 'Colour', value: 'White' }] },
        { sku: 'BWL-ENM-02', price: '8.00', option_values: [{ name: 'Colour', value: 'Blue' }] },
      ],
    });
    await create({ title: 'Unrelated plate', variants: [{ sku: 'PLT-1', price: '3.00' }] });
    for (const q of ['BWL-ENM-02', 'enm-0', 'bwl']) {
      const res = await call('GET', `/products?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(
        (res.json().items as Json[]).map((i) => i['id']),
        q,
      ).toEqual([p['id']]);
    }
    const none = await call('GET', `/products?q=${encodeURIComponent('BWL_ENM')}`);
    expect(none.json().items).toEqual([]);
  });

  it('stores SQL and HTML metacharacters verbatim and searches them literally', async () => {
    const title = `Robert'); DROP TABLE products;-- <script>alert(1)</script> 50%_off\\`;
    const p = await create({
      title,
      description_html: `<img src=x onerror="alert('x')">`,
      vendor: `O'Brien & Sons`,
    });
    expect(p).toMatchObject({
      title,
      description_html: `<img src=x onerror="alert('x')">`,
      vendor: `O'Brien & Sons`,
    });
    await create({ title: '50 percent off plain' });
    const hit = await call('GET', `/products?q=${encodeURIComponent('50%_off\\')}`);
    expect((hit.json().items as Json[]).map((i) => i['id'])).toEqual([p['id']]);
    const pct = await call('GET', `/products?q=${encodeURIComponent('%')}`);
    expect((pct.json().items as Json[]).map((i) => i['id'])).toEqual([p['id']]);
    const quote = await call('GET', `/products?q=${encodeURIComponent("O'Brien")}`);
    expect((quote.json().items as Json[]).map((i) => i['id'])).toEqual([p['id']]);
  });
});

describe('products API: refused input writes nothing', () => {
  const v = [{ sku: null, price: '1.00' }];
  it.each<[string, () => Promise<LightMyRequestResponse>, number, string]>([
    ['malformed JSON', () => raw('POST', '/products', '{"title": "x"'), 400, 'invalid_json'],
    ['an empty body', () => raw('POST', '/products', ''), 400, 'invalid_json'],
    [
      'an unknown field',
      () => call('POST', '/products', { title: 'X', colour: 'red' }),
      422,
      'validation_failed',
    ],
    [
      'an unknown variant field',
      () => call('POST', '/products', { title: 'X', variants: [{ price: '1', weight: 3 }] }),
      422,
      'validation_failed',
    ],
    [
      'a read-only field',
      () => call('POST', '/products', { title: 'X', version: 7 }),
      422,
      'validation_failed',
    ],
    ['a missing title', () => call('POST', '/products', { vendor: 'V' }), 422, 'validation_failed'],
    ['a title as a number', () => call('POST', '/products', { title: 12 }), 422, 'validation_failed'],
    [
      'a price as a number',
      () => call('POST', '/products', { title: 'X', variants: [{ price: 1.5 }] }),
      422,
      'validation_failed',
    ],
    [
      'a negative price',
      () => call('POST', '/products', { title: 'X', variants: [{ price: '-1.00' }] }),
      422,
      'validation_failed',
    ],
    [
      'an unknown status',
      () => call('POST', '/products', { title: 'X', status: 'gone', variants: v }),
      422,
      'validation_failed',
    ],
    [
      'an over-long title',
      () => call('POST', '/products', { title: 'x'.repeat(256) }),
      422,
      'validation_failed',
    ],
    [
      'an over-long SKU',
      () => call('POST', '/products', { title: 'X', variants: [{ sku: 's'.repeat(256), price: '1' }] }),
      422,
      'validation_failed',
    ],
    [
      'an over-long tag',
      () => call('POST', '/products', { title: 'X', tags: ['t'.repeat(256)] }),
      422,
      'validation_failed',
    ],
    [
      'a text/plain body',
      () =>
        t.app.inject({
          method: 'POST',
          url: '/api/products',
          headers: { ...t.bearer(t.a), 'content-type': 'text/plain' },
          payload: 'title=X',
        }),
      415,
      'unsupported_media_type',
    ],
    ['an invalid cursor', () => call('GET', '/products?cursor=%%%'), 400, 'invalid_cursor'],
    [
      'a cursor with a bad id',
      () =>
        call('GET', `/products?cursor=${Buffer.from('2026-01-01T00:00:00.000Z|x').toString('base64url')}`),
      400,
      'invalid_cursor',
    ],
    ['a limit above 250', () => call('GET', '/products?limit=251'), 422, 'validation_failed'],
    ['a non-uuid id', () => call('PATCH', '/products/1', { title: 'Y' }), 422, 'validation_failed'],
  ])('%s', async (_name, send, status, code) => {
    const before = await written();
    expectError(await send(), status, code);
    expect(await written()).toBe(before);
  });

  it('a duplicate SKU answers 409 duplicate_sku on create and update', async () => {
    const first = await create({ title: 'Dup one', variants: [{ sku: 'DUP-1', price: '1.00' }] });
    const second = await create({ title: 'Dup two', variants: [{ sku: 'DUP-2', price: '1.00' }] });
    const before = await written();
    expectError(
      await call('POST', '/products', { title: 'Dup three', variants: [{ sku: 'DUP-1', price: '2.00' }] }),
      409,
      'duplicate_sku',
    );
    const secondId = second['id'] as string;
    const secondVariant = (second['variants'] as Json[])[0]?.['id'] as string;
    expectError(
      await call('PATCH', `/products/${secondId}`, {
        variants: [{ id: secondVariant, sku: 'DUP-1', price: '1.00' }],
      }),
      409,
      'duplicate_sku',
    );
    expect(await written()).toBe(before);
    expect((await call('GET', `/products/${secondId}`)).json()).toEqual(second);
    expect((await call('GET', `/products/${first['id'] as string}`)).json()).toEqual(first);
  });
});

describe('PATCH /api/products/:id: the variant list', () => {
  const sizes = ['S', 'M', 'L'];
  let made = 0;
  const threeSizes = (): Promise<Json> =>
    create({
      title: `Sized ${++made}`,
      variants: sizes.map((s) => ({
        sku: `SZ-${s}-${made}`,
        price: '10.00',
        option_values: [{ name: 'Size', value: s }],
      })),
    });
  const variantsOf = (p: Json): Json[] => p['variants'] as Json[];

  it('a variant listed by id with its price only keeps its options, SKU and other fields', async () => {
    const p = await threeSizes();
    const res = await call('PATCH', `/products/${p['id'] as string}`, {
      variants: variantsOf(p).map((v) => ({ id: v['id'], price: '12.00' })),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(variantsOf(res.json()).map((v) => [v['id'], v['sku'], v['price'], v['option_values']])).toEqual(
      variantsOf(p).map((v) => [v['id'], v['sku'], '12.00', v['option_values']]),
    );
  });

  it('a partial variant list is refused with 422 naming the variants left out, and changes nothing', async () => {
    const p = await threeSizes();
    const before = await written();
    const [first, ...rest] = variantsOf(p);
    const res = await call('PATCH', `/products/${p['id'] as string}`, {
      variants: [{ id: first?.['id'], price: '11.00' }],
    });
    expectError(res, 422, 'incomplete_variant_list');
    expect(res.json().error.details.missing).toEqual(rest.map((v) => v['id']));
    expect(await written()).toBe(before);
  });

  it('remove_variant_ids deletes exactly the variants it names', async () => {
    const p = await threeSizes();
    const [first, second, third] = variantsOf(p);
    const res = await call('PATCH', `/products/${p['id'] as string}`, {
      variants: [
        { id: first?.['id'], price: '10.00' },
        { id: third?.['id'], price: '10.00' },
      ],
      remove_variant_ids: [second?.['id']],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(variantsOf(res.json()).map((v) => [v['id'], v['option_values'], v['position']])).toEqual([
      [first?.['id'], [{ name: 'Size', value: 'S' }], 1],
      [third?.['id'], [{ name: 'Size', value: 'L' }], 2],
    ]);
  });

  it('three variants with the same options are refused with 422 duplicate_options naming them', async () => {
    const p = await threeSizes();
    const before = await written();
    const res = await call('PATCH', `/products/${p['id'] as string}`, {
      variants: variantsOf(p).map((v) => ({ id: v['id'], price: '10.00', option_values: [] })),
    });
    expectError(res, 422, 'duplicate_options');
    expect(res.json().error.details.options).toEqual(['Default Title']);
    expect(await written()).toBe(before);
    const created = await call('POST', '/products', {
      title: 'Twins',
      variants: ['A', 'B'].map((s) => ({
        sku: `TWIN-OPT-${s}`,
        price: '1.00',
        option_values: [{ name: 'Size', value: 'M' }],
      })),
    });
    expectError(created, 422, 'duplicate_options');
    expect(created.json().error.details.options).toEqual(['M']);
    expect(await written()).toBe(before);
  });

  it('the OpenAPI document describes the variant list contract and remove_variant_ids', async () => {
    const doc = JSON.stringify(
      (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths['/api/products/{id}']
        .patch.requestBody,
    );
    expect(doc).toContain('remove_variant_ids');
    expect(doc).toContain('incomplete_variant_list');
  });
});

describe('GET /api/openapi.json', () => {
  const expected = [
    'POST /api/auth/login',
    'POST /api/auth/logout',
    'GET /api/auth/me',
    'GET /api/tokens',
    'POST /api/tokens',
    'DELETE /api/tokens/{id}',
    'GET /api/products',
    'POST /api/products',
    'GET /api/products/{id}',
    'PATCH /api/products/{id}',
    'DELETE /api/products/{id}',
    'GET /api/customers',
    'POST /api/customers',
    'GET /api/customers/{id}',
    'PATCH /api/customers/{id}',
    'DELETE /api/customers/{id}',
    'GET /api/orders',
    'POST /api/orders',
    'GET /api/orders/{id}',
    'PATCH /api/orders/{id}',
    'POST /api/orders/{id}/cancel',
    'POST /api/orders/{id}/close',
    'GET /api/inventory',
    'POST /api/inventory/set',
    'POST /api/inventory/adjust',
    'GET /api/locations',
    'POST /api/locations',
    'GET /api/locations/{id}',
    'PATCH /api/locations/{id}',
  ];

  it('is public and lists every /api route, each tagged, with its schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(listed).toEqual(expect.arrayContaining(expected));
    for (const route of expected) {
      const [method, path] = route.split(' ') as [string, string];
      expect(doc.paths[path]?.[method.toLowerCase()]?.tags, route).toEqual([expect.any(String)]);
    }
    expect(doc.paths['/api/orders']?.['post']?.requestBody).toBeDefined();
    expect(JSON.stringify(doc.paths['/api/inventory/adjust']?.['post']?.requestBody)).toContain('reason');
    expect(listed).not.toContain('GET /api/openapi.json');
  });
});
