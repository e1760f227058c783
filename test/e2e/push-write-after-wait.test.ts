// A push's write goes out right after the read it was decided on, or not at all. Shopify's productSet,
// customerSet and orderUpdate have no compare-and-set: a write that waited (for the shop's cost budget,
// or after a THROTTLED answer) would land over a Shopify edit made during the wait, and that edit's
// webhook, older than our write, would then be dropped as stale. Chaos seed 3 op 268 lost a Shopify
// title so: edited 18 ms after a SKU edit, while Retailos's push of its own (older) title waited out a
// throttle. After the wait the push reads again and decides again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopLimiter, type ShopLimiter } from '../../src/shopify/limiter.ts';
import {
  expectOk,
  pushOnly,
  startSyncHarness,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'push-write-after-wait.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  updatedAt: string;
  variants: { sku: string | null }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '29', '--products', '3', '--customers', '1', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

/**
 * The shop's budget on the test's clock, with `during` run when the push's write (the `nth` call after
 * arming) waits for its turn: as the budget lacking its points makes a write wait (acquire), or tells a
 * write that must not wait how long (tryAcquire). Other calls pass straight through.
 */
function budgetMakingTheWriteWait(nth: number, during: () => Promise<void>) {
  const real = createShopLimiter({
    db: h.t.db,
    clock: h.t.clock,
    sleep: async (ms) => {
      h.t.clock.advance(ms);
    },
  });
  let calls = 0;
  let waited = false;
  const waits = async (): Promise<boolean> => {
    calls += 1;
    if (calls !== nth || waited) return false;
    waited = true;
    await during();
    return true;
  };
  const limiter: ShopLimiter = {
    ...real,
    async acquire(tenantId, cost, priority) {
      if (await waits()) h.t.clock.advance(2_000);
      return real.acquire(tenantId, cost, priority);
    },
    async tryAcquire(tenantId, cost, priority) {
      if (await waits()) return 2_000;
      return real.tryAcquire(tenantId, cost, priority);
    },
  };
  return { limiter, waited: () => waited };
}

/** The outbox relay and the push jobs only: deliveries received wait in the inbox. */
const push = (): Promise<void> => pushOnly(h);

describe('a push whose write has to wait', () => {
  it("reads Shopify again after the wait: a Shopify title edited during it (later than Retailos's) survives", async () => {
    const remote = (
      await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)
    ).products.find((p) => p.variants[0]?.sku);
    const sku = remote?.variants[0]?.sku;
    if (!remote || !sku) throw new Error('no product');
    const found = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
    const local = found.body.items[0];
    if (!local) throw new Error('no local product');
    // T0: the title in Retailos.
    h.t.clock.set(new Date(Date.parse((await h.emu.control<{ now: string }>('GET', '/clock')).now)));
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title: 'Retailos title' }));
    // The push reads Shopify (call 1), decides to write Retailos's title, and its write (call 2) has to
    // wait; meanwhile, at T1 > T0, the title is edited in Shopify's admin.
    const budget = budgetMakingTheWriteWait(2, async () => {
      await h.emu.control('POST', '/clock/advance', { seconds: 5 });
      await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Shopify title' });
    });
    const before = h.t.deps.limiter;
    h.t.deps.limiter = budget.limiter;
    try {
      await push();
      await h.settle();
    } finally {
      h.t.deps.limiter = before;
    }
    expect(budget.waited()).toBe(true);
    const after = await h.emu.control<EmuProduct>('GET', `/shops/${SHOP}/products/${remote.id}`);
    const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    expect([after.title, mine.title]).toEqual(['Shopify title', 'Shopify title']);
  });
});
