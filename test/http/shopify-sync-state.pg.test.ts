import { describe, expect, it } from 'vitest';
import { takeUnrelayedChanges } from '../../src/db/changes.ts';
import { saveGrant } from '../../src/db/shopify-connections.ts';
import { recordDeadLetter } from '../../src/db/shopify-dead-letters.ts';
import { linkIds } from '../../src/db/shopify-id-map.ts';
import { upsertSyncBase } from '../../src/db/shopify-sync-base.ts';
import { syncAdapters } from '../../src/sync/continuous/adapters.ts';
import { expectError, useApiClient, type Json } from '../../test-support/api-client.ts';

const { t, call, postCreated } = useApiClient();

const GID = 'gid://shopify/Product/9007199254740993';

const stateOf = async (entity: string, id: string, as = t.a): Promise<Json> => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/shopify/sync-state/${entity}/${id}`,
    headers: t.bearer(as),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Json;
};

async function connect(tenantId: string, shop: string): Promise<void> {
  await saveGrant(t.db, {
    tenantId,
    shop,
    apiVersion: '2026-04',
    requestedScopes: ['write_products'],
    grantedScopes: ['write_products'],
    tokens: {
      accessTokenSealed: 'v1.test',
      refreshTokenSealed: null,
      accessExpiresAt: null,
      refreshExpiresAt: null,
    },
    state: 'syncing',
    now: t.clock.now(),
  });
}

/** Writes the product's current state as its last synced snapshot, linked to GID, as a push would. */
async function markSynced(productId: string): Promise<void> {
  const adapter = syncAdapters(t.deps).product;
  const local = await adapter.loadLocal(t.db, t.a.tenantId, productId, false);
  await linkIds(t.db, t.a.tenantId, 'product', [{ gid: GID, localId: productId }], t.clock.now());
  const snapshot = adapter.localSnapshot(local);
  await upsertSyncBase(
    t.db,
    t.a.tenantId,
    'product',
    [{ localId: productId, gid: GID, hash: 'h', snapshot, remoteUpdatedAt: null }],
    t.clock.now(),
  );
  await takeUnrelayedChanges(t.db, t.a.tenantId, t.clock.now());
}

describe('GET /api/shopify/sync-state/:entity/:id', () => {
  let productId: string;

  it('a product of a tenant with no store: not linked, never synced, nothing pending', async () => {
    const p = await postCreated('/products', { title: 'Sync state', variants: [{ price: '10.00' }] });
    productId = p['id'] as string;
    expect(await stateOf('product', productId)).toEqual({
      entity: 'product',
      local_id: productId,
      linked: null,
      connection_state: null,
      last_synced_at: null,
      push_pending: false,
      dead_letter: null,
      stock: { push_pending: false, dead_letter: null },
    });
  });

  it('once a store is connected, a product never synced is a pending push (Retailos creates it there)', async () => {
    await connect(t.a.tenantId, 'sync-state-a.myshopify.com');
    expect(await stateOf('product', productId)).toMatchObject({
      linked: null,
      connection_state: 'syncing',
      push_pending: true,
    });
  });

  it('synced: linked with its GID and the time of its last sync, nothing pending', async () => {
    t.clock.advance(1000);
    await markSynced(productId);
    expect(await stateOf('product', productId)).toMatchObject({
      linked: GID,
      last_synced_at: t.clock.now().toISOString(),
      push_pending: false,
      dead_letter: null,
    });
  });

  it('a local edit is pending until pushed, also once the outbox handed it to the push queue', async () => {
    const res = await call('PATCH', `/products/${productId}`, { title: 'Sync state, edited' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await stateOf('product', productId)).toMatchObject({ push_pending: true });
    await takeUnrelayedChanges(t.db, t.a.tenantId, t.clock.now());
    expect(await stateOf('product', productId)).toMatchObject({ push_pending: true });
    await markSynced(productId);
    expect(await stateOf('product', productId)).toMatchObject({ push_pending: false });
  });

  it('an open dead letter of the record is shown with its reason', async () => {
    const id = await recordDeadLetter(
      t.db,
      t.a.tenantId,
      {
        direction: 'outbound',
        entity: 'product',
        localId: productId,
        gid: GID,
        displayName: 'Sync state, edited',
        job: 'shopify.push',
        payload: {},
        errorClass: 'shopify_user_errors',
        error: 'Shopify refused the product: title is too long',
        attempts: 2,
      },
      t.clock.now(),
    );
    expect((await stateOf('product', productId))['dead_letter']).toEqual({
      id,
      last_error: 'Shopify refused the product: title is too long',
      attempts: 2,
      last_failed_at: t.clock.now().toISOString(),
    });
  });

  it("a product's stock: a level Shopify has not got is pending until its base holds it; its dead letter is shown", async () => {
    const location = await postCreated('/locations', { name: 'Warehouse' });
    const product = (await call('GET', `/products/${productId}`)).json() as { variants: { id: string }[] };
    const set = await call('POST', '/inventory/set', {
      variant_id: product.variants[0]?.id,
      location_id: location['id'],
      available: 7,
      reason: 'count',
    });
    expect(set.statusCode, set.body).toBe(200);
    const level = set.json() as { id: string; available: number; on_hand: number };
    // A location only Retailos has: its stock is never pushed, so nothing is pending.
    expect((await stateOf('product', productId))['stock']).toEqual({
      push_pending: false,
      dead_letter: null,
    });
    const locationGid = 'gid://shopify/Location/7';
    await linkIds(
      t.db,
      t.a.tenantId,
      'location',
      [{ gid: locationGid, localId: location['id'] as string }],
      t.clock.now(),
    );
    expect((await stateOf('product', productId))['stock']).toEqual({ push_pending: true, dead_letter: null });
    const counted = { available: level.available, onHand: level.on_hand };
    await upsertSyncBase(
      t.db,
      t.a.tenantId,
      'inventory_level',
      [
        {
          localId: level.id,
          gid: 'gid://shopify/InventoryLevel/1',
          hash: 'h',
          snapshot: counted,
          remoteUpdatedAt: null,
        },
      ],
      t.clock.now(),
    );
    expect((await stateOf('product', productId))['stock']).toEqual({
      push_pending: false,
      dead_letter: null,
    });
    const id = await recordDeadLetter(
      t.db,
      t.a.tenantId,
      {
        direction: 'outbound',
        entity: 'inventory_level',
        localId: level.id,
        gid: null,
        displayName: 'Stock',
        job: 'shopify.push',
        payload: {},
        errorClass: 'shopify_user_errors',
        error: 'Shopify refused the stock change: the item is not stocked there',
        attempts: 1,
      },
      t.clock.now(),
    );
    expect((await stateOf('product', productId))['stock']).toMatchObject({
      push_pending: false,
      dead_letter: { id, last_error: 'Shopify refused the stock change: the item is not stocked there' },
    });
  });

  it('an order born in Retailos is never pushed (Shopify creates orders), so nothing is pending', async () => {
    const o = await postCreated('/orders', {
      currency: 'EUR',
      line_items: [{ title: 'Thing', quantity: 1, unit_price: '5.00' }],
    });
    expect(await stateOf('order', o['id'] as string)).toMatchObject({
      linked: null,
      push_pending: false,
      stock: null,
    });
    const c = await postCreated('/customers', { first_name: 'Ada', email: 'ada@sync-state.example' });
    expect(await stateOf('customer', c['id'] as string)).toMatchObject({ linked: null, push_pending: true });
  });

  it("another tenant's record is not found, and the other tenant sees nothing of tenant A's sync", async () => {
    for (const entity of ['product', 'customer', 'order']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/shopify/sync-state/${entity}/${productId}`,
        headers: t.bearer(t.b),
      });
      expectError(res, 404, 'not_found');
    }
    await connect(t.b.tenantId, 'sync-state-b.myshopify.com');
    const bp = await t.app.inject({
      method: 'POST',
      url: '/api/products',
      headers: t.bearer(t.b),
      payload: { title: 'B product', variants: [{ price: '1.00' }] },
    });
    const bId = (bp.json() as Json)['id'] as string;
    expect(await stateOf('product', bId, t.b)).toMatchObject({ linked: null, dead_letter: null });
    expectError(await call('GET', `/shopify/sync-state/product/${bId}`), 404, 'not_found');
  });

  it('refuses an unknown entity, a malformed id and a record that does not exist', async () => {
    expectError(await call('GET', `/shopify/sync-state/location/${productId}`), 422, 'validation_failed');
    expectError(await call('GET', '/shopify/sync-state/product/not-a-uuid'), 422, 'validation_failed');
    expectError(
      await call('GET', '/shopify/sync-state/product/00000000-0000-4000-8000-000000000000'),
      404,
      'not_found',
    );
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/shopify/sync-state/product/${productId}` })).statusCode,
    ).toBe(401);
  });
});
