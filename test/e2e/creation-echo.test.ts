import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { applyInbox } from '../../src/sync/continuous/apply-inbox.ts';
import {
  duringShopifyCall as during,
  expectOk,
  mutationsOf,
  startSyncHarness,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

/**
 * A record created in Retailos is created on Shopify by its push, and Shopify's webhooks about it
 * (`customers/create`, `products/create`, the new variant's `inventory_levels/*`) may be applied before
 * the push has written its link: they are still recognised as our own record, never made a second
 * local one, and the new variant's stock deliveries are applied once its inventory item is linked.
 */
const SHOP = 'creation-echo.myshopify.com';

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, ['--seed', '41', '--products', '2', '--customers', '2', '--orders', '0']);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

/** Delivers the webhooks Shopify sent so far and applies them. */
async function deliverAndApply(): Promise<void> {
  await h.emu.control('POST', '/webhooks/drain');
  await applyInbox(h.t.deps, h.t.a.tenantId);
}

const applyWebhooksDuring = (operation: string) => during(operation, deliverAndApply);

async function openDeadLetters(): Promise<string[]> {
  const { rows } = await h.t.db.query<{ error: string }>(
    `select last_error as error from shopify_dead_letters where tenant_id = $1 and state = 'open'`,
    [h.t.a.tenantId],
  );
  return rows.map((r) => r.error);
}

async function unsettledDeliveries(): Promise<string[]> {
  const { rows } = await h.t.db.query<{ topic: string; state: string; last_error: string | null }>(
    `select topic, state, last_error from shopify_webhook_inbox
      where tenant_id = $1 and state in ('pending', 'failed') order by id`,
    [h.t.a.tenantId],
  );
  return rows.map((r) => `${r.topic} ${r.state}: ${r.last_error ?? ''}`);
}

const linkOf = async (entity: string, localId: string): Promise<string[]> =>
  (
    await h.t.db.query<{ gid: string }>(
      'select gid from shopify_links where tenant_id = $1 and entity = $2 and local_id = $3',
      [h.t.a.tenantId, entity, localId],
    )
  ).rows.map((r) => r.gid);

const history = async (localId: string) =>
  (await listHistory(h.t.db, h.t.a.tenantId, { localId }, 20)).map((e) => [e.direction, e.origin, e.action]);

describe('the echo of a record created in Retailos', () => {
  it('customers/create applied before the push links the customer is recognised: one customer on each side, linked', async () => {
    const email = 'echo.race@example.com';
    const created = await h.api<{ id: string }>('POST', '/api/customers', {
      email,
      first_name: 'Echo',
      last_name: 'Race',
    });
    expectOk(created, 201);
    const since = await h.lastCall();
    const race = applyWebhooksDuring('customerSet');
    try {
      await h.settle();
    } finally {
      race.restore();
    }
    expect(race.raced()).toBe(true);
    const remote = (
      await h.emu.control<{ customers: { gid: string; email: string | null }[] }>(
        'GET',
        `/shops/${SHOP}/customers?limit=250`,
      )
    ).customers.filter((c) => c.email === email);
    const locals = await h.api<{ items: { id: string }[] }>('GET', `/api/customers?email=${email}`);
    expect(remote).toHaveLength(1);
    expect(locals.body.items.map((c) => c.id)).toEqual([created.body.id]);
    expect(await linkOf('customer', created.body.id)).toEqual([remote[0]?.gid]);
    expect(mutationsOf(await h.calls(since))).toEqual(['customerSet']);
    expect(await history(created.body.id)).toEqual([['outbound', 'push', 'create']]);
    expect(await openDeadLetters()).toEqual([]);
    expect(await unsettledDeliveries()).toEqual([]);
  });

  it('products/create and the new stock levels applied before the push links the product: one product, linked, and stock from both sides counts', async () => {
    const created = await h.api<ApiProduct>('POST', '/api/products', {
      title: 'Raced in Retailos',
      variants: [{ sku: 'RACE-1', price: '4.00' }],
    });
    expectOk(created, 201);
    const variantId = created.body.variants[0]?.id as string;
    const locations = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
    const location = locations.body.items[0] as { id: string; name: string };
    expectOk(
      await h.api('POST', '/api/inventory/set', {
        variant_id: variantId,
        location_id: location.id,
        available: 10,
        reason: 'first delivery',
      }),
    );
    const race = applyWebhooksDuring('productSet');
    try {
      await h.settle();
    } finally {
      race.restore();
    }
    expect(race.raced()).toBe(true);
    const products = await h.api<{ items: ApiProduct[] }>('GET', '/api/products?sku=RACE-1');
    expect(products.body.items.map((p) => p.id)).toEqual([created.body.id]);
    const [productGid] = await linkOf('product', created.body.id);
    expect(productGid).toMatch(/^gid:\/\/shopify\/Product\//);
    expect(await linkOf('inventory_item', variantId)).toHaveLength(1);
    expect(await history(created.body.id)).toEqual([['outbound', 'push', 'create']]);

    // Stock moved on both sides after the creation: start 10, +3 on Shopify, −2 in Retailos.
    const shop = await h.emu.control<{ locations: { id: number; name: string }[] }>('GET', `/shops/${SHOP}`);
    const emuLocation = shop.locations.find((l) => l.name === location.name)?.id;
    await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, {
      sku: 'RACE-1',
      locationId: emuLocation,
      delta: 3,
    });
    expectOk(
      await h.api('POST', '/api/inventory/adjust', {
        variant_id: variantId,
        location_id: location.id,
        delta: -2,
        reason: 'sale',
      }),
    );
    await h.settle();
    const level = await h.api<{ items: { available: number }[] }>(
      'GET',
      `/api/inventory?sku=RACE-1&location_id=${location.id}`,
    );
    const remote = await h.emu.control<{
      products: { variants: { sku: string; inventory: { locationId: number; available: number }[] }[] }[];
    }>('GET', `/shops/${SHOP}/products?limit=250`);
    const remoteLevel = remote.products
      .flatMap((p) => p.variants)
      .find((v) => v.sku === 'RACE-1')
      ?.inventory.find((i) => i.locationId === emuLocation);
    expect([remoteLevel?.available, level.body.items[0]?.available]).toEqual([11, 11]);
    expect(await openDeadLetters()).toEqual([]);
    expect(await unsettledDeliveries()).toEqual([]);
  });
});

interface EmuStock {
  products: { variants: { sku: string; inventory: { locationId: number; available: number }[] }[] }[];
}

async function shopifyStock(sku: string): Promise<{ locationId: number; available: number }[]> {
  const remote = await h.emu.control<EmuStock>('GET', `/shops/${SHOP}/products?limit=250`);
  return remote.products.flatMap((p) => p.variants).find((v) => v.sku === sku)?.inventory ?? [];
}

let made = 0;

describe('whatever the order of the creating push and its webhooks', () => {
  it('a product created in Retailos ends as one linked product, its stock = start + every change on both sides', async () => {
    // Shopify stocks a new variant at its first location itself (at 0): the level both sides change.
    const shop = await h.emu.control<{ locations: { id: number; name: string }[] }>('GET', `/shops/${SHOP}`);
    const emuLocation = shop.locations[0] as { id: number; name: string };
    const locations = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/locations');
    const location = locations.body.items.find((l) => l.name === emuLocation.name) as { id: string };
    const adjustShopify = (sku: string, delta: number) =>
      h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, { sku, locationId: emuLocation.id, delta });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          start: fc.integer({ min: 0, max: 20 }),
          // When Shopify's webhooks about the new product are applied: while productSet answers (before
          // the link), while the new level's first stock push reads Shopify, or after everything.
          applyAt: fc.constantFrom('PushProduct', 'LevelForSync', 'after'),
          // A Retailos stock change made while productSet answers (null: none).
          localMidPush: fc.option(fc.integer({ min: -2, max: 5 }), { nil: null }),
          // A sale (or delivery) on Shopify while productSet answers, before anything is linked.
          shopifyMidPush: fc.option(fc.integer({ min: -2, max: 5 }), { nil: null }),
          shopifyLater: fc.integer({ min: -2, max: 5 }),
          localLater: fc.integer({ min: -2, max: 5 }),
        }),
        async ({ start, applyAt, localMidPush, shopifyMidPush, shopifyLater, localLater }) => {
          made += 1;
          const sku = `PROP-${made}`;
          const created = await h.api<ApiProduct>('POST', '/api/products', {
            title: `Property ${made}`,
            variants: [{ sku, price: '1.00' }],
          });
          expectOk(created, 201);
          const variantId = created.body.variants[0]?.id as string;
          const adjustLocal = async (delta: number) =>
            expectOk(
              await h.api('POST', '/api/inventory/adjust', {
                variant_id: variantId,
                location_id: location.id,
                delta,
                reason: 'sale',
              }),
            );
          expectOk(
            await h.api('POST', '/api/inventory/set', {
              variant_id: variantId,
              location_id: location.id,
              available: start + 10,
              reason: 'first delivery',
            }),
          );
          const races = [
            during('PushProduct', async () => {
              if (shopifyMidPush !== null) await adjustShopify(sku, shopifyMidPush);
              if (localMidPush !== null) await adjustLocal(localMidPush);
              if (applyAt === 'PushProduct') await deliverAndApply();
            }),
            ...(applyAt === 'LevelForSync' ? [applyWebhooksDuring('LevelForSync')] : []),
          ];
          try {
            await h.settle();
          } finally {
            for (const r of races.reverse()) r.restore();
          }
          expect(races.map((r) => r.raced())).toEqual(races.map(() => true));
          await adjustShopify(sku, shopifyLater);
          await adjustLocal(localLater);
          await h.settle();

          const locals = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${sku}`);
          expect(locals.body.items.map((p) => p.id)).toEqual([created.body.id]);
          expect(await linkOf('product', created.body.id)).toHaveLength(1);
          expect(await linkOf('inventory_item', variantId)).toHaveLength(1);
          const expected =
            start + 10 + (localMidPush ?? 0) + (shopifyMidPush ?? 0) + shopifyLater + localLater;
          const level = await h.api<{ items: { available: number }[] }>(
            'GET',
            `/api/inventory?sku=${sku}&location_id=${location.id}`,
          );
          const remote = (await shopifyStock(sku)).find((i) => i.locationId === emuLocation.id);
          expect([remote?.available, level.body.items[0]?.available]).toEqual([expected, expected]);
          expect(await openDeadLetters()).toEqual([]);
          expect(await unsettledDeliveries()).toEqual([]);
        },
      ),
      { numRuns: 8, seed: 16, endOnFailure: true },
    );
  });

  it('a customer created in Retailos ends as one linked customer on each side, with the latest Retailos edit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          applyMidPush: fc.boolean(),
          // A Retailos edit made while customerSet answers (the create then links and merges it).
          editMidPush: fc.boolean(),
          // A customer with no email (created on Shopify by no key).
          withEmail: fc.boolean(),
        }),
        async ({ applyMidPush, editMidPush, withEmail }) => {
          made += 1;
          const email = `prop.${made}@example.com`;
          const lastName = `N${made}`;
          const created = await h.api<{ id: string }>('POST', '/api/customers', {
            ...(withEmail ? { email } : {}),
            first_name: 'Prop',
            last_name: lastName,
          });
          expectOk(created, 201);
          const race = during('customerSet', async () => {
            if (editMidPush)
              expectOk(
                await h.api('PATCH', `/api/customers/${created.body.id}`, { note: 'edited meanwhile' }),
              );
            if (applyMidPush) await deliverAndApply();
          });
          try {
            await h.settle();
          } finally {
            race.restore();
          }
          expect(race.raced()).toBe(true);
          const remote = (
            await h.emu.control<{
              customers: { gid: string; lastName: string | null; note: string | null }[];
            }>('GET', `/shops/${SHOP}/customers?limit=250`)
          ).customers.filter((c) => c.lastName === lastName);
          const { rows: locals } = await h.t.db.query<{ id: string; note: string }>(
            'select id, note from customers where tenant_id = $1 and last_name = $2',
            [h.t.a.tenantId, lastName],
          );
          expect(remote).toHaveLength(1);
          expect(locals.map((c) => c.id)).toEqual([created.body.id]);
          expect(await linkOf('customer', created.body.id)).toEqual([remote[0]?.gid]);
          const note = editMidPush ? 'edited meanwhile' : '';
          expect([remote[0]?.note ?? '', locals[0]?.note]).toEqual([note, note]);
          expect(await openDeadLetters()).toEqual([]);
          expect(await unsettledDeliveries()).toEqual([]);
        },
      ),
      { numRuns: 10, seed: 16, endOnFailure: true },
    );
  });
});

describe('a customer with no email (created on Shopify by no key)', () => {
  it('new on Shopify while one created in Retailos is unlinked: it waits for that push, then is created after 2 minutes', async () => {
    // Created in Retailos; its push has not run (the queues are not drained).
    const ours = await h.api<{ id: string }>('POST', '/api/customers', {
      first_name: 'Keyless',
      last_name: 'Ours',
    });
    expectOk(ours, 201);
    // A different email-less customer created on Shopify meanwhile.
    await h.emu.control('POST', `/shops/${SHOP}/customers`, { firstName: 'Keyless', lastName: 'Theirs' });
    await h.emu.control('POST', '/webhooks/drain');
    const locals = async () =>
      (
        await h.t.db.query<{ last_name: string }>(
          `select last_name from customers where tenant_id = $1 and first_name = 'Keyless' order by last_name`,
          [h.t.a.tenantId],
        )
      ).rows.map((r) => r.last_name);
    expect(await applyInbox(h.t.deps, h.t.a.tenantId)).toMatchObject({ waiting: 1, applied: 0 });
    expect(await locals()).toEqual(['Ours']);
    h.t.clock.advance(2 * 60_000 + 1);
    expect(await applyInbox(h.t.deps, h.t.a.tenantId)).toMatchObject({ waiting: 0, applied: 1 });
    expect(await locals()).toEqual(['Ours', 'Theirs']);
    await h.settle();
    const remote = (
      await h.emu.control<{
        customers: { gid: string; firstName: string | null; lastName: string | null }[];
      }>('GET', `/shops/${SHOP}/customers?limit=250`)
    ).customers.filter((c) => c.firstName === 'Keyless');
    expect(remote.map((c) => c.lastName).sort()).toEqual(['Ours', 'Theirs']);
    expect(await linkOf('customer', ours.body.id)).toEqual([remote.find((c) => c.lastName === 'Ours')?.gid]);
    expect(await locals()).toEqual(['Ours', 'Theirs']);
    expect(await openDeadLetters()).toEqual([]);
    expect(await unsettledDeliveries()).toEqual([]);
  });
});
