import { createHmac, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerTopic, SYNC_TOPICS } from '../../src/sync/webhook-topics.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'unstorable-text.myshopify.com';
const SECRET = 'shpss_sync_secret';

interface EmuCustomer {
  id: number;
  gid: string;
  email: string | null;
  note: string | null;
}
interface ApiCustomer {
  note: string;
}
interface Letter {
  entity: string;
  error_class: string;
  last_error: string;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '77', '--products', '1', '--customers', '3', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function customerWithEmail(n: number): Promise<EmuCustomer> {
  const all = (await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=50`))
    .customers;
  const c = all.filter((x) => x.email)[n];
  if (!c) throw new Error(`no customer #${n}`);
  return c;
}

async function localNote(email: string): Promise<string> {
  const res = await h.api<{ items: ApiCustomer[] }>(
    'GET',
    `/api/customers?email=${encodeURIComponent(email)}`,
  );
  expectOk(res);
  expect(res.body.items).toHaveLength(1);
  return res.body.items[0]?.note ?? '';
}

async function inbox(): Promise<{ state: string; raw_body: string | null; last_error: string | null }[]> {
  const { rows } = await h.t.db.query<{ state: string; raw_body: string | null; last_error: string | null }>(
    `select state, raw_body, last_error from shopify_webhook_inbox where tenant_id = $1 and topic = 'customers/update' order by id`,
    [h.t.a.tenantId],
  );
  return rows;
}

async function openLetters(): Promise<Letter[]> {
  const res = await h.api<{ items: Letter[] }>('GET', '/api/shopify/dead-letters?state=open');
  expectOk(res);
  return res.body.items;
}

async function subscribedTopics(): Promise<string[]> {
  const shop = await h.emu.control<{ webhookSubscriptions: { topic: string }[] }>('GET', `/shops/${SHOP}`);
  return shop.webhookSubscriptions.map((s) => s.topic);
}

async function sendSigned(topic: string, body: string, extra: Record<string, string> = {}) {
  return h.t.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
      'x-shopify-topic': topic,
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': randomUUID(),
      ...extra,
    },
    payload: body,
  });
}

describe('webhooks whose text Postgres cannot hold as sent', () => {
  it('a customer note with a NUL byte edited on Shopify is acknowledged, stored as received and applied with U+FFFD in its place', async () => {
    const c = await customerWithEmail(0);
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c.id}`, { note: 'gate code 12\u000034' });
    await h.settle();

    const rows = await inbox();
    expect(rows.length).toBeGreaterThan(0);
    // No 500 for Shopify to retry: every delivery was stored and settled.
    expect(rows.every((r) => r.state === 'applied')).toBe(true);
    expect(rows.at(-1)?.raw_body).toContain('gate code 12\\u000034');
    expect(await localNote(c.email ?? '')).toBe('gate code 12\ufffd34');
    expect(await openLetters()).toEqual([]);
    expect(await subscribedTopics()).toContain('CUSTOMERS_UPDATE');
  });

  it('a lone surrogate in a note is stored and applied the same way, and the next edit still arrives', async () => {
    const c = await customerWithEmail(1);
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c.id}`, { note: 'broken \ud800 pair' });
    await h.settle();
    expect(await localNote(c.email ?? '')).toBe('broken \ufffd pair');

    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c.id}`, { note: 'fixed' });
    await h.settle();
    expect(await localNote(c.email ?? '')).toBe('fixed');
    expect((await inbox()).filter((r) => r.state !== 'applied')).toEqual([]);
    expect(await openLetters()).toEqual([]);
  });

  it('a signed body that cannot be read as one object is acknowledged, stored and parked as a dead letter with the reason', async () => {
    const c = await customerWithEmail(2);
    // Valid JSON, but "note" twice with different values: which one Shopify meant is unknown.
    const body = `{"id":${c.id},"admin_graphql_api_id":"${c.gid}","note":"a","note":"b\\u0000"}`;
    const res = await sendSigned('customers/update', body);
    expect(res.statusCode).toBe(200);
    await h.settle();

    const last = (await inbox()).at(-1);
    expect(last).toMatchObject({ state: 'failed', raw_body: body });
    expect(last?.last_error).toMatch(/could not be read: Duplicate key 'note'/);
    const letters = await openLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ entity: 'customer', error_class: 'mapping' });
    expect(letters[0]?.last_error).toMatch(/could not be read/);
  });

  it('a signed body with a number Postgres cannot hold is acknowledged, stored as received and parked with the reason', async () => {
    const body = '{"id":1e999999,"note":"huge"}';
    expect((await sendSigned('customers/update', body)).statusCode).toBe(200);
    await h.settle();
    const last = (await inbox()).at(-1);
    expect(last).toMatchObject({ state: 'failed', raw_body: body });
    expect(last?.last_error).toMatch(/not an id/);
    expect((await openLetters()).map((l) => l.last_error)).toContainEqual(expect.stringMatching(/not an id/));
  });

  it('a trigger time Postgres cannot hold is not a time: the delivery is stored and applied without it', async () => {
    const c = await customerWithEmail(0);
    const body = `{"id":${c.id},"admin_graphql_api_id":"${c.gid}","email":"${c.email}","note":"timed","updated_at":"2030-01-01T00:00:00Z"}`;
    const res = await sendSigned('customers/update', body, {
      'x-shopify-triggered-at': '-271821-04-20T00:00:00.000Z',
    });
    expect(res.statusCode).toBe(200);
    await h.settle();
    const { rows } = await h.t.db.query<{ triggered_at: Date | null; state: string }>(
      `select triggered_at, state from shopify_webhook_inbox where raw_body = $1`,
      [body],
    );
    expect(rows).toEqual([{ triggered_at: null, state: expect.stringMatching(/applied|ignored/) }]);
  });

  it('any signed JSON body on any entity topic is acknowledged with 200, and every delivery is settled', async () => {
    const topics = SYNC_TOPICS.map(headerTopic).filter((t) => t !== 'app/uninstalled');
    const id = fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String);
    const body = fc.oneof(
      fc.jsonValue({ stringUnit: 'binary' }).map((v) => JSON.stringify(v)),
      fc
        .tuple(id, fc.string({ unit: 'binary' }))
        .map(([n, note]) => `{"id":${n},"note":${JSON.stringify(note)},"inventory_item_id":${n}}`),
      fc.constantFrom('{"id":1e999999}', '{"a":1,"a":2}', 'null', '"\\u0000"', '[{"id":-1}]'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...topics), body, async (topic, text) => {
        expect((await sendSigned(topic, text)).statusCode).toBe(200);
      }),
      { numRuns: 150 },
    );
    await h.settle();
    const { rows } = await h.t.db.query<{ n: number }>(
      `select count(*)::int as n from shopify_webhook_inbox where tenant_id = $1 and state = 'pending'`,
      [h.t.a.tenantId],
    );
    expect(rows[0]?.n).toBe(0);
  });
});
