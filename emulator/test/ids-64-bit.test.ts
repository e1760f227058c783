import { afterEach, describe, expect, it } from 'vitest';
import { at, graphql, json } from './support/http.ts';
import { emulatorWorld, TOKEN } from './support/emulator-world.ts';

/** Shopify ids are unsigned 64-bit integers; the emulator's too. */
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function world(shop: string, wideIds: boolean) {
  const w = await emulatorWorld(shop, { wideIds });
  close = () => w.running.close();
  return w;
}

const PRODUCT = 'query($id: ID!) { product(id: $id) { id legacyResourceId title } }';

describe('64-bit ids', () => {
  it('a well-formed GID that names nothing reads as null, past 2^53 and up to 2^64 − 1; a malformed one is an error', async () => {
    const w = await world('ids-null', false);
    for (const id of [
      'gid://shopify/Product/9007199254740993',
      'gid://shopify/Product/18446744073709551615',
      'gid://shopify/Customer/788032119674292922',
      'gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015',
    ]) {
      const res = await graphql(w.origin, TOKEN, 'query($id: ID!) { node(id: $id) { id } }', { id });
      expect(at(res.body, 'errors'), id).toBeUndefined();
      expect(at(res.body, 'data', 'node'), id).toBeNull();
    }
    const product = await graphql(w.origin, TOKEN, PRODUCT, { id: 'gid://shopify/Product/9007199254740993' });
    expect(product.body).toMatchObject({ data: { product: null } });
    for (const id of ['gid://shopify/Product/18446744073709551616', 'gid://shopify/Product/x1', '123']) {
      const res = await graphql(w.origin, TOKEN, PRODUCT, { id });
      expect(at(res.body, 'errors', 0, 'message'), id).toBe(`Invalid global id '${id}'`);
    }
  });

  it('--wide-ids: an `id` search compares the 64-bit ids Shopify shows, in lists, counts and bulk queries alike', async () => {
    const w = await world('ids-wide-search', true);
    const list = await graphql(w.origin, TOKEN, '{ products(first: 5, sortKey: ID) { nodes { id } } }');
    const ids = (at(list.body, 'data', 'products', 'nodes') as { id: string }[]).map((n) =>
      BigInt(n.id.split('/').pop() as string),
    );
    expect(ids.length).toBe(3);
    const [a, b, c] = ids as [bigint, bigint, bigint];
    const count = async (q: string) => {
      const res = await graphql(
        w.origin,
        TOKEN,
        'query($q: String!) { productsCount(query: $q, limit: null) { count } }',
        { q },
      );
      return at(res.body, 'data', 'productsCount', 'count');
    };
    expect(await count(`id:<=${a}`)).toBe(1);
    expect(await count(`id:>=${b} id:<=${c}`)).toBe(2);
    expect(await count(`id:>=${c + 1n}`)).toBe(0);
    expect(await count(`id:${b}`)).toBe(1);
    const page = await graphql(
      w.origin,
      TOKEN,
      `{ products(first: 5, query: "id:>=${b}") { nodes { id } } }`,
    );
    expect((at(page.body, 'data', 'products', 'nodes') as { id: string }[]).map((n) => n.id)).toEqual([
      `gid://shopify/Product/${b}`,
      `gid://shopify/Product/${c}`,
    ]);
  });

  it('--wide-ids: every id is past 2^53, exact in GIDs, legacyResourceId and webhook bodies, and reads back', async () => {
    const w = await world('ids-wide', true);
    const list = await graphql(w.origin, TOKEN, '{ products(first: 5) { nodes { id legacyResourceId } } }');
    const nodes = at(list.body, 'data', 'products', 'nodes') as { id: string; legacyResourceId: string }[];
    expect(nodes.length).toBe(3);
    for (const n of nodes) {
      const digits = n.id.split('/').pop() as string;
      expect(BigInt(digits)).toBeGreaterThan(2n ** 53n);
      expect(n.legacyResourceId).toBe(digits);
      const one = await graphql(w.origin, TOKEN, PRODUCT, { id: n.id });
      expect(at(one.body, 'data', 'product', 'id')).toBe(n.id);
    }

    const first = nodes[0] as { id: string };
    w.subscribe('products/update', 'http://127.0.0.1:9/hooks');
    const serial = [...w.shop.products.keys()][0] as number;
    const patched = await json(`${w.running.url}/_emulator/shops/${w.domain}/products/${serial}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'Wide' }),
    });
    expect(patched.status).toBe(200);
    await w.drain();
    const deliveries = await json(`${w.running.url}/_emulator/webhooks/deliveries?topic=products/update`);
    const body = (at(deliveries.body, 'deliveries', 0, 'body') as string) ?? '';
    const digits = first.id.split('/').pop() as string;
    // The REST id is a JSON number with every digit (JSON.parse would round it), beside the exact GID.
    expect(body).toContain(`"id":${digits},`);
    expect(body).toContain(`"admin_graphql_api_id":"gid:\\/\\/shopify\\/Product\\/${digits}"`);
  });
});
