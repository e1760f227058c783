// A field edited on both sides within one second. Shopify's times have second precision, so a Retailos
// edit in the same second as Shopify's state cannot be ordered against it by time: that is a tie, and a
// tie goes to Shopify (src/domain/merge.ts) — unless Retailos had already received that very Shopify
// state before its edit, which makes the Retailos edit the later one. (The chaos run lost Shopify edits
// made a few hundred milliseconds after a Retailos edit: Retailos's millisecond time beat Shopify's
// whole second.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import type { Conflict } from '../../src/domain/merge.ts';
import type { AnyJobDefinition } from '../../src/jobs/define.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyOutboxJob, shopifyPushJob } from '../../src/jobs/shopify-sync.ts';
import { expectOk, startSyncHarness, type ApiProduct, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'same-second.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  updatedAt: string;
  variants: { sku: string | null }[];
}

let h: SyncHarness;
let used = 0;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '73', '--products', '4', '--customers', '1', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function drain(...jobs: AnyJobDefinition<never>[]): Promise<void> {
  const lag = Date.now() - h.bossClock.now();
  if (lag > 0) await h.bossClock.tick(lag + 1);
  for (const job of jobs) await drainQueue(h.boss, job, h.t.deps as never);
}

/** A product not used by another test, on both sides. */
async function pair(): Promise<{ remote: EmuProduct; local: ApiProduct }> {
  const products = (
    await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
  ).products;
  const remote = products[used++];
  if (!remote) throw new Error('out of products');
  const sku = remote.variants[0]?.sku as string;
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  const local = res.body.items[0];
  if (!local) throw new Error(`no local product with SKU ${sku}`);
  return { remote, local };
}

/** A merchant's title edit in the Shopify admin; returns the second Shopify stamped it with (ms). */
async function editOnShopify(remote: EmuProduct, title: string): Promise<number> {
  // Until the test says otherwise, anything Retailos receives is stamped far after every edit here.
  h.t.clock.set(new Date(Date.now() + 3_600_000));
  const p = await h.emu.control<EmuProduct>('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title });
  const at = Date.parse(p.updatedAt);
  expect(at % 1000, "Shopify's times are whole seconds").toBe(0);
  return at;
}

async function editInRetailos(local: ApiProduct, title: string, at: number): Promise<void> {
  h.t.clock.set(new Date(at));
  expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title }));
}

async function titles(remote: EmuProduct, local: ApiProduct): Promise<[string, string]> {
  const theirs = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
  const mine = (await h.api<ApiProduct & { title: string }>('GET', `/api/products/${local.id}`)).body;
  return [theirs.title, mine.title];
}

describe('a field edited on both sides within one second', () => {
  it("is a tie at Shopify's precision, and the tie goes to Shopify", async () => {
    const { remote, local } = await pair();
    const second = await editOnShopify(remote, 'Shopify title');
    // Retailos's edit is 500 ms into the same second: later by its own clock than Shopify's whole
    // second, but Shopify's edit may have been anywhere in that second. Its webhook has not come.
    await editInRetailos(local, 'Retailos title', second + 500);
    await drain(shopifyOutboxJob as never, shopifyPushJob as never);
    await h.settle();
    expect(await titles(remote, local)).toEqual(['Shopify title', 'Shopify title']);
    const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 10);
    const decided = entries
      .flatMap((e) => (Array.isArray(e.conflicts) ? (e.conflicts as Conflict[]) : []))
      .find((c) => c.path === 'title');
    expect(decided).toMatchObject({ winner: 'remote', local: 'Retailos title', lost: 'Retailos title' });
  });

  it('goes to Retailos when Retailos had received that Shopify state before its edit', async () => {
    const { remote, local } = await pair();
    const second = await editOnShopify(remote, 'Shopify title');
    // Shopify's webhook reaches Retailos 200 ms into the second (stored, not applied yet)...
    h.t.clock.set(new Date(second + 200));
    await h.emu.control('POST', '/webhooks/drain');
    // ...and the merchant saves a title in Retailos after that, in the same second.
    await editInRetailos(local, 'Retailos title', second + 500);
    await drain(shopifyOutboxJob as never, shopifyPushJob as never);
    await h.settle();
    expect(await titles(remote, local)).toEqual(['Retailos title', 'Retailos title']);
  });

  it('stays a tie when Retailos received that state only after its edit', async () => {
    const { remote, local } = await pair();
    const second = await editOnShopify(remote, 'Shopify title');
    await editInRetailos(local, 'Retailos title', second + 300);
    h.t.clock.set(new Date(second + 600));
    await h.emu.control('POST', '/webhooks/drain');
    await drain(shopifyOutboxJob as never, shopifyPushJob as never);
    await h.settle();
    expect(await titles(remote, local)).toEqual(['Shopify title', 'Shopify title']);
  });
});
