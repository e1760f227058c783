import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertHistory, type HistoryEntry } from '../../src/db/shopify-sync-history.ts';
import { insertImportBatchHistory } from '../../src/db/shopify-sync-history-search.ts';
import { expectError, useApiClient, type Json } from '../../test-support/api-client.ts';

const { t, call } = useApiClient();

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (hours: number): Date => new Date(T0.getTime() + hours * 3_600_000);

const shirt = randomUUID();
const hat = randomUUID();
const order = randomUUID();
const customer = randomUUID();
const scarf = randomUUID();
const socks = randomUUID();

const entry = (e: Partial<HistoryEntry> & Pick<HistoryEntry, 'entity' | 'displayName'>): HistoryEntry => ({
  localId: null,
  gid: null,
  direction: 'inbound',
  origin: 'webhook',
  action: 'update',
  outcome: 'applied',
  before: null,
  after: null,
  diff: [],
  conflicts: [],
  error: null,
  searchWords: [],
  ...e,
});

/** Entry ids by name, as the API numbers them. */
const ids: Record<string, number> = {};

async function add(tenantId: string, name: string, e: HistoryEntry, when: Date): Promise<void> {
  await insertHistory(t.db, tenantId, [e], when);
  const { rows } = await t.db.query<{ id: string }>(
    'select max(id)::text as id from shopify_sync_history where tenant_id = $1',
    [tenantId],
  );
  ids[name] = Number(rows[0]?.id);
}

beforeAll(async () => {
  const A = t.a.tenantId;
  const shirtEntry = {
    entity: 'product',
    localId: shirt,
    gid: 'gid://shopify/Product/7001',
    displayName: 'Blue Shirt',
    searchWords: ['blue-shirt', 'SKU-BLUE-1'],
  } as const;
  await add(
    A,
    'shirtWebhook',
    entry({
      ...shirtEntry,
      before: { title: 'Blue shirt', variants: [{ sku: 'SKU-BLUE-1', price: '10.00' }] },
      after: { title: 'Blue Shirt', variants: [{ sku: 'SKU-BLUE-1', price: '10.00' }] },
      diff: [{ path: 'title', before: 'Blue shirt', after: 'Blue Shirt' }],
    }),
    at(0),
  );
  await add(
    A,
    'hatPushFailed',
    entry({
      entity: 'product',
      localId: hat,
      gid: 'gid://shopify/Product/70012',
      displayName: 'Red Hat',
      searchWords: ['red-hat', 'HAT-9'],
      direction: 'outbound',
      origin: 'push',
      outcome: 'failed',
      error: 'Shopify refused the price',
    }),
    at(1),
  );
  await add(
    A,
    'orderMerged',
    entry({
      entity: 'order',
      localId: order,
      gid: 'gid://shopify/Order/5001',
      displayName: '#1001',
      searchWords: ['ann@example.com', ''],
      outcome: 'merged',
      conflicts: [{ path: 'note', local: 'ring first', remote: 'leave at door', winner: 'remote' }],
    }),
    at(2),
  );
  await add(
    A,
    'customerReconciled',
    entry({
      entity: 'customer',
      localId: customer,
      gid: 'gid://shopify/Customer/3001',
      displayName: 'ann@example.com',
      searchWords: ['Ann', 'Lee', '+33600000000'],
      origin: 'reconcile',
    }),
    at(3),
  );
  await insertImportBatchHistory(
    t.db,
    A,
    'product',
    [
      {
        localId: scarf,
        gid: 'gid://shopify/Product/9001',
        name: 'Green Scarf',
        words: ['green-scarf', 'SCARF-7'],
        created: true,
      },
      {
        localId: socks,
        gid: 'gid://shopify/Product/9002',
        name: 'Yellow Socks',
        words: ['yellow-socks', 'SOCK-1'],
        created: true,
      },
    ],
    at(4),
  );
  ids['import'] = ids['customerReconciled']! + 1;
  await add(A, 'shirtRevert', entry({ ...shirtEntry, direction: 'outbound', origin: 'revert' }), at(5));
  // Tenant B has the same product, with the same words: never shown to A.
  await add(t.b.tenantId, 'otherTenant', entry({ ...shirtEntry, localId: randomUUID() }), at(6));
});

async function list(query: string): Promise<Json[]> {
  const res = await call('GET', `/shopify/history${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Json[];
}

const names = async (query: string): Promise<string[]> =>
  (await list(query)).map((e) => Object.keys(ids).find((k) => ids[k] === e['id']) ?? String(e['id']));

describe('GET /api/shopify/history: search', () => {
  it('lists every entry newest first', async () => {
    expect(await names('')).toEqual([
      'shirtRevert',
      'import',
      'customerReconciled',
      'orderMerged',
      'hatPushFailed',
      'shirtWebhook',
    ]);
  });

  it('finds a product by its title, in part, any case, words in any order', async () => {
    expect(await names('?q=blue%20shirt')).toEqual(['shirtRevert', 'shirtWebhook']);
    expect(await names('?q=SHIRT%20blu')).toEqual(['shirtRevert', 'shirtWebhook']);
    expect(await names('?q=red%20shirt')).toEqual([]);
  });

  it('finds a product by SKU, in part', async () => {
    expect(await names('?q=sku-blue')).toEqual(['shirtRevert', 'shirtWebhook']);
    expect(await names('?q=HAT-9')).toEqual(['hatPushFailed']);
  });

  it('finds an order by its name, with or without the #', async () => {
    expect(await names('?q=%231001')).toEqual(['orderMerged']);
    expect(await names('?q=1001')).toEqual(['orderMerged']);
  });

  it('finds by customer e-mail (the customer and their order) and by customer name', async () => {
    expect(await names('?q=ANN%40example.com')).toEqual(['customerReconciled', 'orderMerged']);
    expect(await names('?q=ann%20lee')).toEqual(['customerReconciled']);
  });

  it('finds by numeric Shopify id, and by full GID exactly', async () => {
    expect(await names('?q=3001')).toEqual(['customerReconciled']);
    // 7001 is in part of 70012 too: a numeric id matches in part, as any word does.
    expect(await names('?q=7001')).toEqual(['shirtRevert', 'hatPushFailed', 'shirtWebhook']);
    expect(await names(`?q=${encodeURIComponent('gid://shopify/Product/7001')}`)).toEqual([
      'shirtRevert',
      'shirtWebhook',
    ]);
    expect(await names(`?q=${encodeURIComponent('gid://shopify/Product/70012')}`)).toEqual(['hatPushFailed']);
  });

  it('treats %, _ and \\ as plain characters', async () => {
    expect(await names('?q=%25')).toEqual([]);
    expect(await names('?q=_')).toEqual([]);
    expect(await names('?q=%5C')).toEqual([]);
  });

  it('finds an imported record (one entry per batch) by title, SKU or id, listing only the records that match', async () => {
    for (const q of ['green%20scarf', 'SCARF-7', '9001']) {
      const [found, ...rest] = await list(`?q=${q}`);
      expect(rest).toEqual([]);
      expect(found).toMatchObject({
        id: ids['import'],
        entity: 'product',
        origin: 'import',
        direction: 'inbound',
        action: 'create',
        display_name: 'Imported 2 products',
        record_count: 2,
        records: [{ local_id: scarf, gid: 'gid://shopify/Product/9001', name: 'Green Scarf' }],
      });
    }
    const all = await call('GET', `/shopify/history/${ids['import']}`);
    expect(all.statusCode).toBe(200);
    expect((all.json().records as Json[]).map((r) => r['name'])).toEqual(['Green Scarf', 'Yellow Socks']);
  });
});

describe('GET /api/shopify/history: filters', () => {
  it('by entity, direction, origin and outcome', async () => {
    expect(await names('?entity=order')).toEqual(['orderMerged']);
    expect(await names('?entity=customer')).toEqual(['customerReconciled']);
    expect(await names('?direction=outbound')).toEqual(['shirtRevert', 'hatPushFailed']);
    expect(await names('?origin=revert')).toEqual(['shirtRevert']);
    expect(await names('?origin=import')).toEqual(['import']);
    expect(await names('?outcome=failed')).toEqual(['hatPushFailed']);
    expect(await names('?outcome=merged')).toEqual(['orderMerged']);
    expect(await names('?entity=product&direction=inbound&origin=webhook')).toEqual(['shirtWebhook']);
    expect(await names('?entity=product&q=blue&outcome=failed')).toEqual([]);
  });

  it('by record: its own entries, and the import batch that brought it in', async () => {
    expect(await names(`?local_id=${shirt}`)).toEqual(['shirtRevert', 'shirtWebhook']);
    expect(await names(`?local_id=${socks}`)).toEqual(['import']);
    expect(await names(`?local_id=${randomUUID()}`)).toEqual([]);
  });

  it('by date range: from included, to excluded', async () => {
    const range = `?from=${at(1).toISOString()}&to=${at(3).toISOString()}`;
    expect(await names(range)).toEqual(['orderMerged', 'hatPushFailed']);
    expect(await names(`?from=${at(4).toISOString()}`)).toEqual(['shirtRevert', 'import']);
    expect(await names(`?to=${encodeURIComponent('2026-03-01T11:30:00+01:00')}`)).toEqual(['shirtWebhook']);
  });

  it('pages with filters: each page continues where the last ended, never repeating or skipping', async () => {
    for (const query of [
      'direction=inbound',
      'entity=product',
      'q=a',
      'q=shirt',
      `from=${at(1).toISOString()}`,
    ]) {
      const expected = (await list(`?${query}`)).map((e) => e['id']);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(
          'GET',
          `/shopify/history?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        const page = res.json() as { items: Json[]; next_cursor: string | null };
        seen.push(...page.items.map((e) => e['id']));
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen, query).toEqual(expected);
      expect(expected.length, query).toBeGreaterThan(1);
    }
  });

  it('orders entries of the same instant by id, newest first, across pages', async () => {
    const when = at(-10);
    const tenant = t.a.tenantId;
    for (const n of [1, 2, 3])
      await add(tenant, `same${n}`, entry({ entity: 'location', displayName: `Depot ${n}` }), when);
    const first = (await call('GET', '/shopify/history?entity=location&limit=2')).json();
    const second = (
      await call('GET', `/shopify/history?entity=location&limit=2&cursor=${first.next_cursor}`)
    ).json();
    expect([...first.items, ...second.items].map((e: Json) => e['display_name'])).toEqual([
      'Depot 3',
      'Depot 2',
      'Depot 1',
    ]);
    expect(second.next_cursor).toBeNull();
  });
});

describe('GET /api/shopify/history/:id', () => {
  it('returns one entry with its snapshots, diff, conflicts and error', async () => {
    const res = await call('GET', `/shopify/history/${ids['orderMerged']}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: ids['orderMerged'],
      entity: 'order',
      local_id: order,
      gid: 'gid://shopify/Order/5001',
      outcome: 'merged',
      conflicts: [{ path: 'note', local: 'ring first', remote: 'leave at door', winner: 'remote' }],
      records: null,
      record_count: 0,
      linked_entry_id: null,
    });
    const failed = (await call('GET', `/shopify/history/${ids['hatPushFailed']}`)).json();
    expect(failed).toMatchObject({ outcome: 'failed', error: 'Shopify refused the price' });
    const webhook = (await call('GET', `/shopify/history/${ids['shirtWebhook']}`)).json();
    expect(webhook.before).toEqual({
      title: 'Blue shirt',
      variants: [{ sku: 'SKU-BLUE-1', price: '10.00' }],
    });
    expect(webhook.diff).toEqual([{ path: 'title', before: 'Blue shirt', after: 'Blue Shirt' }]);
  });
});

describe('tenant isolation', () => {
  it("another tenant's entry is 404 and never listed, whatever the search or filter", async () => {
    expectError(await call('GET', `/shopify/history/${ids['otherTenant']}`), 404, 'not_found');
    for (const query of [
      '',
      '?q=blue',
      '?entity=product',
      `?q=${encodeURIComponent('gid://shopify/Product/7001')}`,
    ])
      expect((await list(query)).map((e) => e['id'])).not.toContain(ids['otherTenant']);
    // B's own view has it, and nothing of A's.
    const b = await t.app.inject({ method: 'GET', url: '/api/shopify/history', headers: t.bearer(t.b) });
    expect((b.json().items as Json[]).map((e) => e['id'])).toEqual([ids['otherTenant']]);
    // A cursor naming B's entry continues nothing.
    expect((await list(`?cursor=${ids['otherTenant']}`)).length).toBe(0);
  });
});

describe('bad input answers 422', () => {
  it.each([
    ['?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z'],
    ['?entity=variant'],
    ['?origin=magic'],
    ['?outcome=maybe'],
    ['?direction=sideways'],
    ['?local_id=not-a-uuid'],
    ['?cursor=abc'],
    ['?from=yesterday'],
    ['?q='],
    [`?q=${'x'.repeat(201)}`],
    ['?unknown=1'],
    ['/abc'],
    ['/0'],
    ['/99999999999999999999'],
  ])('%s', async (suffix) => {
    const res = await call('GET', `/shopify/history${suffix}`);
    expectError(res, 422, 'validation_failed');
  });

  it('an id nobody has is 404', async () => {
    expectError(await call('GET', '/shopify/history/999999999'), 404, 'not_found');
  });
});
