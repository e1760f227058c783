import { createAdminApiClient } from '@shopify/admin-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';

let w: Awaited<ReturnType<typeof emulatorWorld>>;

beforeAll(async () => {
  w = await emulatorWorld('client-shop', { products: 4 });
});
afterAll(() => w.running.close());

/** Shopify's client unchanged; only the transport sends `https://<shop>/…` to the emulator's shop origin. */
function client(token = TOKEN) {
  const seen: string[] = [];
  const api = createAdminApiClient({
    storeDomain: w.domain,
    apiVersion: '2026-04',
    accessToken: token,
    customFetchApi: (url, init) => {
      const target = new URL(String(url));
      seen.push(target.href);
      return fetch(`${w.running.shopOrigin(target.host)}${target.pathname}${target.search}`, init);
    },
  });
  return { api, seen };
}

describe('@shopify/admin-api-client against the emulator', () => {
  it('runs a query unchanged and gets data plus extensions.cost', async () => {
    const { api, seen } = client();
    const res = await api.request(
      `query FirstProducts($n: Int!) { products(first: $n) { nodes { id title } pageInfo { hasNextPage } } }`,
      { variables: { n: 2 } },
    );
    expect(seen).toEqual([`https://${w.domain}/admin/api/2026-04/graphql.json`]);
    expect(res.errors).toBeUndefined();
    expect(res.data?.products.nodes).toHaveLength(2);
    expect(res.data?.products.pageInfo.hasNextPage).toBe(true);
    expect(res.extensions?.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
  });

  it('sends mutations and records them in the call log by root field', async () => {
    const { api } = client();
    const product = [...w.shop.products.values()][0]!;
    const res = await api.request(
      `mutation Rename($p: ProductUpdateInput!) { productUpdate(product: $p) { product { id title } userErrors { field message } } }`,
      {
        variables: { p: { id: `gid://shopify/Product/${product.id}`, title: 'Renamed via client' } },
      },
    );
    const calls = (await (
      await fetch(`${w.running.url}/_emulator/calls?operation=productUpdate`)
    ).json()) as { calls: { operationName: string; operationType: string; variables: unknown }[] };
    expect(calls.calls).toHaveLength(1);
    expect(calls.calls[0]).toMatchObject({ operationName: 'Rename', operationType: 'mutation' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.productUpdate?.product?.title).toBe('Renamed via client');
    expect(w.shop.products.get(product.id)?.title).toBe('Renamed via client');
  });

  it('a bad token surfaces as the client’s 401 error', async () => {
    const { api } = client('shpat_wrong');
    const res = await api.request('{ shop { name } }');
    expect(res.errors?.networkStatusCode).toBe(401);
  });
});
