import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { CUSTOMER_KEPT } from '../../src/sync/entities/customer.ts';
import { DELETED_DURING_PUSH, DELETED_ON_BOTH } from '../../src/sync/continuous/sync-entity.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

// A record deleted on one side while the other side writes it: both sides converge, Sync History says
// what happened in words, and no dead letter is left (there is nothing for the merchant to do).

const SHOP = 'deleted-while-written.myshopify.com';

interface EmuVariant {
  id: number;
  sku: string | null;
  inventoryItemId: number;
  inventory: { locationId: number; available: number; onHand: number }[];
}
interface EmuProduct {
  id: number;
  title: string;
  variants: EmuVariant[];
}
interface EmuCustomer {
  id: number;
  email: string | null;
  note: string | null;
}

let h: SyncHarness;
/** Runs once, just before the next call to Shopify whose body names `operation` (as timing would). */
let hook: { operation: string; before: () => Promise<void> } | null = null;
const realFetch = globalThis.fetch;

async function hooked(input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> {
  const body = typeof init?.body === 'string' ? init.body : '';
  if (hook && body.includes(hook.operation)) {
    const { before } = hook;
    hook = null;
    await before();
  }
  return realFetch(input, init);
}

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    '--seed',
    '53',
    '--products',
    '20',
    '--customers',
    '20',
    '--orders',
    '0',
  ]);
  vi.stubGlobal('fetch', hooked);
}, 240_000);
afterAll(async () => {
  vi.unstubAllGlobals();
  await h?.close();
});

const emuProducts = async () =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products;
const emuCustomers = async () =>
  (await h.emu.control<{ customers: EmuCustomer[] }>('GET', `/shops/${SHOP}/customers?limit=250`)).customers;

const taken = new Set<number>();
/** A Shopify product no test has used yet, with a SKU on its first variant. */
async function freshProduct(): Promise<EmuProduct & { variant: EmuVariant }> {
  const p = (await emuProducts()).find((x) => !taken.has(x.id) && x.variants[0]?.sku);
  if (!p) throw new Error('no product left');
  taken.add(p.id);
  return { ...p, variant: p.variants[0] as EmuVariant };
}
async function freshCustomer(): Promise<EmuCustomer & { email: string }> {
  const c = (await emuCustomers()).find((x) => !taken.has(-x.id) && x.email);
  if (!c) throw new Error('no customer left');
  taken.add(-c.id);
  return c as EmuCustomer & { email: string };
}

async function localProduct(sku: string): Promise<ApiProduct | undefined> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  return res.body.items[0];
}
async function localCustomer(email: string): Promise<{ id: string; note: string } | undefined> {
  const res = await h.api<{ items: { id: string; note: string }[] }>(
    'GET',
    `/api/customers?email=${encodeURIComponent(email)}`,
  );
  expectOk(res);
  return res.body.items[0];
}

const historyOf = async (localId: string) =>
  (await listHistory(h.t.db, h.t.a.tenantId, { localId }, 50)).map((e) => ({
    direction: e.direction,
    action: e.action,
    cause: e.cause,
  }));
/** Open dead letters, with their words (empty when all is well). */
const openLetters = async () =>
  (
    await h.t.db.query<{ entity: string; error: string }>(
      `select entity, last_error as error from shopify_dead_letters where tenant_id = $1 and state = 'open'`,
      [h.t.a.tenantId],
    )
  ).rows;

describe('a customer deleted in Retailos whom Shopify keeps', () => {
  it('comes back in Retailos as Shopify holds them, with the same id and their order, and Sync History says Shopify kept them; no dead letter', async () => {
    const c = await freshCustomer();
    const local = await localCustomer(c.email);
    if (!local) throw new Error('customer not imported');
    const { variant } = await freshProduct();
    // An order on Shopify that Retailos has not heard of yet: Retailos lets the merchant delete.
    const order = await h.emu.control<{ id: number; gid: string }>('POST', `/shops/${SHOP}/orders`, {
      lines: [{ variantId: variant.id, quantity: 1 }],
      customerId: c.id,
    });
    expect((await h.api('DELETE', `/api/customers/${local.id}`)).status).toBe(204);
    const since = await h.lastCall();
    await h.settleWithRetries(3);

    expect(await localCustomer(c.email)).toMatchObject({ id: local.id });
    expect((await emuCustomers()).some((x) => x.id === c.id)).toBe(true);
    expect(mutationsOf(await h.calls(since))).toEqual(['customerDelete']); // refused once, never retried
    expect(await openLetters()).toEqual([]);
    expect((await historyOf(local.id)).at(0)).toEqual({
      direction: 'inbound',
      action: 'create',
      cause: CUSTOMER_KEPT,
    });
    // The merchant reads it in Sync History.
    const listed = await h.api<{ items: { action: string; cause: string | null }[] }>(
      'GET',
      `/api/shopify/history?local_id=${local.id}`,
    );
    expect(listed.body.items[0]).toMatchObject({ action: 'create', cause: CUSTOMER_KEPT });
    const { rows } = await h.t.db.query<{ customer_id: string | null }>(
      `select o.customer_id from orders o join shopify_links m on m.local_id = o.id and m.entity = 'order'
        where m.tenant_id = $1 and m.gid = $2`,
      [h.t.a.tenantId, order.gid],
    );
    expect(rows).toEqual([{ customer_id: local.id }]);
  });

  it('is refused up front (409) when Retailos already knows their orders', async () => {
    const c = await freshCustomer();
    const { variant } = await freshProduct();
    await h.emu.control('POST', `/shops/${SHOP}/orders`, {
      lines: [{ variantId: variant.id, quantity: 1 }],
      customerId: c.id,
    });
    await h.settle();
    const local = await localCustomer(c.email);
    const res = await h.api<{ error: { code: string } }>('DELETE', `/api/customers/${local?.id}`);
    expect([res.status, res.body.error.code]).toEqual([409, 'customer_has_orders']);
  });
});

describe('a customer deleted in Retailos races an order placed for them on Shopify', () => {
  it('whichever comes first, the customer ends on both sides under one id, with the order, and no dead letter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('order-applied-first', 'order-unheard-of', 'order-during-push'),
        async (order) => {
          const c = await freshCustomer();
          const local = await localCustomer(c.email);
          if (!local) throw new Error('customer not imported');
          const { variant } = await freshProduct();
          let placed: { gid: string } | undefined;
          const place = async () => {
            placed = await h.emu.control<{ gid: string }>('POST', `/shops/${SHOP}/orders`, {
              lines: [{ variantId: variant.id, quantity: 1 }],
              customerId: c.id,
            });
          };
          if (order === 'order-during-push') hook = { operation: 'DeleteCustomer', before: place };
          else await place();
          if (order === 'order-applied-first') await h.settle();
          const deleted = await h.api('DELETE', `/api/customers/${local.id}`);
          expect(deleted.status).toBe(order === 'order-applied-first' ? 409 : 204);
          await h.settle();
          expect(hook).toBeNull();

          expect(await localCustomer(c.email)).toMatchObject({ id: local.id });
          expect((await emuCustomers()).some((x) => x.id === c.id)).toBe(true);
          expect(await openLetters()).toEqual([]);
          const { rows } = await h.t.db.query<{ customer_id: string | null }>(
            `select o.customer_id from orders o join shopify_links m on m.local_id = o.id and m.entity = 'order'
              where m.tenant_id = $1 and m.gid = $2`,
            [h.t.a.tenantId, placed?.gid],
          );
          expect(rows).toEqual([{ customer_id: local.id }]);
        },
      ),
      { numRuns: 4 },
    );
  });
});

describe('a record deleted on Shopify while Retailos pushes an edit of it', () => {
  it('a product: the deletion wins in Retailos, said in Sync History; its webhook after it changes nothing; no dead letter', async () => {
    const p = await freshProduct();
    const local = await localProduct(p.variant.sku as string);
    if (!local) throw new Error('product not imported');
    expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title: 'Edited while deleted' }));
    hook = {
      operation: 'PushProduct',
      before: async () => {
        await h.emu.control('DELETE', `/shops/${SHOP}/products/${p.id}`);
      },
    };
    await h.settle();
    expect(hook).toBeNull();

    expect(await localProduct(p.variant.sku as string)).toBeUndefined();
    expect((await emuProducts()).some((x) => x.id === p.id)).toBe(false);
    expect(await openLetters()).toEqual([]);
    const deletes = (await historyOf(local.id)).filter((e) => e.action === 'delete');
    expect(deletes).toEqual([{ direction: 'inbound', action: 'delete', cause: DELETED_DURING_PUSH }]);
  });

  it('a customer: the same (customerSet answers NOT_FOUND)', async () => {
    const c = await freshCustomer();
    const local = await localCustomer(c.email);
    if (!local) throw new Error('customer not imported');
    expectOk(await h.api('PATCH', `/api/customers/${local.id}`, { note: 'edited while deleted' }));
    hook = {
      operation: 'PushCustomer',
      before: async () => {
        await h.emu.control('DELETE', `/shops/${SHOP}/customers/${c.id}`);
      },
    };
    await h.settle();
    expect(hook).toBeNull();

    expect(await localCustomer(c.email)).toBeUndefined();
    expect(await openLetters()).toEqual([]);
    const deletes = (await historyOf(local.id)).filter((e) => e.action === 'delete');
    expect(deletes).toEqual([{ direction: 'inbound', action: 'delete', cause: DELETED_DURING_PUSH }]);
  });
});

describe('a record deleted on both sides before either deletion synced', () => {
  it('a product: gone on both sides, one Sync History entry says so (chaos seed 5 had none); no dead letter', async () => {
    const p = await freshProduct();
    const local = await localProduct(p.variant.sku as string);
    if (!local) throw new Error('product not imported');
    // Shopify deletes it just before the push of Retailos's deletion reads it.
    hook = {
      operation: 'ProductForSync',
      before: async () => {
        await h.emu.control('DELETE', `/shops/${SHOP}/products/${p.id}`);
      },
    };
    expect((await h.api('DELETE', `/api/products/${local.id}`)).status).toBe(204);
    await h.settle();
    expect(hook).toBeNull();

    expect(await localProduct(p.variant.sku as string)).toBeUndefined();
    expect((await emuProducts()).some((x) => x.id === p.id)).toBe(false);
    expect(await openLetters()).toEqual([]);
    const deletes = (await historyOf(local.id)).filter((e) => e.action === 'delete');
    expect(deletes.map((e) => e.cause)).toEqual([DELETED_ON_BOTH]);
  });
});

interface Level {
  id: string;
  variantId: string;
  locationId: string;
  available: number;
}

/** The product's first variant's stock at a location it is stocked at, both sides. */
async function levelOf(p: EmuProduct & { variant: EmuVariant }): Promise<Level & { emuLocation: number }> {
  const at = p.variant.inventory[0];
  if (!at) throw new Error('variant not stocked');
  const shop = await h.emu.control<{ locations: { id: number; name: string }[] }>('GET', `/shops/${SHOP}`);
  const locals = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
  const name = shop.locations.find((l) => l.id === at.locationId)?.name;
  const locationId = locals.body.items.find((l) => l.name === name)?.id as string;
  const res = await h.api<{ items: { id: string; variant_id: string; available: number }[] }>(
    'GET',
    `/api/inventory?sku=${encodeURIComponent(p.variant.sku as string)}&location_id=${locationId}`,
  );
  const row = res.body.items[0];
  if (!row) throw new Error('level not imported');
  return {
    id: row.id,
    variantId: row.variant_id,
    locationId,
    available: row.available,
    emuLocation: at.locationId,
  };
}

const retailosSale = async (l: Level, delta: number) =>
  expectOk(
    await h.api('POST', '/api/inventory/adjust', {
      variant_id: l.variantId,
      location_id: l.locationId,
      delta,
      reason: 'sale',
    }),
  );

const levelExists = async (id: string) =>
  (
    await h.t.db.query('select 1 from inventory_levels where tenant_id = $1 and id = $2', [
      h.t.a.tenantId,
      id,
    ])
  ).rows.length === 1;

describe('a stock push to an inventory item Shopify no longer has', () => {
  it('its product deleted on Shopify meanwhile: the product is deleted in Retailos with its stock; no dead letter', async () => {
    const p = await freshProduct();
    const level = await levelOf(p);
    const local = await localProduct(p.variant.sku as string);
    await retailosSale(level, -1);
    hook = {
      operation: 'PushStock',
      before: async () => {
        await h.emu.control('DELETE', `/shops/${SHOP}/products/${p.id}`);
      },
    };
    await h.settle();
    expect(hook).toBeNull();

    expect(await localProduct(p.variant.sku as string)).toBeUndefined();
    expect(await levelExists(level.id)).toBe(false);
    expect(await openLetters()).toEqual([]);
    const deletes = (await historyOf(local?.id as string)).filter((e) => e.action === 'delete');
    expect(deletes).toHaveLength(1);
  });

  it('its variant still on Shopify under another item (a stale link): the stock follows the variant and the unpushed sale still counts', async () => {
    const p = await freshProduct();
    const level = await levelOf(p);
    const shopifyBefore = p.variant.inventory[0]?.available as number;
    // The link names an item Shopify does not have (what a stale link looks like).
    await h.t.db.query(
      `update shopify_links set gid = 'gid://shopify/InventoryItem/999999999${p.id}'
        where tenant_id = $1 and entity = 'inventory_item' and local_id = $2`,
      [h.t.a.tenantId, level.variantId],
    );
    await retailosSale(level, -3);
    await h.settle();

    const after = (await emuProducts()).find((x) => x.id === p.id)?.variants[0];
    expect(after?.inventory.find((i) => i.locationId === level.emuLocation)?.available).toBe(
      shopifyBefore - 3,
    );
    expect((await levelOf(p)).available).toBe(shopifyBefore - 3);
    const { rows } = await h.t.db.query<{ gid: string }>(
      `select gid from shopify_links where tenant_id = $1 and entity = 'inventory_item' and local_id = $2`,
      [h.t.a.tenantId, level.variantId],
    );
    expect(rows).toEqual([{ gid: `gid://shopify/InventoryItem/${p.variant.inventoryItemId}` }]);
    expect(await openLetters()).toEqual([]);
  });
});

describe('a Shopify stock change for a variant deleted in Retailos while it is applied', () => {
  it('is dropped (the variant has no stock in Retailos to move): no level written, no dead letter, the deletion reaches Shopify', async () => {
    const p = await freshProduct();
    const level = await levelOf(p);
    const local = await localProduct(p.variant.sku as string);
    await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, {
      sku: p.variant.sku,
      locationId: level.emuLocation,
      delta: 4,
    });
    // The delivery found the variant in Retailos; the merchant deletes the product while Shopify's
    // level is read, before the level is written.
    hook = {
      operation: 'LevelForSync',
      before: async () => {
        expect((await h.api('DELETE', `/api/products/${local?.id as string}`)).status).toBe(204);
      },
    };
    await h.settle();
    expect(hook).toBeNull();

    expect(await openLetters()).toEqual([]);
    expect(await localProduct(p.variant.sku as string)).toBeUndefined();
    expect(await levelExists(level.id)).toBe(false);
    const { rows } = await h.t.db.query(
      'select 1 from inventory_levels where tenant_id = $1 and variant_id = $2',
      [h.t.a.tenantId, level.variantId],
    );
    expect(rows).toEqual([]);
    expect((await emuProducts()).some((x) => x.id === p.id)).toBe(false);
  });
});

describe('the deletion and the edit race', () => {
  it('in any order of the webhook and the push, the record ends deleted on both sides, one delete entry, no dead letter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('product' as const, 'customer' as const, 'stock' as const),
        fc.constantFrom('webhook-first' as const, 'push-first' as const, 'during-push' as const),
        fc.string({ minLength: 1, maxLength: 12 }).map((s) => `race ${s.trim() || 'x'}`),
        async (kind, order, text) => {
          const { localId, find, edit, remove, operation } = await raceTarget(kind, text);
          await edit();
          if (order === 'webhook-first') {
            await remove();
            await h.settle(); // the webhook is delivered before the push job runs (settle drains it first)
          } else if (order === 'push-first') {
            await h.settle(); // the edit reaches Shopify
            await remove();
            await h.settle();
          } else {
            hook = { operation, before: remove };
            await h.settle();
            expect(hook).toBeNull();
          }
          await h.settle();
          expect(await find()).toBeFalsy();
          expect(await openLetters()).toEqual([]);
          const deletes = (await historyOf(localId)).filter((e) => e.action === 'delete');
          expect(deletes).toHaveLength(1);
        },
      ),
      { numRuns: 8 },
    );
  });
});

async function raceTarget(kind: 'product' | 'customer' | 'stock', text: string) {
  if (kind === 'stock') {
    // A sale in Retailos against the product deleted on Shopify: the stock goes with the product.
    const p = await freshProduct();
    const sku = p.variant.sku as string;
    const [local, level] = [await localProduct(sku), await levelOf(p)];
    if (!local) throw new Error('product not imported');
    return {
      localId: local.id,
      operation: 'PushStock',
      find: async () => (await levelExists(level.id)) || (await localProduct(sku)),
      edit: () => retailosSale(level, -(text.length % 3) - 1),
      remove: async () => {
        await h.emu.control('DELETE', `/shops/${SHOP}/products/${p.id}`);
      },
    };
  }
  if (kind === 'product') {
    const p = await freshProduct();
    const sku = p.variant.sku as string;
    const local = await localProduct(sku);
    if (!local) throw new Error('product not imported');
    return {
      localId: local.id,
      operation: 'PushProduct',
      find: () => localProduct(sku),
      edit: async () => expectOk(await h.api('PATCH', `/api/products/${local.id}`, { title: text })),
      remove: async () => {
        await h.emu.control('DELETE', `/shops/${SHOP}/products/${p.id}`);
      },
    };
  }
  const c = await freshCustomer();
  const local = await localCustomer(c.email);
  if (!local) throw new Error('customer not imported');
  return {
    localId: local.id,
    operation: 'PushCustomer',
    find: () => localCustomer(c.email),
    edit: async () => expectOk(await h.api('PATCH', `/api/customers/${local.id}`, { note: text })),
    remove: async () => {
      await h.emu.control('DELETE', `/shops/${SHOP}/customers/${c.id}`);
    },
  };
}
