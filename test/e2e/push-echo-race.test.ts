// Races around a push in flight, each seen as a lost edit in bench:sync or the chaos run:
// - the echo of the push, applied before the push stored its result: a Retailos edit made while Shopify
//   was taking our push must survive it (bench:sync's burst that never converged: both sides agreed on
//   an older price than the merchant's last save);
// - a Shopify edit of another field made between the push's read and its write must survive the write
//   (the write sends only what it changes).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { FRESH_READ_MS, syncEntity } from '../../src/sync/continuous/sync-entity.ts';
import { customerAdapter } from '../../src/sync/entities/customer.ts';
import { orderAdapter } from '../../src/sync/entities/order.ts';
import { productAdapter } from '../../src/sync/entities/product.ts';
import type { EntityAdapter, LocalState, RemoteState } from '../../src/sync/entities/adapter.ts';
import { shopSessionFor } from '../../src/sync/shop-session.ts';
import {
  expectOk,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type ApiVariant,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'push-echo-race.myshopify.com';

interface EmuProduct {
  id: number;
  variants: { sku: string | null; price: string }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '61', '--products', '3', '--customers', '2', '--orders', '2']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

async function localBySku(sku: string): Promise<ApiProduct> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  const p = res.body.items[0];
  if (!p) throw new Error(`no local product with SKU ${sku}`);
  return p;
}

async function remoteProducts(): Promise<EmuProduct[]> {
  return (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`))
    .products;
}

const price = (p: string) => (_v: ApiVariant, i: number) => (i === 0 ? { price: p } : {});

/** The record's push, with `race` run around its first call to Shopify (`push` makes that call). */
async function pushRacing<R extends RemoteState, L extends LocalState>(
  real: EntityAdapter<R, L>,
  localId: string,
  race: (push: () => Promise<R>) => Promise<R>,
  as?: { origin: 'reconcile'; cause: string },
): Promise<void> {
  const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
  if (!session) throw new Error('no session');
  let raced = false;
  const racing: EntityAdapter<R, L> = {
    ...real,
    pushRemote(s, merged, at) {
      if (raced) return real.pushRemote(s, merged, at);
      raced = true;
      return race(() => real.pushRemote(s, merged, at));
    },
  };
  await syncEntity(h.t.deps, session, racing, h.t.a.tenantId, { localId }, { origin: 'push' }, as);
  if (!raced) throw new Error('the push never called Shopify');
}

/** Runs `before`, then the push's call to Shopify. */
const first =
  <R>(before: () => Promise<unknown>) =>
  async (push: () => Promise<R>): Promise<R> => {
    await before();
    return push();
  };

/** Product `index`'s first variant repriced in Retailos; `before`: its Sync History entries until then. */
async function repriced(index: number, to: string): Promise<{ local: ApiProduct; before: number }> {
  const sku = (await remoteProducts())[index]?.variants[0]?.sku;
  if (!sku) throw new Error('no product');
  const local = await localBySku(sku);
  expectOk(await h.api('PATCH', `/api/products/${local.id}`, { variants: variantsBody(local, price(to)) }));
  return { local, before: (await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 100)).length };
}

/** The record's Sync History entries written after the first `before` (newest first). */
async function entriesSince(localId: string, before: number) {
  return (await listHistory(h.t.db, h.t.a.tenantId, { localId }, 100)).slice(0, -before || undefined);
}

describe('a push whose echo arrives before the push has stored its result', () => {
  it('keeps the Retailos edit made while Shopify took the push: it is pushed next, on both sides', async () => {
    const remote = (await remoteProducts())[0];
    const sku = remote?.variants[0]?.sku;
    if (!remote || !sku) throw new Error('no product');
    const local = await localBySku(sku);
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, { variants: variantsBody(local, price('31.00')) }),
    );
    await pushRacing(productAdapter(randomUUID), local.id, async (push) => {
      // The merchant saves 32.00 after the push read 31.00 and before Shopify writes it: Shopify's
      // write is the later one (its clock a minute on), so most recent wins would pick 31.00.
      const now = await localBySku(sku);
      expectOk(
        await h.api('PATCH', `/api/products/${now.id}`, { variants: variantsBody(now, price('32.00')) }),
      );
      await h.emu.control('POST', '/clock/advance', { seconds: 60 });
      const pushed = await push();
      // Shopify's products/update for 31.00 is delivered and applied, and the push job of 32.00 runs,
      // all before this push stores its own result.
      await h.settle();
      return pushed;
    });
    await h.settle();
    const after = (await remoteProducts()).find((p) => p.id === remote.id);
    expect(after?.variants[0]?.price).toBe('32.00');
    expect((await localBySku(sku)).variants[0]?.price).toBe('32.00');
    // No inbound entry wrote our own older push back over the merchant's edit.
    const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 100);
    expect(
      entries.filter((e) => e.direction === 'inbound' && JSON.stringify(e.after).includes('"31.00"')),
    ).toEqual([]);
  });
});

interface EmuOrder {
  id: number;
  name: string;
  note: string | null;
  tags: string[];
}
interface ApiOrder {
  id: string;
  name: string;
  note: string;
  tags: string[];
}

describe('a Shopify edit made while our push is on its way', () => {
  it('an order note edited on Shopify survives our push of the tags edited in Retailos', async () => {
    const remote = (await h.emu.control<{ orders: EmuOrder[] }>('GET', `/shops/${SHOP}/orders`)).orders[0];
    if (!remote) throw new Error('no order');
    const list = await h.api<{ items: ApiOrder[] }>('GET', '/api/orders?limit=50');
    const local = list.body.items.find((o) => o.name === remote.name);
    if (!local) throw new Error(`no local order ${remote.name}`);
    expectOk(await h.api('PATCH', `/api/orders/${local.id}`, { tags: [...local.tags, 'gift-wrap'] }));
    // The push has read Shopify's order; the merchant edits its note there now.
    await pushRacing(
      orderAdapter(randomUUID),
      local.id,
      first(() =>
        h.emu.control('PATCH', `/shops/${SHOP}/orders/${remote.id}`, { note: 'leave at the door' }),
      ),
    );
    await h.settle();
    const after = await h.emu.control<EmuOrder>('GET', `/shops/${SHOP}/orders/${remote.id}`);
    expect(after.note).toBe('leave at the door');
    expect(after.tags).toContain('gift-wrap');
    const mine = (await h.api<ApiOrder>('GET', `/api/orders/${local.id}`)).body;
    expect(mine.note).toBe('leave at the door');
    expect(mine.tags).toContain('gift-wrap');
  });

  it("a customer's last name edited on Shopify survives our push of the note edited in Retailos", async () => {
    const remote = (
      await h.emu.control<{ customers: { id: number; email: string | null }[] }>(
        'GET',
        `/shops/${SHOP}/customers`,
      )
    ).customers.find((c) => c.email);
    if (!remote?.email) throw new Error('no customer with an email');
    const list = await h.api<{ items: { id: string; email: string | null }[] }>(
      'GET',
      `/api/customers?q=${encodeURIComponent(remote.email)}`,
    );
    const local = list.body.items.find((c) => c.email === remote.email);
    if (!local) throw new Error(`no local customer ${remote.email}`);
    expectOk(await h.api('PATCH', `/api/customers/${local.id}`, { note: 'prefers email' }));
    await pushRacing(
      customerAdapter(randomUUID),
      local.id,
      first(() => h.emu.control('PATCH', `/shops/${SHOP}/customers/${remote.id}`, { lastName: 'Hopper' })),
    );
    await h.settle();
    const after = await h.emu.control<{ lastName: string | null; note: string | null }>(
      'GET',
      `/shops/${SHOP}/customers/${remote.id}`,
    );
    expect([after.lastName, after.note]).toEqual(['Hopper', 'prefers email']);
    const mine = (
      await h.api<{ last_name: string | null; note: string }>('GET', `/api/customers/${local.id}`)
    ).body;
    expect([mine.last_name, mine.note]).toEqual(['Hopper', 'prefers email']);
  });

  it("a product's title and another variant's price edited on Shopify survive our push of a Retailos price edit", async () => {
    const remote = (
      await h.emu.control<{ products: (EmuProduct & { title: string })[] }>('GET', `/shops/${SHOP}/products`)
    ).products.find((p) => p.variants.length >= 2);
    const sku = remote?.variants[0]?.sku;
    const other = remote?.variants[1] as { id?: number; sku: string | null } | undefined;
    if (!remote || !sku || !other?.sku) throw new Error('no product with two variants');
    const local = await localBySku(sku);
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, { variants: variantsBody(local, price('41.00')) }),
    );
    const full = await h.emu.control<{ variants: { id: number; sku: string | null }[] }>(
      'GET',
      `/shops/${SHOP}/products/${remote.id}`,
    );
    const otherId = full.variants.find((v) => v.sku === other.sku)?.id;
    if (otherId === undefined) throw new Error('no second variant id');
    // The push has read Shopify's product; the merchant edits it there now.
    await pushRacing(
      productAdapter(randomUUID),
      local.id,
      first(async () => {
        await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Renamed on Shopify' });
        await h.emu.control('PATCH', `/shops/${SHOP}/variants/${otherId}`, { price: '77.00' });
      }),
    );
    await h.settle();
    const after = await h.emu.control<{ title: string; variants: { sku: string | null; price: string }[] }>(
      'GET',
      `/shops/${SHOP}/products/${remote.id}`,
    );
    const priceOf = (vs: { sku: string | null; price: string }[], k: string) =>
      vs.find((v) => v.sku === k)?.price;
    expect([after.title, priceOf(after.variants, sku), priceOf(after.variants, other.sku)]).toEqual([
      'Renamed on Shopify',
      '41.00',
      '77.00',
    ]);
    const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    expect([mine.title, priceOf(mine.variants, sku), priceOf(mine.variants, other.sku)]).toEqual([
      'Renamed on Shopify',
      '41.00',
      '77.00',
    ]);
  });

  it('a Shopify title the push carried along reaches Retailos when Retailos is edited while the push runs', async () => {
    const remote = (await remoteProducts())[2];
    const sku = remote?.variants[0]?.sku;
    if (!remote || !sku) throw new Error('no product');
    // Shopify's title edit is there when the push reads, its webhook not applied yet.
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Carried along' });
    const local = await localBySku(sku);
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, { variants: variantsBody(local, price('51.00')) }),
    );
    // The merchant saves a new price while the push (Shopify's title + 51.00) runs.
    await pushRacing(
      productAdapter(randomUUID),
      local.id,
      first(async () => {
        const now = await localBySku(sku);
        expectOk(
          await h.api('PATCH', `/api/products/${now.id}`, { variants: variantsBody(now, price('52.00')) }),
        );
      }),
    );
    await h.settle();
    const after = await h.emu.control<{ title: string; variants: { sku: string | null; price: string }[] }>(
      'GET',
      `/shops/${SHOP}/products/${remote.id}`,
    );
    const mine = (await h.api<ApiProduct>('GET', `/api/products/${local.id}`)).body;
    const priceOf = (vs: { sku: string | null; price: string }[]) => vs.find((v) => v.sku === sku)?.price;
    expect([after.title, priceOf(after.variants)]).toEqual(['Carried along', '52.00']);
    expect([mine.title, priceOf(mine.variants)]).toEqual(['Carried along', '52.00']);
  });

  it('a push that reached Shopify but ended before recording it (a kill) still gets its Sync History entry', async () => {
    const { local, before } = await repriced(1, '61.00');
    await expect(
      pushRacing(productAdapter(randomUUID), local.id, async (push) => {
        await push();
        throw new Error('killed after Shopify took the push');
      }),
    ).rejects.toThrow('killed');
    await h.settle();
    const entries = await entriesSince(local.id, before);
    expect(entries.map((e) => [e.direction, e.origin, e.action])).toEqual([['outbound', 'push', 'update']]);
    expect(JSON.stringify(entries[0]?.after)).toContain('"61.00"');
  });

  it("a reconciliation's push whose echo live sync applies first is recorded as the reconciliation's, with its cause", async () => {
    // (The chaos run's repairs that pushed had no entry under origin 'reconcile': the echo's entry said 'push'.)
    const { local, before } = await repriced(2, '71.00');
    await pushRacing(
      productAdapter(randomUUID),
      local.id,
      async (push) => {
        const pushed = await push();
        // Shopify's products/update of our push is delivered and applied before the repair stores its result.
        await h.settle();
        return pushed;
      },
      { origin: 'reconcile', cause: 'push not delivered' },
    );
    await h.settle();
    const entries = await entriesSince(local.id, before);
    expect(entries.map((e) => [e.direction, e.origin, e.action, e.cause])).toEqual([
      ['outbound', 'reconcile', 'update', 'push not delivered'],
    ]);
    expect(JSON.stringify(entries[0]?.after)).toContain('"71.00"');
  });
});

/** The record's push, with `meanwhile` run between its first read of Shopify and its decision. */
async function pushReadRacing<R extends RemoteState, L extends LocalState>(
  real: EntityAdapter<R, L>,
  localId: string,
  meanwhile: () => Promise<unknown>,
): Promise<number> {
  const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
  if (!session) throw new Error('no session');
  const merge = real.merge;
  if (!merge) throw new Error('the adapter has no merge of its own');
  let reads = 0;
  let raced = false;
  const racing: EntityAdapter<R, L> = {
    ...real,
    readRemote(s, gid) {
      reads += 1;
      return real.readRemote(s, gid);
    },
    async merge(q, tenantId, input, sides) {
      if (!raced) {
        raced = true;
        await meanwhile();
      }
      return merge(q, tenantId, input, sides);
    },
  };
  await syncEntity(h.t.deps, session, racing, h.t.a.tenantId, { localId }, { origin: 'push' });
  if (!raced) throw new Error('the push never decided');
  return reads;
}

describe('a Shopify edit of the same field made after our read, before our write', () => {
  it('is not overwritten: a push whose read has aged reads again and decides again, and the later edit wins', async () => {
    const remote = (await remoteProducts())[1];
    const sku = remote?.variants[0]?.sku;
    if (!remote || !sku) throw new Error('no product');
    await h.settle();
    const local = await localBySku(sku);
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, { variants: variantsBody(local, price('71.00')) }),
    );
    const reads = await pushReadRacing(productAdapter(randomUUID), local.id, async () => {
      // Between the push's read and its write: the same price edited on Shopify a minute later (its
      // clock moved on), and our read ages.
      await h.emu.control('POST', '/clock/advance', { seconds: 60 });
      const full = await h.emu.control<{ variants: { id: number; sku: string | null }[] }>(
        'GET',
        `/shops/${SHOP}/products/${remote.id}`,
      );
      const id = full.variants.find((v) => v.sku === sku)?.id;
      await h.emu.control('PATCH', `/shops/${SHOP}/variants/${id}`, { price: '72.00' });
      h.t.clock.advance(FRESH_READ_MS + 1);
    });
    await h.settle();
    expect(reads).toBeGreaterThanOrEqual(2);
    const after = (await remoteProducts()).find((p) => p.id === remote.id);
    expect(after?.variants.find((v) => v.sku === sku)?.price).toBe('72.00');
    expect((await localBySku(sku)).variants[0]?.price).toBe('72.00');
  });

  it('costs no second read when the push writes right after its read', async () => {
    const remote = (await remoteProducts())[1];
    const sku = remote?.variants[0]?.sku;
    if (!remote || !sku) throw new Error('no product');
    await h.settle();
    const local = await localBySku(sku);
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, { variants: variantsBody(local, price('73.00')) }),
    );
    const reads = await pushReadRacing(productAdapter(randomUUID), local.id, async () => {});
    await h.settle();
    expect(reads).toBe(1);
    const after = (await remoteProducts()).find((p) => p.id === remote.id);
    expect(after?.variants.find((v) => v.sku === sku)?.price).toBe('73.00');
  });
});

describe('two pushes of one record overlapping (a push job and another decision, on two workers)', () => {
  it("keeps both pushes' echoes as ours: the Retailos edit the second push carries is not overwritten", async () => {
    const remote = (await remoteProducts())[2];
    const sku = remote?.variants[0]?.sku;
    if (!remote || !sku) throw new Error('no product');
    await h.settle();
    const local = await localBySku(sku);
    expectOk(
      await h.api('PATCH', `/api/products/${local.id}`, { variants: variantsBody(local, price('81.00')) }),
    );
    const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
    if (!session) throw new Error('no session');
    // The first push (81.00) is taken by Shopify a minute on by its clock, and has not stored its result
    // when the merchant saves 82.00 and a second decision pushes it...
    await pushRacing(productAdapter(randomUUID), local.id, async (push) => {
      await h.emu.control('POST', '/clock/advance', { seconds: 60 });
      const pushed = await push();
      const now = await localBySku(sku);
      expectOk(
        await h.api('PATCH', `/api/products/${now.id}`, { variants: variantsBody(now, price('82.00')) }),
      );
      // ...and while that second push is on its way, a third decision (the first push's webhook, or
      // another job) finds Shopify holding the first push's 81.00.
      await pushRacing(
        productAdapter(randomUUID),
        local.id,
        first(() =>
          syncEntity(
            h.t.deps,
            session,
            productAdapter(randomUUID),
            h.t.a.tenantId,
            { localId: local.id },
            {
              origin: 'push',
            },
          ),
        ),
      );
      return pushed;
    });
    await h.settle();
    const after = (await remoteProducts()).find((p) => p.id === remote.id);
    expect(after?.variants.find((v) => v.sku === sku)?.price).toBe('82.00');
    expect((await localBySku(sku)).variants.find((v) => v.sku === sku)?.price).toBe('82.00');
  });
});
