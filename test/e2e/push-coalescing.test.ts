import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { pushEntity } from '../../src/sync/continuous/push.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

// Rule: a burst of edits to one record is pushed once, with its final state; a push with nothing left
// to carry makes no Shopify call.
const SHOP = 'push-coalescing.myshopify.com';

interface EmuProduct {
  id: number;
  variants: { sku: string | null; price: string }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    ...['--seed', '44', '--products', '4', '--customers', '1', '--orders', '1', '--locations', '1'],
  ]);
}, 240_000);
afterEach(() => {
  h.t.deps.pushQuiet = undefined;
});
afterAll(async () => {
  await h?.close();
});

async function products(): Promise<ApiProduct[]> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', '/api/products?limit=10');
  expectOk(res);
  return res.body.items;
}

async function setPrice(p: ApiProduct, price: string): Promise<void> {
  const variants = variantsBody(p, (_v, i) => (i === 0 ? { price } : {}));
  expectOk(await h.api('PATCH', `/api/products/${p.id}`, { variants }));
}

async function remotePriceOf(sku: string): Promise<string | undefined> {
  const { products: all } = await h.emu.control<{ products: EmuProduct[] }>(
    'GET',
    `/shops/${SHOP}/products?limit=50`,
  );
  return all.flatMap((p) => p.variants).find((v) => v.sku === sku)?.price;
}

describe('push coalescing', () => {
  it('twenty quick price edits to one product reach Shopify as one read and one productSet, with the last price', async () => {
    const p = (await products())[0] as ApiProduct;
    const sku = p.variants[0]?.sku as string;
    await h.settle();
    const since = await h.lastCall();
    let edits = 1;
    // While the push waits for quiet, the merchant keeps typing: 19 more edits, then silence.
    h.t.deps.pushQuiet = {
      ms: 100,
      maxMs: 10_000,
      sleep: async () => {
        if (edits >= 20) return;
        edits += 1;
        await setPrice(p, `${edits}.00`);
      },
    };
    await setPrice(p, '1.00');
    await h.settle();
    expect(edits).toBe(20);
    expect(await remotePriceOf(sku)).toBe('20.00');
    const calls = await h.calls(since);
    expect(mutationsOf(calls)).toEqual(['productSet']);
    expect(calls).toHaveLength(2); // the read the merge needs, and the push
    const outbound = (await listHistory(h.t.db, h.t.a.tenantId, { localId: p.id }, 10)).filter(
      (e) => e.direction === 'outbound',
    );
    expect(outbound).toHaveLength(1);
  });

  it('edits that never stop are still pushed once the longest wait is over', async () => {
    const p = (await products())[1] as ApiProduct;
    const sku = p.variants[0]?.sku as string;
    await h.settle();
    const since = await h.lastCall();
    let waits = 0;
    h.t.deps.pushQuiet = {
      ms: 100,
      maxMs: 500,
      sleep: async () => {
        waits += 1;
        if (waits <= 5) await setPrice(p, `${waits}.50`);
      },
    };
    await setPrice(p, '0.50');
    await h.settle();
    expect(waits).toBeGreaterThanOrEqual(5);
    expect(await remotePriceOf(sku)).toBe('5.50');
    expect(mutationsOf(await h.calls(since))).toEqual(['productSet']);
  });

  it('a push with nothing left to carry makes no Shopify call', async () => {
    const p = (await products())[2] as ApiProduct;
    await h.settle();
    const since = await h.lastCall();
    const outcome = await pushEntity(
      h.t.deps,
      { tenantId: h.t.a.tenantId, entity: 'product', localId: p.id },
      { retryCount: 0, retryLimit: 8 },
    );
    expect(outcome).toBe('unchanged');
    expect(await h.calls(since)).toEqual([]);
  });
});
