import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { expectOk, mutationsOf, startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';

const SHOP = 'webhook-ordering.myshopify.com';

interface Delivery {
  seq: number;
  webhookId: string;
  topic: string;
  headers: Record<string, string>;
  body: string;
  state: string;
}
interface EmuVariant {
  id: number;
  sku: string | null;
  inventory: { locationId: number; available: number }[];
}
interface EmuProduct {
  id: number;
  title: string;
  vendor: string;
  variants: EmuVariant[];
}
interface ApiProduct {
  id: string;
  title: string;
  vendor: string;
}
interface ApiLevel {
  id: string;
  variant_id: string;
  location_id: string;
  available: number;
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '61', '--products', '10', '--customers', '1', '--orders', '1']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function products(): Promise<EmuProduct[]> {
  return (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`))
    .products;
}
const firstSku = (p: EmuProduct): string => p.variants[0]?.sku as string;

async function localProduct(sku: string): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  const p = res.body.items[0];
  if (!p) throw new Error(`no local product ${sku}`);
  return p;
}

/** Shopify's clock moves on, so the next change carries a later `updated_at` (second precision). */
const later = () => h.emu.control('POST', '/clock/advance', { seconds: 5 });

/** Runs `change` with Shopify's deliveries dropped, and returns them (signed, as Shopify built them). */
async function withheld(change: () => Promise<unknown>): Promise<Delivery[]> {
  const before = await deliveries();
  await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
  try {
    await change();
    // Shopify batches changes per resource until it sends: make it build (and drop) them now.
    await h.emu.control('POST', '/webhooks/drain');
  } finally {
    await h.emu.control('DELETE', '/faults');
  }
  const seen = new Set(before.map((d) => d.seq));
  return (await deliveries()).filter((d) => !seen.has(d.seq) && d.state === 'dropped');
}

async function deliveries(): Promise<Delivery[]> {
  return (await h.emu.control<{ deliveries: Delivery[] }>('GET', `/webhooks/deliveries?shop=${SHOP}`))
    .deliveries;
}

/** Moves the emulator's clock to the start of a new second (Shopify's times have second precision). */
async function freshSecond(): Promise<void> {
  const { now } = await h.emu.control<{ now: string }>('GET', '/clock');
  await h.emu.control('POST', '/clock/advance', { ms: 5_000 + 1_000 - (Date.parse(now) % 1_000) });
}

/** Posts a delivery to Retailos as Shopify would (same headers, same bytes). */
async function deliver(d: Delivery): Promise<{ status: number; duplicate: boolean }> {
  const res = await h.t.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    headers: d.headers,
    payload: d.body,
  });
  return { status: res.statusCode, duplicate: res.json<{ duplicate?: boolean }>().duplicate ?? false };
}

const only = (ds: Delivery[], topic: string): Delivery => {
  const found = ds.filter((d) => d.topic === topic);
  if (found.length !== 1) throw new Error(`expected one ${topic} delivery, got ${found.length}`);
  return found[0] as Delivery;
};

async function inboxRows(webhookId: string): Promise<{ state: string }[]> {
  const { rows } = await h.t.db.query<{ state: string }>(
    'select state from shopify_webhook_inbox where webhook_id = $1',
    [webhookId],
  );
  return rows;
}

const historyOf = async (localId: string) => listHistory(h.t.db, h.t.a.tenantId, { localId }, 50);

describe('webhook ordering', () => {
  it('an older product update delivered after a newer one never overwrites it', async () => {
    const p = (await products())[0] as EmuProduct;
    const local = await localProduct(firstSku(p));
    const older = only(
      await withheld(() =>
        h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Older title' }),
      ),
      'products/update',
    );
    await later();
    const newer = only(
      await withheld(() =>
        h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Newer title' }),
      ),
      'products/update',
    );
    const since = await h.lastCall();
    expect((await deliver(newer)).status).toBe(200);
    await h.settle();
    expect((await deliver(older)).status).toBe(200);
    await h.settle();
    expect((await localProduct(firstSku(p))).title).toBe('Newer title');
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    const history = await historyOf(local.id);
    expect(history.map((e) => e.diff)).toEqual([[{ path: 'title', before: p.title, after: 'Newer title' }]]);
    expect((await inboxRows(older.webhookId)).map((r) => r.state)).toEqual(['applied']);
  });

  it('product updates reordered within one batch end at the newest state, applied once', async () => {
    const p = (await products())[1] as EmuProduct;
    const local = await localProduct(firstSku(p));
    const sent: Delivery[] = [];
    for (const vendor of ['Vendor one', 'Vendor two', 'Vendor three']) {
      if (sent.length > 0) await later();
      sent.push(
        only(
          await withheld(() => h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { vendor })),
          'products/update',
        ),
      );
    }
    const since = await h.lastCall();
    for (const d of [sent[2], sent[0], sent[1]] as Delivery[]) expect((await deliver(d)).status).toBe(200);
    await h.settle();
    expect((await localProduct(firstSku(p))).vendor).toBe('Vendor three');
    expect(mutationsOf(await h.calls(since))).toEqual([]);
    const history = await historyOf(local.id);
    expect(history.map((e) => e.diff)).toEqual([
      [{ path: 'vendor', before: p.vendor, after: 'Vendor three' }],
    ]);
  });

  it("two updates of one product in the same second, reordered within one batch, end at Shopify's state", async () => {
    const p = (await products())[9] as EmuProduct;
    const local = await localProduct(firstSku(p));
    await freshSecond(); // both edits in one second: their order cannot be told from the payloads
    const sent: Delivery[] = [];
    for (const vendor of ['Same second one', 'Same second two'])
      sent.push(
        only(
          await withheld(() => h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { vendor })),
          'products/update',
        ),
      );
    const [first, second] = sent as [Delivery, Delivery];
    expect(JSON.parse(first.body).updated_at).toBe(JSON.parse(second.body).updated_at);
    for (const d of [second, first]) expect((await deliver(d)).status).toBe(200);
    await h.settle();
    expect((await localProduct(firstSku(p))).vendor).toBe('Same second two');
    const history = await historyOf(local.id);
    expect(history.map((e) => e.diff)).toEqual([
      [{ path: 'vendor', before: p.vendor, after: 'Same second two' }],
    ]);
  });

  it('a redelivered webhook id does no work', async () => {
    const p = (await products())[2] as EmuProduct;
    const local = await localProduct(firstSku(p));
    const d = only(
      await withheld(() => h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Said once' })),
      'products/update',
    );
    expect(await deliver(d)).toEqual({ status: 200, duplicate: false });
    await h.settle();
    const entries = (await historyOf(local.id)).length;
    const since = await h.lastCall();
    expect(await deliver(d)).toEqual({ status: 200, duplicate: true });
    expect(await deliver(d)).toEqual({ status: 200, duplicate: true });
    await h.settle();
    expect(await inboxRows(d.webhookId)).toEqual([{ state: 'applied' }]);
    expect((await historyOf(local.id)).length).toBe(entries);
    expect(await h.calls(since)).toEqual([]);
    expect((await localProduct(firstSku(p))).title).toBe('Said once');
  });

  it("under duplicated, reordered and delayed webhooks the final state is Shopify's, each delivery applied once", async () => {
    const p = (await products())[3] as EmuProduct;
    const local = await localProduct(firstSku(p));
    const before = new Set((await deliveries()).map((d) => d.seq));
    await h.emu.control('POST', '/faults', {
      webhookDuplicateRate: 1,
      webhookReorderRate: 1,
      webhookDelayRate: 0.5,
      webhookDelayMs: 30_000,
      seed: 7,
    });
    try {
      const since = await h.lastCall();
      for (const title of ['Messy one', 'Messy two', 'Messy three', 'Messy four']) {
        await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title });
        // One delivery per edit (Shopify folds edits made between sends into one).
        await h.emu.control('POST', '/webhooks/drain');
        if (title === 'Messy two') await h.settle();
        await later();
      }
      await h.settle();
      await h.emu.control('POST', '/clock/advance', { seconds: 60 });
      await h.settle();
      expect(mutationsOf(await h.calls(since))).toEqual([]);
    } finally {
      await h.emu.control('DELETE', '/faults');
    }
    expect((await localProduct(firstSku(p))).title).toBe('Messy four');
    const made = (await deliveries()).filter((d) => !before.has(d.seq) && d.topic === 'products/update');
    const ids = new Set(made.map((d) => d.webhookId));
    expect(made.length).toBeGreaterThan(ids.size); // the fault did duplicate
    for (const id of ids) expect((await inboxRows(id)).length).toBe(1);
    // Every history entry moved the title forward: never back to an older title.
    const titles = (await historyOf(local.id))
      .reverse()
      .flatMap((e) => (e.diff as { path: string; after: unknown }[]).filter((x) => x.path === 'title'))
      .map((x) => x.after);
    const order = ['Messy one', 'Messy two', 'Messy three', 'Messy four'];
    expect(titles.map((t) => order.indexOf(t as string))).toEqual(
      [...titles.map((t) => order.indexOf(t as string))].sort((a, b) => a - b),
    );
    expect(titles.at(-1)).toBe('Messy four');
  });

  describe('inventory levels', () => {
    async function level(n: number) {
      const p = (await products())[4 + n] as EmuProduct;
      const v = p.variants[0] as EmuVariant;
      const emuLocation = v.inventory[0]?.locationId as number;
      const shop = await h.emu.control<{ locations: { id: number; name: string }[] }>(
        'GET',
        `/shops/${SHOP}`,
      );
      const locs = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
      const name = shop.locations.find((l) => l.id === emuLocation)?.name;
      const locationId = locs.body.items.find((l) => l.name === name)?.id as string;
      const sku = v.sku as string;
      const read = async (): Promise<ApiLevel> => {
        const res = await h.api<{ items: ApiLevel[] }>(
          'GET',
          `/api/inventory?sku=${encodeURIComponent(sku)}&location_id=${locationId}`,
        );
        return res.body.items[0] as ApiLevel;
      };
      const remote = async (): Promise<number> => {
        const all = (await products()).flatMap((x) => x.variants);
        return all.find((x) => x.sku === sku)?.inventory.find((i) => i.locationId === emuLocation)
          ?.available as number;
      };
      const shopify = (delta: number) =>
        h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku, locationId: emuLocation, delta });
      await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
        sku,
        locationId: emuLocation,
        quantity: 10,
      });
      await h.settle();
      expect([(await read()).available, await remote()]).toEqual([10, 10]);
      return { read, remote, shopify, first: await read() };
    }

    it('stock updates reordered within one batch end at the newest quantity', async () => {
      const l = await level(0);
      const sent: Delivery[] = [];
      for (const delta of [-1, -1, -1]) {
        await later();
        sent.push(only(await withheld(() => l.shopify(delta)), 'inventory_levels/update'));
      }
      const since = await h.lastCall();
      for (const d of [sent[2], sent[0], sent[1]] as Delivery[]) expect((await deliver(d)).status).toBe(200);
      await h.settle();
      expect([(await l.read()).available, await l.remote()]).toEqual([7, 7]);
      expect(mutationsOf(await h.calls(since))).toEqual([]);
    });

    /**
     * Shopify sells 2 (10 → 8) and its webhook is held back; we sell 3, so our push meets a stale
     * compare, rebases on 8 and lands at 5 (its echo changes nothing). The old webhook, delivered
     * last, must change nothing either.
     */
    async function oldSaleAfterOurs(
      l: Awaited<ReturnType<typeof level>>,
      beforeOurSale: () => Promise<unknown>,
    ): Promise<void> {
      const old = only(await withheld(() => l.shopify(-2)), 'inventory_levels/update');
      await beforeOurSale();
      expectOk(
        await h.api('POST', '/api/inventory/adjust', {
          variant_id: l.first.variant_id,
          location_id: l.first.location_id,
          delta: -3,
          reason: 'sale',
        }),
      );
      await h.settle();
      expect([(await l.read()).available, await l.remote()]).toEqual([5, 5]);
      const since = await h.lastCall();
      expect((await deliver(old)).status).toBe(200);
      await h.settle();
      expect([(await l.read()).available, await l.remote()]).toEqual([5, 5]);
      expect(mutationsOf(await h.calls(since))).toEqual([]);
    }

    /**
     * Moves Shopify's clock to the start of a fresh second: changes made right after usually carry the
     * same updated_at second, so only a read of Shopify's current quantity can tell which is newer.
     * (Should they straddle a second, the older one is plainly stale: same outcome.)
     */
    it('an old stock update arriving after our own pushed change never overwrites it', async () => {
      const l = await level(1);
      await later();
      await oldSaleAfterOurs(l, later);
    });

    it('an old stock update stamped in the same second as our pushed change never overwrites it', async () => {
      const l = await level(2);
      await freshSecond();
      await oldSaleAfterOurs(l, async () => undefined);
    });

    it("two stock updates of the same second, reordered, end at Shopify's quantity", async () => {
      const l = await level(3);
      await freshSecond(); // both sales in one second: their order cannot be told from the payloads
      const first = only(await withheld(() => l.shopify(-1)), 'inventory_levels/update');
      const second = only(await withheld(() => l.shopify(-1)), 'inventory_levels/update');
      const since = await h.lastCall();
      for (const d of [second, first]) expect((await deliver(d)).status).toBe(200);
      await h.settle();
      expect([(await l.read()).available, await l.remote()]).toEqual([8, 8]);
      expect(mutationsOf(await h.calls(since))).toEqual([]);
    });
  });
});
