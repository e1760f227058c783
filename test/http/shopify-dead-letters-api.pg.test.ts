import { describe, expect, it } from 'vitest';
import { recordDeadLetter, settleDeadLetters } from '../../src/db/shopify-dead-letters.ts';
import { useTestApp } from '../../test-support/api-client.ts';

/**
 * GET /api/shopify/dead-letters/:id: one letter with every attempt and its error; another tenant's
 * letter is 404 on every dead-letter route; bad ids are 422, never 5xx.
 */
const t = useTestApp();

interface Detail {
  id: number;
  display_name: string;
  attempts: number;
  state: string;
  last_error: string;
  attempt_log: { attempt: number; failed_at: string; error_class: string; error: string }[];
}

const letter = (error: string, attempts = 1) => ({
  direction: 'outbound' as const,
  entity: 'product',
  localId: null,
  gid: 'gid://shopify/Product/42',
  displayName: 'Linen Apron',
  job: 'shopify.push',
  payload: {},
  errorClass: 'shopify_user_errors',
  error,
  attempts,
});

const get = (tenant: typeof t.a, path: string, method: 'GET' | 'POST' = 'GET') =>
  t.app.inject({ method, url: `/api/shopify/dead-letters${path}`, headers: t.bearer(tenant), payload: {} });

describe('a dead letter’s detail', () => {
  it('lists every attempt with its error, and a replay that fails again adds to the same letter', async () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));
    const id = await recordDeadLetter(t.db, t.a.tenantId, letter('Title can’t be blank', 8), at(1));
    expect(await recordDeadLetter(t.db, t.a.tenantId, letter('Handle has already been taken'), at(2))).toBe(
      id,
    );
    await settleDeadLetters(t.db, t.a.tenantId, [id], 'replayed', at(3));
    expect(await recordDeadLetter(t.db, t.a.tenantId, letter('Price must be positive'), at(4))).toBe(id);

    const res = await get(t.a, `/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<Detail>();
    expect(d).toMatchObject({ id, display_name: 'Linen Apron', attempts: 10, state: 'open' });
    expect(d.last_error).toBe('Price must be positive');
    expect(d.attempt_log).toEqual([
      {
        attempt: 8,
        failed_at: at(1).toISOString(),
        error_class: 'shopify_user_errors',
        error: 'Title can’t be blank',
      },
      {
        attempt: 9,
        failed_at: at(2).toISOString(),
        error_class: 'shopify_user_errors',
        error: 'Handle has already been taken',
      },
      {
        attempt: 10,
        failed_at: at(4).toISOString(),
        error_class: 'shopify_user_errors',
        error: 'Price must be positive',
      },
    ]);
    // The list shows one letter for the record.
    const list = await get(t.a, '?state=open');
    expect(list.json<{ items: Detail[] }>().items.filter((l) => l.id === id)).toHaveLength(1);
  });

  it('is not found for another tenant, on every route that names it', async () => {
    const id = await recordDeadLetter(t.db, t.a.tenantId, letter('Refused'), new Date());
    expect((await get(t.b, `/${id}`)).statusCode).toBe(404);
    expect((await get(t.b, `/${id}/discard`, 'POST')).statusCode).toBe(404);
    expect((await get(t.b, `/${id}/replay`, 'POST')).statusCode).toBe(404);
    expect((await get(t.b, '?state=open')).json<{ items: Detail[] }>().items).toEqual([]);
    const all = await get(t.b, '/replay', 'POST');
    expect(all.json<{ settled: unknown[] }>().settled).toEqual([]);
    // Still open for its own tenant.
    expect((await get(t.a, `/${id}`)).json<Detail>().state).toBe('open');
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999999999999', '%00'])(
    'is refused as invalid (422) for the id %s',
    async (bad) => {
      const res = await get(t.a, `/${bad}`);
      expect(res.statusCode).toBe(422);
    },
  );

  it('answers 404 for an id no letter has', async () => {
    expect((await get(t.a, '/987654321')).statusCode).toBe(404);
  });
});
