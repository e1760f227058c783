import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveAccessToken } from '../../src/sync/access-token.ts';
import { shopifyDeps, type ShopifyDeps } from '../../src/sync/shopify-deps.ts';
import { adminGraphql } from '../../src/shopify/graphql-client.ts';
import { createTestApp, type TestApp } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { connectShop, emulatorWiring } from '../../test-support/shopify.ts';

const SHOP = 'refresh-e2e.myshopify.com';
const KEY = 'refresh-key';
const SECRET = 'shpss_refresh_secret';
let emu: RunningEmulator;
let t: TestApp;
let deps: ShopifyDeps;

beforeAll(async () => {
  emu = await startEmulator([
    '--shop',
    SHOP,
    '--api-key',
    KEY,
    '--api-secret',
    SECRET,
    '--products',
    '1',
    '--seed',
    '9',
  ]);
  t = await createTestApp({ shopify: emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9') });
  t.clock.set(new Date());
  await connectShop(t, await t.login(t.a), SHOP);
  deps = shopifyDeps(t.deps) as ShopifyDeps;
}, 180_000);
afterAll(async () => {
  await t?.close();
  await emu?.stop();
});

const sealedPair = async () =>
  (
    await t.db.query<{ a: string; r: string; v: number }>(
      'select access_token_sealed a, refresh_token_sealed r, version v from shopify_connections where tenant_id = $1',
      [t.a.tenantId],
    )
  ).rows[0];

async function works(token: string): Promise<boolean> {
  const cfg = { shopOriginTemplate: emu.shopOriginTemplate, apiVersion: '2026-04' };
  return adminGraphql(cfg, { shop: SHOP, accessToken: token, query: '{ shop { name } }' }).then(
    () => true,
    () => false,
  );
}

describe('expiring access tokens', () => {
  it('uses the stored token while it has more than five minutes left', async () => {
    const before = await sealedPair();
    const live = await liveAccessToken(deps, t.a.tenantId);
    expect(await works(live!.accessToken)).toBe(true);
    expect(await sealedPair()).toEqual(before);
  });

  it('refreshes once near expiry, under the row lock, and stores the rotated pair atomically', async () => {
    const before = await sealedPair();
    const old = (await liveAccessToken(deps, t.a.tenantId))!.accessToken;
    t.clock.advance(56 * 60_000);
    await emu.control('POST', '/clock/advance', { ms: 56 * 60_000 });
    const [a, b] = await Promise.all([
      liveAccessToken(deps, t.a.tenantId),
      liveAccessToken(deps, t.a.tenantId),
    ]);
    expect(a!.accessToken).toBe(b!.accessToken);
    expect(a!.accessToken).not.toBe(old);
    expect(await works(a!.accessToken)).toBe(true);
    const after = await sealedPair();
    expect(after!.v).toBe(before!.v + 1); // one refresh, both tokens rotated in one write
    expect(after!.a).not.toBe(before!.a);
    expect(after!.r).not.toBe(before!.r);
  });

  it('moves the connection to error_auth when Shopify refuses the refresh', async () => {
    await emu.control('POST', `/shops/${SHOP}/uninstall`, {});
    t.clock.advance(60 * 60_000);
    await emu.control('POST', '/clock/advance', { ms: 60 * 60_000 });
    await expect(liveAccessToken(deps, t.a.tenantId)).rejects.toThrow();
    const { rows } = await t.db.query<{ state: string; state_reason: string }>(
      'select state, state_reason from shopify_connections where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(rows[0]?.state).toBe('error_auth');
    expect(rows[0]?.state_reason).toMatch(/connect again/);
  });
});
