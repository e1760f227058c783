import { createHmac, randomUUID } from 'node:crypto';
import pino from 'pino';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoss } from '../../src/jobs/boss.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyLifecycleJob } from '../../src/jobs/shopify-lifecycle.ts';
import { shopifyApplyWebhooksJob } from '../../src/jobs/shopify-sync.ts';
import { createTestApp, type TestApp, type TestSession } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { connectShop, emulatorWiring } from '../../test-support/shopify.ts';

const SHOP = 'inbox-e2e.myshopify.com';
const KEY = 'inbox-key';
const SECRET = 'shpss_inbox_secret';

let emu: RunningEmulator;
let t: TestApp;
let session: TestSession;
let boss: PgBoss;

beforeAll(async () => {
  emu = await startEmulator([
    '--shop',
    SHOP,
    '--api-key',
    KEY,
    '--api-secret',
    SECRET,
    '--products',
    '2',
    '--customers',
    '3',
    '--seed',
    '5',
  ]);
  const wiring = emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9');
  t = await createTestApp({ shopify: wiring });
  t.clock.set(new Date());
  const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  wiring.app.appUrl = base; // Shopify must reach this server: set before connecting
  boss = createBoss({
    db: t.db,
    databaseUrl: t.dbUrl,
    onError: (err) => pino().error(err),
    supervise: false,
  });
  await boss.start();
  await installQueues(boss, [shopifyLifecycleJob, shopifyApplyWebhooksJob] as never);
  t.deps.enqueue = async (job, data, options) => {
    await boss.send(job, data, options ?? {});
  };
  session = await t.login(t.a);
  await connectShop(t, session, SHOP);
}, 180_000);
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.close();
  await emu?.stop();
});

function deliver(body: string, headers: Record<string, string> = {}, secret = SECRET) {
  const hmac = createHmac('sha256', secret).update(body).digest('base64');
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': hmac,
      'x-shopify-topic': 'products/update',
      'x-shopify-shop-domain': SHOP,
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
      ...headers,
    },
    payload: body,
  });
}

async function inboxCount(where = 'true'): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    `select count(*)::int as n from shopify_webhook_inbox where ${where}`,
  );
  return rows[0]?.n ?? -1;
}

describe('the webhook inbox', () => {
  it('stores a verified delivery once, however often it arrives', async () => {
    const id = randomUUID();
    const body = JSON.stringify({ id: 1, title: 'A & B / C', updated_at: '2026-01-01T00:00:00Z' });
    const first = await deliver(body, { 'x-shopify-webhook-id': id });
    const again = await deliver(body, { 'x-shopify-webhook-id': id });
    expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(again.json()).toMatchObject({ duplicate: true });
    expect(await inboxCount(`webhook_id = '${id}'`)).toBe(1);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const before = await inboxCount();
    const res = await deliver('{"id":2}', {}, 'not-the-secret');
    expect(res.statusCode).toBe(401);
    expect(await inboxCount()).toBe(before);
  });

  it('refuses malformed JSON, missing headers and oversized bodies, storing nothing', async () => {
    const before = await inboxCount();
    expect((await deliver('{not json')).statusCode).toBe(400);
    expect((await deliver('{"id":3}', { 'x-shopify-webhook-id': '' })).statusCode).toBe(400);
    expect(
      (await deliver('{"id":3}', { 'x-shopify-shop-domain': 'evil.com/x.myshopify.com' })).statusCode,
    ).toBe(400);
    expect((await deliver(JSON.stringify({ pad: 'x'.repeat(600 * 1024) }))).statusCode).toBe(413);
    expect(await inboxCount()).toBe(before);
  });

  it('acknowledges an unknown topic and keeps it as ignored', async () => {
    const res = await deliver('{"id":4}', { 'x-shopify-topic': 'themes/publish' });
    expect(res.statusCode).toBe(200);
    expect(await inboxCount(`topic = 'themes/publish' and state = 'ignored'`)).toBe(1);
  });

  it('honours a privacy redaction for a customer', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: t.bearer(t.a),
      payload: { email: 'gone@example.com', first_name: 'Ada' },
    });
    expect(created.statusCode).toBe(201);
    const body = JSON.stringify({
      shop_id: 1,
      shop_domain: SHOP,
      customer: { id: 9, email: 'gone@example.com', phone: null },
      orders_to_redact: [],
    });
    expect((await deliver(body, { 'x-shopify-topic': 'customers/redact' })).statusCode).toBe(200);
    await drainQueue(boss, shopifyLifecycleJob as never, t.deps as never);
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/customers/${created.json<{ id: string }>().id}`,
      headers: t.bearer(t.a),
    });
    expect(after.json()).toMatchObject({
      email: null,
      first_name: 'Redacted',
      last_name: '',
      phone: null,
      addresses: [],
    });
    const { rows } = await t.db.query<{ action_taken: string }>(
      `select action_taken from shopify_privacy_requests where topic = 'customers/redact'`,
    );
    expect(rows[0]?.action_taken).toBe('redacted 1 customer record(s)');
  });

  it('stops sync and forgets the tokens when the app is uninstalled on Shopify, keeping the data', async () => {
    const productsBefore = (
      await t.app.inject({ method: 'GET', url: '/api/customers', headers: t.bearer(t.a) })
    ).json<{ items: unknown[] }>().items.length;
    await emu.control('POST', `/shops/${SHOP}/uninstall`, {});
    await emu.control('POST', '/webhooks/drain', {});
    await drainQueue(boss, shopifyLifecycleJob as never, t.deps as never);
    const c = (
      await t.app.inject({ method: 'GET', url: '/api/shopify/connection', headers: session.headers })
    ).json();
    expect(c).toMatchObject({ state: 'disconnected', state_reason: 'the app was uninstalled on Shopify' });
    const { rows } = await t.db.query(
      'select access_token_sealed from shopify_connections where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(rows[0]).toEqual({ access_token_sealed: null });
    const productsAfter = (
      await t.app.inject({ method: 'GET', url: '/api/customers', headers: t.bearer(t.a) })
    ).json<{ items: unknown[] }>().items.length;
    expect(productsAfter).toBe(productsBefore);
  });
});
