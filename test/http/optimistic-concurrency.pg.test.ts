// Optimistic concurrency on PATCH of products, customers and orders: an edit made from an older read
// (its `version`, or an If-Match header) is refused with 409 stale_version and the record as it is now,
// so no edit silently overwrites another; a client that sends no version writes as before.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectError, useApiClient, writtenRows, type Json } from '../../test-support/api-client.ts';

const { t, call, postCreated } = useApiClient();

type Kind = 'products' | 'customers' | 'orders';
const ENTITY: Record<Kind, string> = { products: 'product', customers: 'customer', orders: 'order' };
/** A field each kind's PATCH changes freely, to tell the two competing edits apart. */
const FIELD: Record<Kind, string> = { products: 'vendor', customers: 'note', orders: 'note' };

const ids: Record<Kind, string> = { products: '', customers: '', orders: '' };

beforeAll(async () => {
  ids.products = (await postCreated('/products', { title: 'Teapot' }))['id'] as string;
  ids.customers = (await postCreated('/customers', { email: 'ann@example.com' }))['id'] as string;
  ids.orders = (
    await postCreated('/orders', {
      currency: 'EUR',
      line_items: [{ title: 'Teapot', quantity: 1, unit_price: '24.90' }],
    })
  )['id'] as string;
});

const get = async (kind: Kind): Promise<Json> => (await call('GET', `/${kind}/${ids[kind]}`)).json() as Json;
const written = (kind: Kind): Promise<string> => writtenRows(t, { table: kind, entity: ENTITY[kind] });

function patch(kind: Kind, body: Json, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'PATCH',
    url: `/api/${kind}/${ids[kind]}`,
    headers: { ...t.bearer(t.a), 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(body),
  });
}

describe.each(['products', 'customers', 'orders'] as const)('PATCH /api/%s/:id with a version', (kind) => {
  const field = FIELD[kind];

  it('goes ahead at the current version and refuses an older one with the current record', async () => {
    const now = await get(kind);
    const v = now['version'] as number;
    const ok = await patch(kind, { [field]: `edit at ${v}`, version: v });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ [field]: `edit at ${v}`, version: v + 1 });

    const before = await written(kind);
    const stale = await patch(kind, { [field]: 'from an old page', version: v });
    expectError(stale, 409, 'stale_version');
    expect(stale.json().error.details).toEqual({ current: ok.json() });
    expect(stale.json().error.message).toMatch(/changed since you read it/);
    expect(await written(kind)).toBe(before);
    expect(await get(kind)).toEqual(ok.json());
  });

  it('takes the version from If-Match ("n", W/"n", * for any), and refuses a malformed one', async () => {
    const v = (await get(kind))['version'] as number;
    expectError(await patch(kind, { [field]: 'x' }, { 'if-match': `"${v - 1}"` }), 409, 'stale_version');
    const strong = await patch(kind, { [field]: 'if-match' }, { 'if-match': `"${v}"` });
    expect(strong.statusCode, strong.body).toBe(200);
    const weak = await patch(kind, { [field]: 'weak' }, { 'if-match': `W/"${v + 1}"` });
    expect(weak.statusCode, weak.body).toBe(200);
    expect((await patch(kind, { [field]: 'any' }, { 'if-match': '*' })).statusCode).toBe(200);
    const before = await written(kind);
    expectError(await patch(kind, { [field]: 'y' }, { 'if-match': 'yesterday' }), 400, 'invalid_if_match');
    expectError(
      await patch(kind, { [field]: 'y', version: v + 3 }, { 'if-match': `"${v + 4}"` }),
      400,
      'version_mismatch',
    );
    expectError(await patch(kind, { [field]: 'y', version: 0 }), 422, 'validation_failed');
    expect(await written(kind)).toBe(before);
  });

  it('without a version, an edit goes ahead whatever the version (clients that do not send one)', async () => {
    const v = (await get(kind))['version'] as number;
    const res = await patch(kind, { [field]: 'no version' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ [field]: 'no version', version: v + 1 });
  });
});

describe('two edits made from the same read', () => {
  it('exactly one wins, the other answers 409 with the winner’s record; nothing is lost or half-written', async () => {
    const value = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s !== '');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Kind>('products', 'customers', 'orders'),
        value,
        value,
        fc.boolean(),
        async (kind, a, b, viaHeader) => {
          const field = FIELD[kind];
          const start = await get(kind);
          const v = start['version'] as number;
          const changesBefore = JSON.parse(await written(kind)) as { c: number };
          const send = (x: string) =>
            viaHeader
              ? patch(kind, { [field]: x }, { 'if-match': `"${v}"` })
              : patch(kind, { [field]: x, version: v });
          // Both in flight at once: each reads the record under its row lock, one after the other.
          const [ra, rb] = await Promise.all([send(a), send(b)]);
          const statuses = [ra.statusCode, rb.statusCode];
          expect([...statuses].sort()).toEqual([200, 409]);
          const [won, lost] = ra.statusCode === 200 ? [ra, rb] : [rb, ra];
          const winner = won.json() as Json;
          expect(winner['version']).toBe(v + 1);
          expect(winner[field]).toBe(ra.statusCode === 200 ? a : b);
          expect(lost.json().error).toMatchObject({ code: 'stale_version', details: { current: winner } });
          // The record is the winner's, with one more version and one change row: the loser wrote nothing.
          expect(await get(kind)).toEqual(winner);
          const after = JSON.parse(await written(kind)) as { c: number };
          expect(after.c).toBe(changesBefore.c + 1);
        },
      ),
      { numRuns: 25 },
    );
  });
});
