import { describe, expect, it } from 'vitest';
import { addLocation, getLevel, gid, inventoryLevelGid, placeOrder } from '../store/index.ts';
import { NOT_IMPLEMENTED } from './errors.ts';
import { addCustomer, addTee, dataOf, fixture } from './test-support.ts';

describe('tagsAdd / tagsRemove', () => {
  const ADD =
    'mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Product { tags } ... on Customer { tags } ... on Order { tags } } userErrors { field message } } }';
  const REMOVE =
    'mutation($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { ... on Product { tags } } userErrors { field message } } }';

  it('merges and removes product tags', async () => {
    const f = fixture();
    const tee = addTee(f);
    const added = dataOf(await f.run(ADD, { id: gid('Product', tee.id), tags: ['b', 'a, c', 'b'] }));
    expect(added['tagsAdd']).toEqual({
      node: { id: gid('Product', tee.id), tags: ['a', 'b', 'c'] },
      userErrors: [],
    });
    const removed = dataOf(await f.run(REMOVE, { id: gid('Product', tee.id), tags: ['B'] }));
    expect(removed['tagsRemove']).toEqual({ node: { tags: ['a', 'c'] }, userErrors: [] });
  });

  it('tags customers and orders with their own scopes', async () => {
    const f = fixture();
    const c = addCustomer(f);
    const tee = addTee(f);
    const order = placeOrder(f.store, f.shop, {
      lines: [{ variantId: tee.variantIds[0] as number, quantity: 1 }],
    });
    expect(
      dataOf(await f.run(ADD, { id: gid('Customer', c.id), tags: ['vip'] }))['tagsAdd'].node.tags,
    ).toEqual(['vip']);
    expect(
      dataOf(await f.run(ADD, { id: gid('Order', order.id), tags: ['rush'] }))['tagsAdd'].node.tags,
    ).toEqual(['rush']);
    const denied = await f.run(
      ADD,
      { id: gid('Order', order.id), tags: ['x'] },
      { scopes: ['write_products'] },
    );
    expect(denied.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
  });

  it('answers a userError for a missing node and a named error for other types', async () => {
    const f = fixture();
    expect(dataOf(await f.run(ADD, { id: gid('Product', 5), tags: ['x'] }))['tagsAdd'].userErrors).toEqual([
      { field: ['id'], message: 'Node does not exist' },
    ]);
    const other = await f.run(ADD, { id: 'gid://shopify/Collection/1', tags: ['x'] });
    expect(other.errors?.[0]?.extensions?.['code']).toBe(NOT_IMPLEMENTED);
  });
});

describe('inventory items and activation', () => {
  it('updates sku, tracked and cost through inventoryItemUpdate', async () => {
    const f = fixture();
    const tee = addTee(f);
    const variant = f.shop.variants.get(tee.variantIds[0] as number)!;
    const data = dataOf(
      await f.run(
        'mutation($id: ID!) { inventoryItemUpdate(id: $id, input: {sku: "NEW-SKU", tracked: false, cost: "4.5"}) { inventoryItem { sku tracked unitCost { amount currencyCode } variant { sku } } userErrors { field message } } }',
        {
          id: gid('InventoryItem', variant.inventoryItemId),
        },
      ),
    );
    expect(data['inventoryItemUpdate']).toEqual({
      inventoryItem: {
        sku: 'NEW-SKU',
        tracked: false,
        unitCost: { amount: '4.50', currencyCode: 'USD' },
        variant: { sku: 'NEW-SKU' },
      },
      userErrors: [],
    });
  });

  it('activates an item at a second location and deactivates it, never the last one', async () => {
    const f = fixture();
    const tee = addTee(f);
    const itemId = f.shop.variants.get(tee.variantIds[0] as number)!.inventoryItemId;
    const second = addLocation(f.store, f.shop, 'Second');
    const activated = dataOf(
      await f.run(
        'mutation($i: ID!, $l: ID!) { inventoryActivate(inventoryItemId: $i, locationId: $l, available: 4) { inventoryLevel { id quantities(names: ["available"]) { quantity } } userErrors { field } } }',
        {
          i: gid('InventoryItem', itemId),
          l: gid('Location', second.id),
        },
      ),
    );
    expect(activated['inventoryActivate']).toEqual({
      inventoryLevel: { id: inventoryLevelGid(second.id, itemId), quantities: [{ quantity: 4 }] },
      userErrors: [],
    });
    const DEACTIVATE =
      'mutation($id: ID!) { inventoryDeactivate(inventoryLevelId: $id) { userErrors { field message } } }';
    expect(
      dataOf(await f.run(DEACTIVATE, { id: inventoryLevelGid(second.id, itemId) }))['inventoryDeactivate']
        .userErrors,
    ).toEqual([]);
    expect(() => getLevel(f.shop, itemId, second.id)).toThrow();
    const last = dataOf(await f.run(DEACTIVATE, { id: inventoryLevelGid(f.locationId, itemId) }));
    expect(last['inventoryDeactivate'].userErrors[0].message).toMatch(/minimum of 1 location/);
  });
});

describe('customerSet', () => {
  const SET =
    'mutation($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) { customerSet(identifier: $identifier, input: $input) { customer { id email firstName tags } userErrors { field message code } } }';

  it('creates when the email is new and updates when it is known', async () => {
    const f = fixture();
    const created = dataOf(
      await f.run(SET, {
        identifier: { email: 'new@example.com' },
        input: { email: 'new@example.com', firstName: 'Noa' },
      }),
    );
    expect(created['customerSet']).toMatchObject({
      customer: { email: 'new@example.com', firstName: 'Noa', tags: [] },
      userErrors: [],
    });
    const updated = dataOf(
      await f.run(SET, { identifier: { email: 'NEW@example.com' }, input: { tags: ['x'] } }),
    );
    expect(updated['customerSet'].customer).toMatchObject({
      id: created['customerSet'].customer.id,
      firstName: 'Noa',
      tags: ['x'],
    });
    expect(f.shop.customers.size).toBe(1);
  });

  it('answers typed userErrors', async () => {
    const f = fixture();
    addCustomer(f);
    const missing = dataOf(
      await f.run(SET, { identifier: { id: gid('Customer', 1) }, input: { note: 'x' } }),
    );
    expect(missing['customerSet'].userErrors).toEqual([
      { field: ['identifier', 'id'], message: 'Customer does not exist', code: 'NOT_FOUND' },
    ]);
    const taken = dataOf(await f.run(SET, { input: { email: 'ann@example.com' } }));
    expect(taken['customerSet'].userErrors).toEqual([
      { field: ['input', 'email'], message: 'Email has already been taken', code: 'TAKEN' },
    ]);
  });
});
