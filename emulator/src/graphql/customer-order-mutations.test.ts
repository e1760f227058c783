import { describe, expect, it } from 'vitest';
import { getLevel, gid, placeOrder, subscribe, type ChangeEvent } from '../store/index.ts';
import { addCustomer, addTee, dataOf, fixture } from './test-support.ts';

describe('customer mutations', () => {
  const CREATE = `mutation($input: CustomerInput!) { customerCreate(input: $input) {
    customer { email firstName tags defaultAddress { city countryCodeV2 } addressesV2(first: 5) { nodes { address1 } } } userErrors { field message } } }`;

  it('creates a customer with addresses', async () => {
    const data = dataOf(
      await fixture().run(CREATE, {
        input: {
          email: 'zoe@example.com',
          firstName: 'Zoë',
          tags: ['vip'],
          addresses: [{ address1: '1 Rue de Rivoli', city: 'Paris', countryCode: 'FR' }],
        },
      }),
    );
    expect(data['customerCreate']).toEqual({
      customer: {
        email: 'zoe@example.com',
        firstName: 'Zoë',
        tags: ['vip'],
        defaultAddress: { city: 'Paris', countryCodeV2: 'FR' },
        addressesV2: { nodes: [{ address1: '1 Rue de Rivoli' }] },
      },
      userErrors: [],
    });
  });

  it.each([
    [{ email: 'not-an-email' }, [{ field: ['email'], message: 'Email is invalid' }]],
    [{ email: 'ann@example.com' }, [{ field: ['email'], message: 'Email has already been taken' }]],
    [
      { note: 'only a note' },
      [{ field: null, message: 'A name, phone number, or email address must be present' }],
    ],
  ])('refuses %j', async (input, userErrors) => {
    const f = fixture();
    addCustomer(f);
    const data = dataOf(await f.run(CREATE, { input }));
    expect(data['customerCreate']).toEqual({ customer: null, userErrors });
    expect(f.shop.customers.size).toBe(1);
  });

  it('updates a customer and emits customer/update', async () => {
    const f = fixture();
    const c = addCustomer(f);
    const events: ChangeEvent[] = [];
    subscribe(f.store, (e) => events.push(e));
    const data = dataOf(
      await f.run(
        `mutation($input: CustomerInput!) { customerUpdate(input: $input) { customer { note tags lastName } userErrors { field } } }`,
        {
          input: { id: gid('Customer', c.id), note: 'hi', tags: ['a'] },
        },
      ),
    );
    expect(data['customerUpdate']).toEqual({
      customer: { note: 'hi', tags: ['a'], lastName: 'Lee' },
      userErrors: [],
    });
    expect(events).toEqual([
      expect.objectContaining({ kind: 'customer', action: 'update', appKey: 'app-1' }),
    ]);
  });

  it('deletes a customer without orders and refuses one with orders', async () => {
    const f = fixture();
    const tee = addTee(f);
    const buyer = addCustomer(f);
    const browser = addCustomer(f, 'browser@example.com');
    placeOrder(f.store, f.shop, {
      customerId: buyer.id,
      lines: [{ variantId: tee.variantIds[0] as number, quantity: 1 }],
    });
    const query = `mutation($id: ID!) { customerDelete(input: {id: $id}) { deletedCustomerId userErrors { field message } } }`;
    const refused = dataOf(await f.run(query, { id: gid('Customer', buyer.id) }));
    expect(refused['customerDelete']).toEqual({
      deletedCustomerId: null,
      userErrors: [
        { field: ['id'], message: 'Customer can’t be deleted because they have associated orders' },
      ],
    });
    const done = dataOf(await f.run(query, { id: gid('Customer', browser.id) }));
    expect(done['customerDelete']).toEqual({
      deletedCustomerId: gid('Customer', browser.id),
      userErrors: [],
    });
  });
});

describe('order mutations', () => {
  function withOrder() {
    const f = fixture();
    const tee = addTee(f, 'Tee', 10);
    const variantId = tee.variantIds[0] as number;
    const order = placeOrder(f.store, f.shop, { lines: [{ variantId, quantity: 3 }], email: 'a@b.co' });
    const level = () => getLevel(f.shop, f.shop.variants.get(variantId)!.inventoryItemId, f.locationId);
    return { f, order, level };
  }

  it('updates only OrderInput fields', async () => {
    const { f, order } = withOrder();
    f.clock.advance(1000);
    const data = dataOf(
      await f.run(
        `mutation($input: OrderInput!) { orderUpdate(input: $input) { order { note tags email updatedAt } userErrors { field message } } }`,
        {
          input: { id: gid('Order', order.id), note: 'Leave at door', tags: ['gift'], email: 'new@b.co' },
        },
      ),
    );
    expect(data['orderUpdate']).toEqual({
      order: { note: 'Leave at door', tags: ['gift'], email: 'new@b.co', updatedAt: '2026-05-01T12:00:01Z' },
      userErrors: [],
    });
  });

  it('rejects line items in OrderInput at validation', async () => {
    const { f, order } = withOrder();
    const body = await f.run(
      `mutation { orderUpdate(input: {id: "${gid('Order', order.id)}", lineItems: []}) { userErrors { message } } }`,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('argumentLiteralsIncompatible');
  });

  it('cancels with restock and refuses a second cancel', async () => {
    const { f, order, level } = withOrder();
    expect(level().quantities).toMatchObject({ available: 7, committed: 3 });
    const query = `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, refund: true) { job { done } orderCancelUserErrors { field code } } }`;
    const data = dataOf(await f.run(query, { id: gid('Order', order.id) }));
    expect(data['orderCancel']).toEqual({ job: { done: true }, orderCancelUserErrors: [] });
    expect(level().quantities).toMatchObject({ available: 10, committed: 0 });
    const read = dataOf(
      await f.run(
        `{ order(id: "${gid('Order', order.id)}") { cancelReason displayFinancialStatus closed } }`,
      ),
    );
    expect(read['order']).toEqual({
      cancelReason: 'CUSTOMER',
      displayFinancialStatus: 'REFUNDED',
      closed: true,
    });
    const again = dataOf(await f.run(query, { id: gid('Order', order.id) }));
    expect(again['orderCancel'].orderCancelUserErrors).toEqual([{ field: ['orderId'], code: 'INVALID' }]);
  });
});

describe('webhook subscriptions', () => {
  const CREATE = `mutation($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id topic uri format includeFields apiVersion { handle } endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } } userErrors { field message } } }`;

  it('creates, lists (per app), updates and deletes a subscription', async () => {
    const f = fixture();
    const created = dataOf(
      await f.run(CREATE, {
        topic: 'PRODUCTS_UPDATE',
        sub: { uri: 'https://hooks.example.com/a', includeFields: ['id', 'updated_at'] },
      }),
    );
    const sub = created['webhookSubscriptionCreate'].webhookSubscription;
    expect(sub).toMatchObject({
      topic: 'PRODUCTS_UPDATE',
      uri: 'https://hooks.example.com/a',
      format: 'JSON',
      includeFields: ['id', 'updated_at'],
      apiVersion: { handle: '2026-04' },
      endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: 'https://hooks.example.com/a' },
    });
    expect([...f.shop.webhookSubscriptions.values()][0]).toMatchObject({
      appKey: 'app-1',
      topic: 'PRODUCTS_UPDATE',
      apiVersion: '2026-04',
    });
    const LIST = '{ webhookSubscriptions(first: 10) { nodes { id uri } } }';
    expect(dataOf(await f.run(LIST))['webhookSubscriptions'].nodes).toHaveLength(1);
    expect(dataOf(await f.run(LIST, {}, { appKey: 'other-app' }))['webhookSubscriptions'].nodes).toHaveLength(
      0,
    );
    const updated = dataOf(
      await f.run(
        `mutation($id: ID!) { webhookSubscriptionUpdate(id: $id, webhookSubscription: {uri: "https://hooks.example.com/b"}) { webhookSubscription { uri } userErrors { message } } }`,
        { id: sub.id },
      ),
    );
    expect(updated['webhookSubscriptionUpdate']).toEqual({
      webhookSubscription: { uri: 'https://hooks.example.com/b' },
      userErrors: [],
    });
    const deleted = dataOf(
      await f.run(
        `mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { message } } }`,
        { id: sub.id },
      ),
    );
    expect(deleted['webhookSubscriptionDelete']).toEqual({
      deletedWebhookSubscriptionId: sub.id,
      userErrors: [],
    });
    expect(f.shop.webhookSubscriptions.size).toBe(0);
  });

  it.each([
    ['ftp://x', 'Address is invalid'],
    ['http://example.com/hook', 'Address is invalid'],
  ])('refuses address %s', async (uri, message) => {
    const data = dataOf(await fixture().run(CREATE, { topic: 'ORDERS_CREATE', sub: { uri } }));
    expect(data['webhookSubscriptionCreate']).toEqual({
      webhookSubscription: null,
      userErrors: [{ field: ['webhookSubscription', 'uri'], message }],
    });
  });

  it('refuses a duplicate address for the same topic', async () => {
    const f = fixture();
    const vars = { topic: 'ORDERS_CREATE', sub: { uri: 'http://localhost:3000/hooks' } };
    expect(dataOf(await f.run(CREATE, vars))['webhookSubscriptionCreate'].userErrors).toEqual([]);
    expect(dataOf(await f.run(CREATE, vars))['webhookSubscriptionCreate'].userErrors).toEqual([
      { field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' },
    ]);
  });

  it('needs the read scope of the topic', async () => {
    const body = await fixture().run(
      CREATE,
      { topic: 'ORDERS_CREATE', sub: { uri: 'https://h.example.com' } },
      { scopes: ['read_products'] },
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_DENIED');
  });
});
