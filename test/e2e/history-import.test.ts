import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startSyncHarness, type ApiProduct, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'history-import.myshopify.com';

interface Entry {
  id: number;
  entity: string;
  origin: string;
  direction: string;
  action: string;
  local_id: string | null;
  display_name: string;
  record_count: number;
  records: { local_id: string; gid: string; name: string }[] | null;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '41', '--products', '7', '--customers', '5', '--orders', '4']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function search(query: string): Promise<Entry[]> {
  const res = await h.api<{ items: Entry[] }>('GET', `/api/shopify/history?${query}`);
  expectOk(res);
  return res.body.items;
}

describe('Sync History of the initial import', () => {
  it('writes one entry per batch, not one per record', async () => {
    const imports = await search('origin=import&limit=250');
    const products = imports.filter((e) => e.entity === 'product');
    expect(products.length).toBeGreaterThan(0);
    expect(products.length).toBeLessThan(7);
    expect(products.reduce((n, e) => n + e.record_count, 0)).toBe(7);
    for (const e of imports)
      expect(e).toMatchObject({ direction: 'inbound', action: 'create', local_id: null });
  });

  it('finds an imported product by its title and by its SKU, naming that record', async () => {
    const res = await h.api<{ items: ApiProduct[] }>('GET', '/api/products?limit=1');
    const product = res.body.items[0] as ApiProduct;
    const sku = product.variants.find((v) => v.sku)?.sku as string;
    for (const q of [product.title, sku]) {
      const found = (await search(`origin=import&q=${encodeURIComponent(q)}`)).find(
        (e) => e.entity === 'product',
      );
      expect(found?.records, q).toContainEqual(
        expect.objectContaining({ local_id: product.id, name: product.title }),
      );
    }
    // The product's own history (its page) lists the batch that brought it in.
    const own = await search(`local_id=${product.id}`);
    expect(own.map((e) => e.origin)).toContain('import');
  });

  it('finds an imported customer by e-mail and an imported order by its name', async () => {
    const customers = await h.api<{ items: { id: string; email: string }[] }>(
      'GET',
      '/api/customers?limit=1',
    );
    const customer = customers.body.items[0] as { id: string; email: string };
    const byEmail = await search(`q=${encodeURIComponent(customer.email)}&entity=customer`);
    expect(byEmail[0]?.records?.map((r) => r.local_id)).toEqual([customer.id]);
    const orders = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/orders?limit=1');
    const order = orders.body.items[0] as { id: string; name: string };
    const byName = await search(`q=${encodeURIComponent(order.name)}&entity=order`);
    expect(byName[0]?.records?.map((r) => r.local_id)).toContain(order.id);
  });
});
