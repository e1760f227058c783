import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { expectOk, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'import-then-sync.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  variants: { sku: string | null }[];
}

let h: SyncHarness;
let edited: EmuProduct | undefined;
let pendingDuringImport = 0;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '66', '--products', '4', '--customers', '2', '--orders', '2'], {
    // While the import runs, the merchant keeps working in Shopify: the webhooks are stored, not applied.
    async duringImport(emu, t) {
      const run = await getLatestImport(t.db, t.a.tenantId);
      expect(run?.state).not.toBe('completed');
      [edited] = (await emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products`)).products;
      await emu.control('PATCH', `/shops/${SHOP}/products/${edited?.id}`, {
        title: 'Renamed during the import',
      });
      await emu.control('POST', `/shops/${SHOP}/products`, {
        title: 'Created during the import',
        variants: [{ sku: 'DURING-1', price: '3.00' }],
      });
      await emu.control('POST', '/webhooks/drain');
      const { rows } = await t.db.query<{ n: string }>(
        `select count(*)::text as n from shopify_webhook_inbox where tenant_id = $1 and state = 'pending'`,
        [t.a.tenantId],
      );
      pendingDuringImport = Number(rows[0]?.n);
    },
  });
}, 240_000);
afterAll(async () => {
  await h?.close();
});

describe('changes made in Shopify during the import', () => {
  it('are stored (not applied) while the import runs, applied after it, once, and the store ends equal', async () => {
    expect(pendingDuringImport).toBeGreaterThan(0);
    await h.settle();
    const renamed = await h.api<{ items: { title: string }[] }>(
      'GET',
      `/api/products?sku=${encodeURIComponent(edited?.variants[0]?.sku ?? '')}`,
    );
    expectOk(renamed);
    expect(renamed.body.items.map((p) => p.title)).toEqual(['Renamed during the import']);
    const created = await h.api<{ items: { title: string }[] }>('GET', '/api/products?sku=DURING-1');
    expect(created.body.items.map((p) => p.title)).toEqual(['Created during the import']);
    const { rows } = await h.t.db.query<{ state: string; n: string }>(
      `select state, count(*)::text as n from shopify_webhook_inbox where tenant_id = $1 group by state`,
      [h.t.a.tenantId],
    );
    expect(rows.find((r) => r.state === 'pending')).toBeUndefined();
    // Applied once: settling again changes nothing and writes no history.
    const before = await h.t.db.query<{ n: string }>('select count(*)::text as n from shopify_sync_history');
    await h.settle();
    const after = await h.t.db.query<{ n: string }>('select count(*)::text as n from shopify_sync_history');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});
