import { describe, expect, it } from 'vitest';
import { cancelOrder, deleteProduct, gid, placeOrder } from '../store/index.ts';
import { addCustomer, addTee, dataOf, fixture } from './test-support.ts';

const DAY_MS = 86_400_000;

describe('reading records', () => {
  it('reads a product with variants, inventory levels and named quantities', async () => {
    const f = fixture();
    const tee = addTee(f, 'Tee', 7);
    const variantId = tee.variantIds[0] as number;
    placeOrder(f.store, f.shop, { lines: [{ variantId, quantity: 2 }] });
    const data = dataOf(
      await f.run(
        `query($id: ID!) { product(id: $id) {
      id legacyResourceId title handle status tags totalInventory variantsCount { count }
      options { name values }
      variants(first: 5) { nodes { sku price compareAtPrice selectedOptions { name value } inventoryQuantity
        inventoryItem { sku tracked inventoryLevels(first: 5) { nodes { id location { id }
          quantities(names: ["available", "committed", "on_hand", "incoming"]) { name quantity } } } } } }
    } }`,
        { id: gid('Product', tee.id) },
      ),
    );
    const product = data['product'];
    expect(product).toMatchObject({
      title: 'Tee',
      handle: 'tee',
      status: 'ACTIVE',
      legacyResourceId: String(tee.id),
      totalInventory: 12,
      variantsCount: { count: 2 },
    });
    expect(product.options).toEqual([{ name: 'Size', values: ['S', 'M'] }]);
    const first = product.variants.nodes[0];
    expect(first).toMatchObject({
      sku: 'TEE-S',
      price: '19.99',
      compareAtPrice: null,
      inventoryQuantity: 5,
      selectedOptions: [{ name: 'Size', value: 'S' }],
    });
    const level = first.inventoryItem.inventoryLevels.nodes[0];
    expect(level.id).toBe(
      `gid://shopify/InventoryLevel/${f.locationId}?inventory_item_id=${f.shop.variants.get(variantId)?.inventoryItemId}`,
    );
    expect(level.quantities).toEqual([
      { name: 'available', quantity: 5 },
      { name: 'committed', quantity: 2 },
      { name: 'on_hand', quantity: 7 },
      { name: 'incoming', quantity: 0 },
    ]);
  });

  it('reads orders with money bags, line items and customer', async () => {
    const f = fixture();
    const tee = addTee(f);
    const customer = addCustomer(f);
    placeOrder(f.store, f.shop, {
      customerId: customer.id,
      lines: [{ variantId: tee.variantIds[0] as number, quantity: 2 }],
      taxRate: 0.1,
      presentmentCurrency: 'EUR',
      exchangeRate: 0.9,
    });
    const data = dataOf(
      await f.run(`{ orders(first: 1) { nodes { name email currencyCode presentmentCurrencyCode displayFinancialStatus displayFulfillmentStatus
      subtotalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
      totalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
      lineItems(first: 5) { nodes { sku title quantity originalUnitPriceSet { shopMoney { amount } } } }
      customer { email numberOfOrders amountSpent { amount currencyCode } canDelete } } } }`),
    );
    expect(data['orders'].nodes[0]).toEqual({
      name: '#1001',
      email: 'ann@example.com',
      currencyCode: 'USD',
      presentmentCurrencyCode: 'EUR',
      displayFinancialStatus: 'PAID',
      displayFulfillmentStatus: 'UNFULFILLED',
      subtotalPriceSet: {
        shopMoney: { amount: '39.98', currencyCode: 'USD' },
        presentmentMoney: { amount: '35.98', currencyCode: 'EUR' },
      },
      totalPriceSet: { shopMoney: { amount: '43.98' } },
      totalTaxSet: { shopMoney: { amount: '4.00' } },
      lineItems: {
        nodes: [
          {
            sku: 'TEE-S',
            title: 'Tee',
            quantity: 2,
            originalUnitPriceSet: { shopMoney: { amount: '19.99' } },
          },
        ],
      },
      customer: {
        email: 'ann@example.com',
        numberOfOrders: '1',
        amountSpent: { amount: '43.98', currencyCode: 'USD' },
        canDelete: false,
      },
    });
  });

  it("lists a customer's orders (the schema's default sortKey ID is filled in), newest last", async () => {
    const f = fixture();
    const tee = addTee(f);
    const customer = addCustomer(f);
    const lines = [{ variantId: tee.variantIds[0] as number, quantity: 1 }];
    placeOrder(f.store, f.shop, { customerId: customer.id, lines });
    placeOrder(f.store, f.shop, { customerId: customer.id, lines });
    const data = dataOf(
      await f.run(`query($id: ID!) { customer(id: $id) { orders(last: 1) { nodes { name } } } }`, {
        id: gid('Customer', customer.id),
      }),
    );
    expect(data['customer'].orders.nodes).toEqual([{ name: '#1002' }]);
    const other = await f.run(
      `query($id: ID!) { customer(id: $id) { orders(first: 1, sortKey: TOTAL_PRICE) { nodes { name } } } }`,
      {
        id: gid('Customer', customer.id),
      },
    );
    expect(JSON.stringify(other)).toContain('NOT_IMPLEMENTED_IN_EMULATOR');
  });

  it('resolves node and nodes across types, null for a missing id', async () => {
    const f = fixture();
    const tee = addTee(f);
    const customer = addCustomer(f);
    const data = dataOf(
      await f.run(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
        ids: [
          gid('Product', tee.id),
          gid('Customer', customer.id),
          gid('Location', f.locationId),
          gid('Product', 999),
        ],
      }),
    );
    expect(data['nodes']).toEqual([
      { __typename: 'Product', id: gid('Product', tee.id) },
      { __typename: 'Customer', id: gid('Customer', customer.id) },
      { __typename: 'Location', id: gid('Location', f.locationId) },
      null,
    ]);
  });

  it('finds a product by identifier: its handle or its id; null for a handle no product has', async () => {
    const f = fixture();
    const tee = addTee(f, 'Tee', 7);
    const query = `query($identifier: ProductIdentifierInput!) { productByIdentifier(identifier: $identifier) {
      id handle variants(first: 5) { nodes { id } } } }`;
    const byHandle = dataOf(await f.run(query, { identifier: { handle: 'tee' } }))['productByIdentifier'];
    expect(byHandle).toMatchObject({ id: gid('Product', tee.id), handle: 'tee' });
    expect(byHandle.variants.nodes.map((v: { id: string }) => v.id)).toEqual(
      tee.variantIds.map((id) => gid('ProductVariant', id)),
    );
    const byId = dataOf(await f.run(query, { identifier: { id: gid('Product', tee.id) } }));
    expect(byId['productByIdentifier']).toMatchObject({ handle: 'tee' });
    const none = dataOf(await f.run(query, { identifier: { handle: 'no-such-product' } }));
    expect(none['productByIdentifier']).toBeNull();
  });

  it('rejects an id that is not a global id', async () => {
    const body = await fixture().run('{ product(id: "123") { id } }');
    expect(body.errors?.[0]).toMatchObject({ message: "Invalid global id '123'", path: ['product'] });
  });

  it('returns the primary location when location has no id', async () => {
    const f = fixture();
    const data = dataOf(
      await f.run('{ location { id name isActive } locations(first: 5) { nodes { name } } }'),
    );
    expect(data['location']).toEqual({
      id: gid('Location', f.locationId),
      name: 'Shop location',
      isActive: true,
    });
  });

  it('lists deletion events for deleted products', async () => {
    const f = fixture();
    const tee = addTee(f);
    f.clock.advance(3000);
    deleteProduct(f.store, f.shop, tee.id);
    const data = dataOf(
      await f.run(
        '{ deletionEvents(first: 5, subjectTypes: [PRODUCT]) { nodes { subjectId subjectType occurredAt } } product(id: "' +
          gid('Product', tee.id) +
          '") { id } }',
      ),
    );
    expect(data['deletionEvents'].nodes).toEqual([
      { subjectId: gid('Product', tee.id), subjectType: 'PRODUCT', occurredAt: '2026-05-01T12:00:03Z' },
    ]);
    expect(data['product']).toBeNull();
  });

  it('reads the shop', async () => {
    const data = dataOf(
      await fixture().run('{ shop { name myshopifyDomain currencyCode plan { displayName shopifyPlus } } }'),
    );
    expect(data['shop']).toEqual({
      name: 'test-shop',
      myshopifyDomain: 'test-shop.myshopify.com',
      currencyCode: 'USD',
      plan: { displayName: 'Basic', shopifyPlus: false },
    });
  });
});

describe('access scopes', () => {
  it.each([
    ['{ products(first: 1) { nodes { id } } }', ['read_orders'], 'read_products'],
    ['{ customers(first: 1) { nodes { id } } }', ['read_products'], 'read_customers'],
    ['{ orders(first: 1) { nodes { id } } }', ['read_products'], 'read_orders'],
    ['{ inventoryItems(first: 1) { nodes { id } } }', ['read_customers'], 'read_inventory'],
  ])('%s without the scope is denied', async (query, scopes, needed) => {
    const body = await fixture().run(query, {}, { scopes });
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringContaining(`\`${needed}\``),
      extensions: { code: 'ACCESS_DENIED' },
    });
  });

  it('accepts a write scope as implying read', async () => {
    const body = await fixture().run(
      '{ products(first: 1) { nodes { id } } }',
      {},
      { scopes: ['write_products'] },
    );
    expect(body.errors).toBeUndefined();
  });

  it('denies a mutation without its write scope', async () => {
    const body = await fixture().run(
      'mutation { productCreate(product: {title: "x"}) { userErrors { message } } }',
      {},
      { scopes: ['read_products'] },
    );
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'ACCESS_DENIED' },
      path: ['productCreate'],
    });
  });
});

describe('60-day order window', () => {
  it('hides orders older than 60 days without read_all_orders', async () => {
    const f = fixture();
    const tee = addTee(f);
    const variantId = tee.variantIds[0] as number;
    const old = placeOrder(f.store, f.shop, { lines: [{ variantId, quantity: 1 }] });
    f.clock.advance(61 * DAY_MS);
    const recent = placeOrder(f.store, f.shop, { lines: [{ variantId, quantity: 1 }] });
    cancelOrder(f.store, f.shop, recent.id, { reason: 'OTHER' });
    const query = `{ orders(first: 5) { nodes { name cancelledAt cancelReason } } ordersCount { count } old: order(id: "${gid('Order', old.id)}") { name } }`;
    const limited = dataOf(await f.run(query, {}, { scopes: ['read_orders'] }));
    expect(limited['orders'].nodes).toEqual([
      { name: '#1002', cancelledAt: '2026-07-01T12:00:00Z', cancelReason: 'OTHER' },
    ]);
    expect(limited['ordersCount'].count).toBe(1);
    expect(limited['old']).toBeNull();
    const all = dataOf(await f.run(query, {}, { scopes: ['read_orders', 'read_all_orders'] }));
    expect(all['orders'].nodes.map((o: { name: string }) => o.name)).toEqual(['#1001', '#1002']);
    expect(all['old']).toEqual({ name: '#1001' });
  });
});
