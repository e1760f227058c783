import { describe, expect, it } from 'vitest';
import {
  adjustQuantity,
  cancelOrder,
  connectLevel,
  createCustomer,
  createProduct,
  deleteCustomer,
  deleteOrder,
  deleteProduct,
  fulfillOrder,
  disconnectLevel,
  placeOrder,
  refundOrder,
  updateCustomer,
  updateInventoryItem,
  updateProduct,
} from '../src/store/index.ts';
import {
  customersRedactPayload,
  dataRequestPayload,
  shopPayload,
  shopRedactPayload,
} from '../src/webhooks/payloads/shop.ts';
import { TOPICS } from '../src/webhooks/topics.ts';
import { captureSender } from './support/capture-sender.ts';
import { validatePayload } from './support/schema-validator.ts';
import { APP_KEY, webhookWorld } from './support/webhook-world.ts';

const VERSIONS = ['2025-10', '2026-01', '2026-04', '2026-07', '2026-10'];

/** Runs every merchant action once, with every topic subscribed in `version`. */
async function allTopicDeliveries(version: string) {
  const { sender, requests } = captureSender();
  const w = webhookWorld(sender);
  for (const topic of TOPICS) w.subscribeTopic(topic, version);
  const [main, back] = [...w.shop.locations.keys()] as [number, number];
  const product = createProduct(w.store, w.shop, {
    title: 'Tee & "Co" / 1',
    tags: ['summer', 'cotton'],
    options: [{ name: 'Size', values: ['S', 'M'] }],
    variants: [
      {
        price: '19.00',
        sku: 'TEE-S',
        selectedOptions: [{ name: 'Size', value: 'S' }],
        stock: [{ locationId: main, available: 5 }],
      },
      {
        price: '21.00',
        sku: 'TEE-M',
        selectedOptions: [{ name: 'Size', value: 'M' }],
        stock: [{ locationId: main, available: 2 }],
      },
    ],
  });
  await w.webhooks.drain();
  const variantId = product.variantIds[0] as number;
  const itemId = w.shop.variants.get(variantId)?.inventoryItemId as number;
  updateProduct(w.store, w.shop, product.id, { title: 'Tee v2' });
  updateInventoryItem(w.store, w.shop, itemId, { unitCost: '4.50' });
  adjustQuantity(w.store, w.shop, { itemId, locationId: main, name: 'available', delta: 3 });
  connectLevel(w.store, w.shop, itemId, back);
  disconnectLevel(w.store, w.shop, itemId, back);
  const customer = createCustomer(w.store, w.shop, {
    email: 'ann@example.com',
    firstName: 'Ann',
    lastName: 'Lee',
    addresses: [{ address1: '1 Main St', city: 'Ottawa', country: 'Canada', countryCode: 'CA' }],
  });
  updateCustomer(w.store, w.shop, customer.id, { note: 'VIP' });
  const bare = createCustomer(w.store, w.shop, {});
  deleteCustomer(w.store, w.shop, bare.id);
  const order = placeOrder(w.store, w.shop, {
    customerId: customer.id,
    lines: [{ variantId, quantity: 2 }],
    note: 'gift',
    shippingAddress: {
      firstName: 'Ann',
      lastName: 'Lee',
      company: null,
      address1: '1 Main St',
      address2: null,
      city: 'Ottawa',
      province: 'Ontario',
      provinceCode: 'ON',
      country: 'Canada',
      countryCode: 'CA',
      zip: 'K2P 2L8',
      phone: '555-0100',
    },
  });
  refundOrder(w.store, w.shop, order.id, {
    lines: [{ lineItemId: order.lineItems[0]?.id as number, quantity: 1, restock: true }],
  });
  cancelOrder(w.store, w.shop, order.id, { reason: 'CUSTOMER' });
  const second = placeOrder(w.store, w.shop, { lines: [{ variantId, quantity: 1 }] });
  fulfillOrder(w.store, w.shop, second.id);
  await w.webhooks.drain();
  deleteOrder(w.store, w.shop, second.id);
  deleteProduct(w.store, w.shop, product.id);
  await w.webhooks.drain();
  w.webhooks.publish(w.shop.domain, 'app/uninstalled', shopPayload(w.shop), { appKey: APP_KEY });
  w.webhooks.publish(w.shop.domain, 'shop/redact', shopRedactPayload(w.shop));
  const privacy = { id: customer.id, email: customer.email, phone: customer.phone };
  w.webhooks.publish(
    w.shop.domain,
    'customers/data_request',
    dataRequestPayload(w.shop, privacy, [order.id], 1),
  );
  w.webhooks.publish(w.shop.domain, 'customers/redact', customersRedactPayload(w.shop, privacy, [order.id]));
  w.webhooks.publish(w.shop.domain, 'bulk_operations/finish', {
    admin_graphql_api_id: 'gid://shopify/BulkOperation/1',
    completed_at: '2026-05-01T12:00:00+00:00',
    created_at: '2026-05-01T11:59:00+00:00',
    error_code: null,
    status: 'completed',
    type: 'query',
  });
  await w.webhooks.drain();
  expect(w.errors).toEqual([]);
  return requests;
}

describe('webhook payloads', () => {
  for (const version of VERSIONS) {
    it(`every topic's payload validates against shopify-webhook-schemas (${version})`, async () => {
      const requests = await allTopicDeliveries(version);
      const topics = new Set(requests.map((r) => r.headers['X-Shopify-Topic']));
      expect([...topics].sort()).toEqual([...TOPICS].sort());
      for (const req of requests) {
        const topic = req.headers['X-Shopify-Topic'] as string;
        expect(req.headers['X-Shopify-API-Version']).toBe(version);
        const error = validatePayload(version, topic, JSON.parse(req.body));
        expect(error, `${topic}: ${error}`).toBeNull();
      }
    });
  }

  it('fills the payload from the store, REST-shaped', async () => {
    const requests = await allTopicDeliveries('2026-04');
    const create = requests.find((r) => r.headers['X-Shopify-Topic'] === 'products/create');
    const body = JSON.parse(create?.body ?? '{}') as Record<string, unknown>;
    expect(body['title']).toBe('Tee & "Co" / 1');
    expect(body['tags']).toBe('cotton, summer');
    expect((body['variants'] as { sku: string; price: string }[]).map((v) => [v.sku, v.price])).toEqual([
      ['TEE-S', '19.00'],
      ['TEE-M', '21.00'],
    ]);
    expect(create?.body).toContain('\\/ 1');
    expect(create?.body).toContain('\\u0026');
    const order = JSON.parse(
      requests.find((r) => r.headers['X-Shopify-Topic'] === 'orders/create')?.body ?? '{}',
    ) as Record<string, unknown>;
    expect(order).toMatchObject({
      note: 'gift',
      financial_status: 'paid',
      email: 'ann@example.com',
      customer: { email: 'ann@example.com', first_name: 'Ann' },
      line_items: [{ sku: 'TEE-S', quantity: 2, price: '19.00' }],
    });
    const cancelled = JSON.parse(
      requests.find((r) => r.headers['X-Shopify-Topic'] === 'orders/cancelled')?.body ?? '{}',
    ) as Record<string, unknown>;
    expect(cancelled).toMatchObject({
      cancel_reason: 'customer',
      cancelled_at: expect.stringMatching(/\+00:00$/),
    });
    const level = requests.find((r) => r.headers['X-Shopify-Topic'] === 'inventory_levels/update');
    expect(JSON.parse(level?.body ?? '{}')).toMatchObject({
      available: expect.any(Number),
      admin_graphql_api_id: expect.stringContaining('?inventory_item_id='),
    });
  });
});
