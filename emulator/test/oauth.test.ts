import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/index.ts';
import { at, graphql, json, post } from './support/http.ts';
import { shopifyLib } from './support/shopify-lib.ts';

const SHOP = 'oauth-shop.myshopify.com';
const REDIRECT = 'http://127.0.0.1:9/auth/callback';
let emu: RunningEmulator;
let origin: string;
let apiKey: string;
let apiSecret: string;

beforeAll(async () => {
  emu = await startEmulator({
    shops: ['oauth-shop'],
    products: 2,
    customers: 0,
    orders: 0,
    autoDeliver: false,
  });
  origin = emu.shopOrigin(SHOP);
  ({ apiKey, apiSecret } = emu.emulator.app());
});
afterAll(() => emu.close());

function authorizeQuery(overrides: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: apiKey,
    scope: 'read_products,write_orders',
    redirect_uri: REDIRECT,
    state: 'nonce-123',
    ...overrides,
  });
}

/** Submits the consent form as a browser would; returns the redirect Location. */
async function decide(
  decision: 'approve' | 'cancel',
  overrides: Record<string, string> = {},
): Promise<{ status: number; location: string; text: string }> {
  const form = authorizeQuery(overrides);
  form.set('decision', decision);
  const res = await fetch(`${origin}/admin/oauth/authorize`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location') ?? '', text: await res.text() };
}

async function approvedCode(overrides: Record<string, string> = {}): Promise<string> {
  const { location } = await decide('approve', overrides);
  return new URL(location).searchParams.get('code') ?? '';
}

describe('OAuth authorization code grant', () => {
  it('shows a consent page naming the app and every requested scope, with Approve and Cancel', async () => {
    const res = await fetch(`${origin}/admin/oauth/authorize?${authorizeQuery().toString()}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Install Retailos');
    expect(html).toContain('read_products');
    expect(html).toContain('write_orders');
    expect(html).toMatch(/value="approve"/);
    expect(html).toMatch(/value="cancel"/);
  });

  it('redirects on approval with code, hmac, host, shop, state and timestamp that Shopify’s library accepts', async () => {
    const { status, location } = await decide('approve');
    expect(status).toBe(302);
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT);
    const query = Object.fromEntries(url.searchParams);
    expect(Object.keys(query).sort()).toEqual(['code', 'hmac', 'host', 'shop', 'state', 'timestamp']);
    expect(query['state']).toBe('nonce-123');
    expect(query['shop']).toBe(SHOP);
    const shopify = shopifyLib(apiKey, apiSecret);
    await expect(shopify.utils.validateHmac(query)).resolves.toBe(true);
    await expect(shopify.utils.validateHmac({ ...query, shop: 'evil.myshopify.com' })).resolves.toBe(false);
    await expect(shopifyLib(apiKey, 'wrong-secret').utils.validateHmac(query)).resolves.toBe(false);
  });

  it('cancel sends the merchant back with error=access_denied and no code', async () => {
    const { status, location } = await decide('cancel');
    expect(status).toBe(302);
    const params = new URL(location).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe('nonce-123');
    expect(params.has('code')).toBe(false);
  });

  it('rejects an unknown client_id, a redirect_uri the app does not allow and an unknown scope', async () => {
    const badClient = await decide('approve', { client_id: 'forged' });
    expect(badClient.status).toBe(400);
    expect(badClient.text).toContain('Oauth error invalid_request');
    const badRedirect = await decide('approve', { redirect_uri: 'https://attacker.test/cb' });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.text).toContain('redirect_uri');
    const badScope = await fetch(
      `${origin}/admin/oauth/authorize?${authorizeQuery({ scope: 'read_everything' }).toString()}`,
    );
    expect(badScope.status).toBe(400);
    expect(await badScope.text()).toContain('invalid_scope');
  });

  it('exchanges a code once for a non-expiring offline token; a reused or made-up code gets 400', async () => {
    const code = await approvedCode();
    const first = await post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: apiSecret,
      code,
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      scope: 'read_products,write_orders',
    });
    const reused = await post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: apiSecret,
      code,
    });
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({
      error: 'invalid_request',
      error_description: 'The authorization code was not found or was already used',
    });
    const madeUp = await post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: apiSecret,
      code: 'abc',
    });
    expect(madeUp.status).toBe(400);
    const token = at(first.body, 'access_token') as string;
    const query = await graphql(origin, token, '{ products(first: 1) { nodes { id } } }');
    expect(query.status).toBe(200);
    expect(at(query.body, 'data', 'products', 'nodes', 0, 'id')).toMatch(/^gid:\/\/shopify\/Product\//);
  });

  it('grant_options[]=per-user gives a 24-hour online token with the associated user', async () => {
    const code = await approvedCode({ 'grant_options[]': 'per-user' });
    const res = await post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: apiSecret,
      code,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      access_token: expect.any(String),
      scope: 'read_products,write_orders',
      expires_in: 86400,
      associated_user_scope: 'read_products,write_orders',
      associated_user: { id: expect.any(Number), email: `owner@${SHOP}`, account_owner: true },
    });
    expect(res.body).not.toHaveProperty('refresh_token');
  });

  it('refuses the exchange with a wrong client secret', async () => {
    const code = await approvedCode();
    const res = await post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: 'nope',
      code,
    });
    expect(res.status).toBe(401);
    expect(at(res.body, 'error')).toBe('invalid_client');
  });

  it('grants a narrower scope than requested when the merchant withholds one', async () => {
    await json(`${emu.url}/_emulator/apps/${apiKey}`, {
      method: 'PATCH',
      body: JSON.stringify({ withheldScopes: ['write_orders'] }),
    });
    const code = await approvedCode();
    const res = await post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: apiSecret,
      code,
    });
    await json(`${emu.url}/_emulator/apps/${apiKey}`, {
      method: 'PATCH',
      body: JSON.stringify({ withheldScopes: [] }),
    });
    expect(at(res.body, 'scope')).toBe('read_products');
  });
});

describe('expiring offline tokens', () => {
  const exchange = async () => {
    const code = await approvedCode();
    return post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: apiSecret,
      code,
      expiring: '1',
    });
  };
  const refresh = (refreshToken: string) =>
    post(`${origin}/admin/oauth/access_token`, {
      client_id: apiKey,
      client_secret: apiSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });

  it('expiring=1 gives a 1-hour token and a 90-day refresh token; the token dies after an hour', async () => {
    const res = await exchange();
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      scope: 'read_products,write_orders',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
      refresh_token_expires_in: 7776000,
    });
    const token = at(res.body, 'access_token') as string;
    expect((await graphql(origin, token, '{ shop { name } }')).status).toBe(200);
    emu.emulator.clock.advance(3600 * 1000 + 1);
    const expired = await graphql(origin, token, '{ shop { name } }');
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
  });

  it('refresh rotates the pair; the old refresh token works until the new one is used, then never again', async () => {
    const first = await exchange();
    const r1 = at(first.body, 'refresh_token') as string;
    const second = await refresh(r1);
    expect(second.status).toBe(200);
    const r2 = at(second.body, 'refresh_token') as string;
    expect(r2).not.toBe(r1);
    expect(at(second.body, 'expires_in')).toBe(3600);
    const retry = await refresh(r1);
    expect(retry.status).toBe(200);
    const third = await refresh(r2);
    expect(third.status).toBe(200);
    const stale = await refresh(r1);
    expect(stale.status).toBe(400);
    expect(at(stale.body, 'error')).toBe('invalid_grant');
    const fresh = at(third.body, 'access_token') as string;
    expect((await graphql(origin, fresh, '{ shop { name } }')).status).toBe(200);
  });

  it('the grace for the previous refresh token ends 30 days after its first use', async () => {
    const first = await exchange();
    const r1 = at(first.body, 'refresh_token') as string;
    expect((await refresh(r1)).status).toBe(200);
    emu.emulator.clock.advance(31 * 24 * 3600 * 1000);
    expect((await refresh(r1)).status).toBe(400);
  });

  it('uninstall revokes every token at once', async () => {
    const res = await exchange();
    const token = at(res.body, 'access_token') as string;
    const uninstall = await post(`${emu.url}/_emulator/shops/${SHOP}/uninstall`, {});
    expect(uninstall.status).toBe(200);
    expect((await graphql(origin, token, '{ shop { name } }')).status).toBe(401);
    expect((await refresh(at(res.body, 'refresh_token') as string)).status).toBe(400);
  });
});

describe('install request to the App URL', () => {
  const link = async (body: Record<string, string>) => {
    const res = await post(`${emu.url}/_emulator/shops/${SHOP}/install-link`, {
      appUrl: 'https://retailos.test/shopify/install',
      ...body,
    });
    return Object.fromEntries(new URL(at(res.body, 'url') as string).searchParams);
  };

  it('is signed like the OAuth callback, and each tamper knob breaks exactly one check', async () => {
    await post(`${emu.url}/_emulator/shops/${SHOP}/install`, { accessToken: 'shpat_reinstalled' });
    // The emulator's clock follows real time here, so a second can turn during a
    // request: each timestamp is checked against the clock read either side of it.
    const nowSec = (): number => Math.floor(emu.emulator.clock.nowMs() / 1000);
    const timed = async (body: Record<string, string>) => {
      const before = nowSec();
      const query = await link(body);
      return { query, before, after: nowSec() };
    };
    const signed = await timed({});
    const good = signed.query;
    expect(Object.keys(good).sort()).toEqual(['hmac', 'host', 'shop', 'timestamp']);
    expect(good['shop']).toBe(SHOP);
    expect(Number(good['timestamp'])).toBeGreaterThanOrEqual(signed.before);
    expect(Number(good['timestamp'])).toBeLessThanOrEqual(signed.after);
    const { signQuery } = await import('../src/oauth/hmac.ts');
    expect(signQuery(good, apiSecret)).toBe(good['hmac']);
    const forged = await link({ tamper: 'hmac' });
    expect(forged['hmac']).not.toBe(good['hmac']);
    const staleLink = await timed({ tamper: 'stale-timestamp' });
    const stale = staleLink.query;
    expect(Number(stale['timestamp'])).toBeGreaterThanOrEqual(staleLink.before - 86400);
    expect(Number(stale['timestamp'])).toBeLessThanOrEqual(staleLink.after - 86400);
    const hostile = await link({ tamper: 'hostile-shop', hostileShop: 'x.myshopify.com.evil.test' });
    expect(hostile['shop']).toBe('x.myshopify.com.evil.test');
    expect(signQuery(hostile, apiSecret)).toBe(hostile['hmac']);
    expect(signQuery(stale, apiSecret)).toBe(stale['hmac']);
    expect(signQuery(forged, apiSecret)).not.toBe(forged['hmac']);
  });
});
