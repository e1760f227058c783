import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

/**
 * Shopify ids are 64-bit. On a store whose every id is past 2^53 (the emulator's --wide-ids), the whole
 * sync runs: the import, webhooks (products, customers, orders, stock levels with numeric ids), and
 * pushes back by GID — every GID Retailos holds is exactly Shopify's.
 */
const SHOP = 'ids-64-bit.myshopify.com';
const PAST_2_53 = 2n ** 53n;

interface EmuProduct {
  id: number;
  gid: string;
  title: string;
  variants: { id: number; gid: string; sku: string | null; price: string; inventoryItemId: number }[];
}
interface EmuCustomer {
  id: number;
  gid: string;
  email: string | null;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--wide-ids', '--seed', '64', '--products', '4', '--customers', '3', '--orders', '3'],
  ]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function remoteProducts(): Promise<EmuProduct[]> {
  return (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`))
    .products;
}

async function localBySku(sku: string): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  const p = res.body.items[0];
  if (!p) throw new Error(`no local product with SKU ${sku}`);
  return p;
}

async function mappedGids(entity: string): Promise<string[]> {
  const { rows } = await h.t.db.query<{ gid: string }>(
    `select gid from shopify_links where tenant_id = $1 and entity = $2 order by gid`,
    [h.t.a.tenantId, entity],
  );
  return rows.map((r) => r.gid);
}

const digits = (gid: string): bigint => BigInt(/\/(\d+)(\?|$)/.exec(gid)?.[1] ?? '0');

describe('64-bit ids end to end', () => {
  it('the import maps every record by its exact GID, all past 2^53', async () => {
    const remote = await remoteProducts();
    expect(remote.length).toBe(4);
    expect(remote.every((p) => digits(p.gid) > PAST_2_53)).toBe(true);
    expect(await mappedGids('product')).toEqual(remote.map((p) => p.gid).sort());
    const customers = (
      await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`)
    ).customers;
    expect(await mappedGids('customer')).toEqual(customers.map((c) => c.gid).sort());
    expect((await mappedGids('order')).length).toBe(3);
    expect((await mappedGids('order')).every((g) => digits(g) > PAST_2_53)).toBe(true);
    const letters = await h.api<{ items: unknown[] }>('GET', '/api/shopify/dead-letters?state=open');
    expect(letters.body.items).toEqual([]);
  });

  it('webhooks about products, customers, orders and stock apply by their exact ids', async () => {
    const [p] = await remoteProducts();
    const variant = p?.variants[0];
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p?.id}`, { title: 'Edited past 2^53' });
    const [c] = (
      await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`)
    ).customers.filter((x) => x.email);
    await h.emu.control('PATCH', `/shops/${SHOP}/customers/${c?.id}`, { note: 'wide note' });
    const order = await h.emu.control<{ id: number; gid: string }>('POST', `/shops/${SHOP}/orders`, {
      lines: [{ variantId: variant?.id, quantity: 1 }],
      email: 'wide@example.com',
    });
    await h.settle();

    expect((await localBySku(variant?.sku ?? '')).title).toBe('Edited past 2^53');
    const customers = await h.api<{ items: { note: string }[] }>(
      'GET',
      `/api/customers?email=${encodeURIComponent(c?.email ?? '')}`,
    );
    expect(customers.body.items.map((x) => x.note)).toEqual(['wide note']);
    expect(digits(order.gid)).toBeGreaterThan(PAST_2_53);
    expect(await mappedGids('order')).toContain(order.gid);

    const { rows } = await h.t.db.query<{ topic: string; state: string; last_error: string | null }>(
      `select topic, state, last_error from shopify_webhook_inbox where tenant_id = $1 and state not in ('applied', 'ignored')`,
      [h.t.a.tenantId],
    );
    expect(rows).toEqual([]);
    const levels = await h.t.db.query<{ n: number }>(
      `select count(*)::int as n from shopify_webhook_inbox where tenant_id = $1 and topic = 'inventory_levels/update' and state = 'applied'`,
      [h.t.a.tenantId],
    );
    expect(levels.rows[0]?.n).toBeGreaterThan(0);
    const letters = await h.api<{ items: unknown[] }>('GET', '/api/shopify/dead-letters?state=open');
    expect(letters.body.items).toEqual([]);
  });

  it('a price edited in Retailos is pushed to the product by its exact GID', async () => {
    const [, p] = await remoteProducts();
    const sku = p?.variants[0]?.sku ?? '';
    const local = await localBySku(sku);
    const since = await h.lastCall();
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, {
        variants: variantsBody(local, (_v, i) => (i === 0 ? { price: '64.64' } : {})),
      }),
    );
    await h.settle();
    const after = (await remoteProducts()).find((x) => x.gid === p?.gid);
    expect(after?.variants[0]?.price).toBe('64.64');
    const calls = await h.calls(since);
    expect(mutationsOf(calls)).toEqual(['productSet']);
    const pushed = calls.find((x) => x.operationType === 'mutation')?.variables as {
      input?: { id?: string };
      identifier?: { id?: string };
    } | null;
    expect(JSON.stringify(pushed)).toContain(p?.gid ?? 'no gid');
  });
});
