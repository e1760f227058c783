// A price is refused at the API unless Shopify can hold it exactly: before, "999999999999999.9999" was
// accepted (201), Shopify rounded it past what Retailos reads, and the product dead-lettered both ways.
import { describe, expect, it } from 'vitest';
import { expectError, useApiClient, writtenRows, type Json } from '../../test-support/api-client.ts';

const { t, call, postCreated } = useApiClient();
const written = () => writtenRows(t, { table: 'products', children: ['variants'], entity: 'product' });

const issuesOf = (body: unknown) =>
  (body as { error: { details: { issues: { path: string; message: string }[] } } }).error.details.issues;

describe('prices Shopify cannot hold are refused with 422', () => {
  it.each([
    ['price', { price: '999999999999999.9999' }, 'variants.0.price'],
    ['price', { price: '12.345' }, 'variants.0.price'],
    [
      'compare_at_price',
      { price: '1.00', compare_at_price: '999999999999999.9999' },
      'variants.0.compare_at_price',
    ],
  ])('a %s of %j on create, naming the field; nothing written', async (_field, variant, path) => {
    const before = await written();
    const res = await call('POST', '/products', { title: 'Too dear', variants: [variant] });
    expectError(res, 422, 'validation_failed');
    expect(issuesOf(res.json())).toEqual([
      { path, code: 'custom', message: expect.stringMatching(/Shopify keeps prices to 2 decimals/) },
    ]);
    expect(await written()).toBe(before);
  });

  it('on update too, and the product keeps its price', async () => {
    const p = await postCreated('/products', { title: 'Priced', variants: [{ price: '10.00' }] });
    const variant = (p['variants'] as Json[])[0] as Json;
    const before = await written();
    const res = await call('PATCH', `/products/${String(p['id'])}`, {
      variants: [{ id: variant['id'], price: '999999999999999.9999' }],
    });
    expectError(res, 422, 'validation_failed');
    expect(await written()).toBe(before);
    const now = (await call('GET', `/products/${String(p['id'])}`)).json() as Json;
    expect((now['variants'] as Json[])[0]?.['price']).toBe('10.00');
  });

  it('the largest price Shopify and Retailos both hold exactly is accepted', async () => {
    const p = await postCreated('/products', {
      title: 'Dearest',
      variants: [{ price: '999999999999999.99' }],
    });
    expect((p['variants'] as Json[])[0]?.['price']).toBe('999999999999999.99');
  });
});
