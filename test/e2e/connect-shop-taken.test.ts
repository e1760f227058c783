// A shop is taken only by a completed grant. A Connect never approved reserves nothing, and whether
// another workspace holds a shop is told only to whoever Shopify granted that shop to, as a 409 that
// changes nothing (before: a 500 for every other workspace, for ever, and one that gave it away).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeCode } from '../../src/shopify/oauth.ts';
import { createTestApp, type TestApp, type TestSession } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { approveOnShopify, connectThroughConsent, emulatorWiring } from '../../test-support/shopify.ts';

const SHOP = 'contested.myshopify.com';
const KEY = 'shop-taken-key';
const SECRET = 'shpss_shop_taken_secret';

let emu: RunningEmulator;
let t: TestApp;
let first: TestSession; // tenant A
let second: TestSession; // tenant B

beforeAll(async () => {
  emu = await startEmulator(['--shop', SHOP, '--api-key', KEY, '--api-secret', SECRET, '--products', '2']);
  // Nothing listens on APP_URL: webhook deliveries fail fast and stay on loopback.
  t = await createTestApp({ shopify: emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9') });
  t.clock.set(new Date()); // the emulator signs callbacks with real time
  first = await t.login(t.a);
  second = await t.login(t.b);
}, 120_000);
afterAll(async () => {
  await t?.close();
  await emu?.stop();
});

const connect = (session: TestSession, shop: string) =>
  t.app.inject({ method: 'POST', url: '/api/shopify/connect', headers: session.headers, payload: { shop } });

const connection = async (session: TestSession) =>
  (await t.app.inject({ method: 'GET', url: '/api/shopify/connection', headers: session.headers })).json<{
    state: string;
    shop: string | null;
  }>();

const rowOf = async (tenantId: string) =>
  (
    await t.db.query(
      'select shop, state, access_token_sealed, version from shopify_connections where tenant_id = $1',
      [tenantId],
    )
  ).rows[0];

describe('who may take a shop', () => {
  it('a Connect never approved reserves nothing: another workspace connects the same shop', async () => {
    expect((await connect(first, SHOP)).statusCode).toBe(200);
    expect((await connection(first)).state).toBe('not_connected');
    const done = await connectThroughConsent(t, second, SHOP);
    expect(done.statusCode).toBe(302);
    expect(await connection(second)).toMatchObject({ state: 'importing', shop: SHOP });
  });

  it('a shop another workspace holds gets the answer any shop gets, then after Shopify’s grant a clear 409 that changes nothing', async () => {
    const held = await connect(first, SHOP);
    const free = await connect(first, 'nobody-has-this.myshopify.com');
    expect([held.statusCode, free.statusCode]).toEqual([200, 200]);
    expect(Object.keys(held.json<object>())).toEqual(Object.keys(free.json<object>()));
    const before = await rowOf(t.b.tenantId);
    const back = await approveOnShopify(held.json<{ authorize_url: string }>().authorize_url);
    const page = await t.app.inject({
      method: 'GET',
      url: `/shopify/callback?${back.searchParams.toString()}`,
      headers: { cookie: first.headers['cookie'] as string },
    });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('shop_taken');
    expect(page.body).toContain(
      `${SHOP} is already connected to another Retailos workspace; it must be disconnected there first`,
    );
    expect(page.body).not.toContain(t.b.tenantId);
    expect(await rowOf(t.b.tenantId)).toEqual(before);
    expect(await rowOf(t.a.tenantId)).toBeUndefined();
    // The code was not spent: no token was issued for this refusal.
    const app = t.deps.shopify.get().app;
    await expect(
      exchangeCode(app, SHOP, back.searchParams.get('code') as string, new Date()),
    ).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('once the holder disconnects, the shop is free for the other workspace', async () => {
    const off = await t.app.inject({
      method: 'POST',
      url: '/api/shopify/disconnect',
      headers: second.headers,
    });
    expect(off.statusCode).toBe(200);
    t.clock.set(new Date());
    expect((await connectThroughConsent(t, first, SHOP)).statusCode).toBe(302);
    expect(await connection(first)).toMatchObject({ state: 'importing', shop: SHOP });
  });
});
