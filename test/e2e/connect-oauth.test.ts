import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../src/shopify/secret-box.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp, type TestSession } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';

const SHOP = 'connect-e2e.myshopify.com';
const API_KEY = 'retailos-e2e-key';
const API_SECRET = 'shpss_retailos_e2e_secret';
// Nothing listens here: webhook deliveries fail fast and stay on loopback.
const APP_URL = 'http://127.0.0.1:9';

let emu: RunningEmulator;
let t: TestApp;
let session: TestSession;

beforeAll(async () => {
  emu = await startEmulator([
    '--shop',
    SHOP,
    '--api-key',
    API_KEY,
    '--api-secret',
    API_SECRET,
    '--products',
    '3',
    '--seed',
    '3',
  ]);
  t = await createTestApp({
    shopify: {
      app: {
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        appUrl: APP_URL,
        shopOriginTemplate: emu.shopOriginTemplate,
        apiVersion: '2026-04',
        scopes: requestedScopes(false),
      },
      secretBox: createSecretBox(randomBytes(32), randomBytes),
    },
  });
  t.clock.set(new Date()); // the emulator signs callbacks with real time
  session = await t.login(t.a);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await emu?.stop();
});

async function connect(shop = SHOP): Promise<{ status: number; body: Record<string, string> }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/shopify/connect',
    headers: session.headers,
    payload: { shop },
  });
  return { status: res.statusCode, body: res.json() };
}

/** Plays the merchant on the emulator's consent page: GET it, then submit its form. */
async function approve(authorizeUrl: string, decision: 'approve' | 'cancel' = 'approve'): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('write_products');
  const form = new URLSearchParams(new URL(authorizeUrl).searchParams);
  form.set('decision', decision);
  const res = await fetch(authorizeUrl.split('?')[0] as string, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

async function callback(query: string) {
  return t.app.inject({
    method: 'GET',
    url: `/shopify/callback?${query}`,
    headers: { cookie: session.headers['cookie'] as string },
  });
}

async function connection() {
  return (
    await t.app.inject({ method: 'GET', url: '/api/shopify/connection', headers: session.headers })
  ).json() as Record<string, unknown>;
}

async function subscriptionsOnShopify(): Promise<number> {
  const shop = await emu.control<{ webhookSubscriptions?: unknown[] }>('GET', `/shops/${SHOP}`);
  return shop.webhookSubscriptions?.length ?? 0;
}

describe('connecting a Shopify store over OAuth', () => {
  it.each([
    'evil.com/x.myshopify.com',
    'x.myshopify.com.evil.test',
    '127.0.0.1',
    'x.myshopify.com:8443',
    'user@x.myshopify.com',
    'münchen.myshopify.com',
  ])('refuses the hostile shop %j before anything else', async (shop) => {
    const r = await connect(shop);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: { code: 'invalid_shop' } });
    expect((await connection())['state']).toBe('not_connected');
  });

  it('refuses a callback whose hmac was forged, sends one without a session to log in first, and exchanges the code only for the genuine one', async () => {
    const started = await connect();
    const back = await approve(started.body['authorize_url'] as string);
    const forged = new URLSearchParams(back.search);
    forged.set('hmac', 'ab'.repeat(32));
    const res = await callback(forged.toString());
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('invalid_hmac');
    expect((await connection())['state']).toBe('not_connected'); // an attempt changes no connection
    // Without a session (it ended on the consent screen) the browser is sent to log in and then back
    // to the same callback; nothing is checked or exchanged meanwhile.
    const query = back.searchParams.toString();
    const anonymous = await t.app.inject({ method: 'GET', url: `/shopify/callback?${query}` });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers['location']).toBe(
      `/login?next=${encodeURIComponent(`/shopify/callback?${query}`)}`,
    );
    const ended = await t.app.inject({
      method: 'GET',
      url: `/shopify/callback?${query}`,
      headers: { cookie: 'retailos_session=0123456789abcdef' },
    });
    expect(ended.statusCode).toBe(302);
    expect(ended.headers['location']).toMatch(/^\/login\?next=%2Fshopify%2Fcallback%3F/);
    expect((await connection())['state']).toBe('not_connected'); // an attempt changes no connection
    // The code was not spent: the genuine callback still works.
    const ok = await callback(query);
    expect(ok.statusCode).toBe(302);
  });

  it('stores sealed tokens, registers every webhook and reports the granted scopes', async () => {
    const c = await connection();
    expect(c).toMatchObject({ state: 'importing', shop: SHOP, missing_scopes: [] });
    expect(c['granted_scopes']).toEqual(expect.arrayContaining(['write_products', 'read_locations']));
    const { rows } = await t.db.query<{ access_token_sealed: string; refresh_token_sealed: string | null }>(
      'select access_token_sealed, refresh_token_sealed from shopify_connections where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(rows[0]?.access_token_sealed).toMatch(/^v1\./);
    expect(rows[0]?.refresh_token_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toMatch(/shpat_|shpua_/);
    expect(await subscriptionsOnShopify()).toBe(18);
  });

  it('refuses a replayed callback', async () => {
    const started = await connect();
    const back = await approve(started.body['authorize_url'] as string);
    expect((await callback(back.searchParams.toString())).statusCode).toBe(302);
    const replay = await callback(back.searchParams.toString());
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('invalid_state');
    expect(await subscriptionsOnShopify()).toBe(18); // the reconnect kept, not duplicated, the subscriptions
  });

  it('refuses a state issued to another user', async () => {
    const other = await t.login(t.b);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/shopify/connect',
      headers: other.headers,
      payload: { shop: 'other-shop.myshopify.com' },
    });
    expect(res.statusCode).toBe(200);
    const stolen = new URL(res.json<{ authorize_url: string }>().authorize_url).searchParams.get(
      'state',
    ) as string;
    const q = new URLSearchParams({
      code: 'x',
      shop: SHOP,
      state: stolen,
      timestamp: String(Math.floor(Date.now() / 1000)),
    });
    const reply = await callback(q.toString());
    expect(reply.statusCode).toBe(400);
  });

  it('refuses a stale timestamp', async () => {
    const started = await connect();
    const back = await approve(started.body['authorize_url'] as string);
    t.clock.advance(10 * 60_000);
    const res = await callback(back.searchParams.toString());
    t.clock.set(new Date());
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('stale_callback');
  });

  it('disconnects: subscriptions deleted on Shopify, tokens forgotten, data kept', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/shopify/disconnect',
      headers: session.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'disconnected' });
    expect(await subscriptionsOnShopify()).toBe(0);
    const { rows } = await t.db.query(
      'select access_token_sealed from shopify_connections where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(rows[0]).toEqual({ access_token_sealed: null });
  });
});
