import { describe, expect, it } from 'vitest';
import { deletedFromWebhook, entityOfTopic, inventoryLevelFromWebhook } from './index.ts';

describe('entityOfTopic', () => {
  it.each([
    ['products/create', 'product', 'upsert'],
    ['products/update', 'product', 'upsert'],
    ['products/delete', 'product', 'delete'],
    ['customers/create', 'customer', 'upsert'],
    ['customers/update', 'customer', 'upsert'],
    ['customers/enable', 'customer', 'upsert'],
    ['customers/disable', 'customer', 'upsert'],
    ['customers/delete', 'customer', 'delete'],
    ['orders/create', 'order', 'upsert'],
    ['orders/updated', 'order', 'upsert'],
    ['orders/paid', 'order', 'upsert'],
    ['orders/cancelled', 'order', 'upsert'],
    ['orders/fulfilled', 'order', 'upsert'],
    ['orders/partially_fulfilled', 'order', 'upsert'],
    ['orders/delete', 'order', 'delete'],
    ['inventory_levels/connect', 'inventory_level', 'upsert'],
    ['inventory_levels/update', 'inventory_level', 'upsert'],
    ['inventory_levels/disconnect', 'inventory_level', 'delete'],
    ['inventory_items/create', 'inventory_item', 'upsert'],
    ['inventory_items/update', 'inventory_item', 'upsert'],
    ['inventory_items/delete', 'inventory_item', 'delete'],
    [' Orders/Updated ', 'order', 'upsert'],
  ])('%s → %s %s', (topic, entity, action) => {
    expect(entityOfTopic(topic)).toEqual({ entity, action });
  });

  it.each([
    'orders/update', // Shopify spells it "updated"
    'orders/edited', // the body is an order_edit, not an order
    'customers/merge',
    'customer.tags_added',
    'app/uninstalled',
    'bulk_operations/finish',
    'toString',
    '',
  ])('%j → undefined', (topic) => {
    expect(entityOfTopic(topic)).toBeUndefined();
  });
});

describe('deletedFromWebhook', () => {
  it.each([
    [{ id: 788032119 }, 'Product', 'gid://shopify/Product/788032119'],
    [{ id: '788032119674292922' }, 'Product', 'gid://shopify/Product/788032119674292922'],
    [{ id: 788032119674292922n }, 'Order', 'gid://shopify/Order/788032119674292922'],
    [
      { id: 706405506930370000, admin_graphql_api_id: 'gid://shopify/Customer/706405506930370084' },
      'Customer',
      'gid://shopify/Customer/706405506930370084',
    ],
  ] as const)('%o as a %s → %s', (body, type, gid) => {
    expect(deletedFromWebhook(body, type)).toEqual({ ok: true, value: { gid } });
  });

  it.each([
    [null, 'the deleted Order payload is not an object'],
    [{}, 'the Order has no id'],
    [{ id: 0 }, 'is not an id'],
    [{ id: -4 }, 'is not an id'],
    [{ id: 1.5 }, 'is not an id'],
    [{ id: '12a' }, 'is not an id'],
    [{ id: 788032119674292900 }, 'past 2^53'],
    [{ id: 1, admin_graphql_api_id: 'gid://shopify/Product/1' }, 'is not a gid://shopify/Order/<id>'],
  ])('refuses %j', (body, reason) => {
    const r = deletedFromWebhook(body, 'Order');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});

describe('inventoryLevelFromWebhook', () => {
  it('reads inventory_levels/update: ids, available and the offset timestamp', () => {
    const r = inventoryLevelFromWebhook({
      inventory_item_id: 271878346,
      location_id: 24826418,
      available: 7,
      updated_at: '2026-05-02T05:15:03-04:00',
      admin_graphql_api_id: 'gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        inventoryItemGid: 'gid://shopify/InventoryItem/271878346',
        locationGid: 'gid://shopify/Location/24826418',
        available: 7,
        updatedAt: new Date('2026-05-02T09:15:03Z'),
      },
    });
  });

  it.each([
    ['disconnect (ids only)', { inventory_item_id: 9, location_id: 4 }, { available: null, updatedAt: null }],
    ['available null', { inventory_item_id: 9, location_id: 4, available: null }, { available: null }],
    ['available 0', { inventory_item_id: 9, location_id: 4, available: 0 }, { available: 0 }],
    ['negative available', { inventory_item_id: 9, location_id: 4, available: -2 }, { available: -2 }],
    [
      'rounded numeric ids, exact in the level gid',
      {
        inventory_item_id: 271878346596884000,
        location_id: 24826418,
        admin_graphql_api_id: 'gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015',
      },
      { inventoryItemGid: 'gid://shopify/InventoryItem/271878346596884015' },
    ],
  ])('reads %s', (_, body, expected) => {
    const r = inventoryLevelFromWebhook(body);
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it.each([
    ['not an object', 'x', 'not an object'],
    ['{}', {}, 'the inventory level has no inventory_item_id'],
    ['no location', { inventory_item_id: 9 }, 'the inventory level has no location_id'],
    ['rounded ids and no gid', { inventory_item_id: 271878346596884000, location_id: 4 }, 'past 2^53'],
    [
      'a fractional available',
      { inventory_item_id: 9, location_id: 4, available: 1.5 },
      'not a whole number',
    ],
    [
      'a bad updated_at',
      { inventory_item_id: 9, location_id: 4, updated_at: 'now' },
      'updated_at is not a timestamp',
    ],
    [
      'a gid of another kind',
      { admin_graphql_api_id: 'gid://shopify/InventoryItem/9' },
      'not an InventoryLevel gid',
    ],
    [
      'ids that disagree with the gid',
      {
        inventory_item_id: 8,
        location_id: 4,
        admin_graphql_api_id: 'gid://shopify/InventoryLevel/4?inventory_item_id=9',
      },
      'disagrees with its gid',
    ],
  ])('refuses %s', (_, body, reason) => {
    const r = inventoryLevelFromWebhook(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
