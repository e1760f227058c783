// Connecting again leaves a running sync alone until a new grant replaces it: the attempt lives in its
// OAuth state, not in the connection. A Connect never approved, a Cancel on Shopify's consent screen
// and a callback whose code Shopify refuses each leave the store syncing, with a page that says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeCode } from '../../src/shopify/oauth.ts';
import { approveOnShopify } from '../../test-support/shopify.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'reconnect-keeps-sync.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  variants: { sku: string | null; price: string }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '14', '--products', '4', '--customers', '1', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

const connection = async () =>
  (await h.api<{ state: string; shop: string | null }>('GET', '/api/shopify/connection')).body;

/** Connect again from the app: the consent URL, nothing approved yet. */
async function connectAgain(): Promise<string> {
  h.t.clock.set(new Date()); // the emulator signs callbacks with real time
  const res = await h.t.app.inject({
    method: 'POST',
    url: '/api/shopify/connect',
    headers: h.session.headers,
    payload: { shop: SHOP },
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ authorize_url: string }>().authorize_url;
}

const callback = (back: URL) =>
  h.t.app.inject({
    method: 'GET',
    url: `/shopify/callback?${back.searchParams.toString()}`,
    headers: { cookie: h.session.headers['cookie'] as string },
  });

async function remote(n: number): Promise<EmuProduct> {
  const all = (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=50`))
    .products;
  const p = all[n];
  if (!p) throw new Error(`no product #${n}`);
  return p;
}

async function local(sku: string): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  const p = res.body.items[0];
  if (!p) throw new Error(`no local product with SKU ${sku}`);
  return p;
}

/** Both directions still flow: a Shopify edit is applied here, a Retailos edit is pushed there. */
async function expectSyncFlowing(n: number, tag: string): Promise<void> {
  const product = await remote(n);
  const sku = product.variants[0]?.sku as string;
  await h.emu.control('PATCH', `/shops/${SHOP}/products/${product.id}`, { title: `Shopify ${tag}` });
  await h.settle();
  const mine = await local(sku);
  expect(mine.title).toBe(`Shopify ${tag}`);
  const since = await h.lastCall();
  const price = `${n + 10}.25`;
  expectOk(
    await h.api('PATCH', `/api/products/${mine.id}`, {
      variants: variantsBody(mine, (_v, i) => (i === 0 ? { price } : {})),
    }),
  );
  await h.settle();
  expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
  expect((await remote(n)).variants[0]?.price).toBe(price);
  expect((await connection()).state).toBe('syncing');
}

describe('connecting again while a store syncs', () => {
  it('a Connect never approved leaves the sync running: a Shopify edit is applied and a Retailos edit pushed', async () => {
    expect(await connection()).toMatchObject({ state: 'syncing', shop: SHOP });
    await connectAgain();
    expect(await connection()).toMatchObject({ state: 'syncing', shop: SHOP });
    await expectSyncFlowing(0, 'pending');
  });

  it('Cancel on the consent screen shows that nothing changed, and the sync goes on', async () => {
    const back = await approveOnShopify(await connectAgain(), 'cancel');
    expect(back.searchParams.get('error')).toBe('access_denied');
    const page = await callback(back);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Connecting was cancelled');
    expect(page.body).toContain(`Nothing changed: ${SHOP} stays connected (syncing).`);
    expect(await connection()).toMatchObject({ state: 'syncing', shop: SHOP });
    await expectSyncFlowing(1, 'cancelled');
  });

  it('a callback whose code was already used gets a page with Shopify’s refusal, and the sync goes on', async () => {
    const back = await approveOnShopify(await connectAgain());
    const app = h.t.deps.shopify.get().app;
    await exchangeCode(app, SHOP, back.searchParams.get('code') as string, new Date()); // spent elsewhere
    const page = await callback(back);
    expect(page.statusCode).toBe(502);
    expect(page.body).toContain('Shopify refused the token exchange');
    expect(page.body).toContain(`Nothing changed: ${SHOP} stays connected (syncing).`);
    expect(await connection()).toMatchObject({ state: 'syncing', shop: SHOP });
    await expectSyncFlowing(2, 'refused');
  });

  it('a grant whose webhooks cannot be registered (Shopify down) replaces nothing, and the sync goes on', async () => {
    const authorize = await connectAgain();
    await h.emu.control('POST', '/faults', { profile: 'outage' });
    let page;
    try {
      page = await callback(await approveOnShopify(authorize)); // OAuth keeps working in an outage
    } finally {
      await h.emu.control('DELETE', '/faults');
    }
    expect(page.statusCode).toBe(502);
    expect(page.body).toContain('webhook registration failed');
    expect(page.body).toContain(`Nothing changed: ${SHOP} stays connected (syncing).`);
    expect(await connection()).toMatchObject({ state: 'syncing', shop: SHOP });
    await expectSyncFlowing(3, 'unsubscribed');
  });

  it('a grant that completes replaces the connection: the store imports again', async () => {
    const page = await callback(await approveOnShopify(await connectAgain()));
    expect(page.statusCode).toBe(302);
    expect((await connection()).state).toBe('importing');
  });
});
