import { describe, expect, it } from 'vitest';
import { mapOrder, orderFromWebhook } from './index.ts';

const money = (amount: string, currency = 'EUR') => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: { amount: '999.00', currency_code: 'USD' },
});

const linePayload = (n: number, over: Record<string, unknown> = {}) => ({
  id: 900 + n,
  admin_graphql_api_id: `gid://shopify/LineItem/${900 + n}`,
  variant_id: 100 + n,
  product_id: 1,
  sku: `TEE-${n}`,
  title: 'Tee',
  variant_title: `S${n}`,
  quantity: n,
  price: '15.00',
  price_set: money('15.00'),
  ...over,
});

/** A shipping_address as Shopify's orders payloads carry it (names and codes, a name line, coordinates). */
const shipping = {
  first_name: 'Ann',
  last_name: 'Lee',
  company: null,
  address1: ' 1 Main St ',
  address2: '',
  city: 'Ottawa',
  province: 'Ontario',
  province_code: 'ON',
  country: 'Canada',
  country_code: 'CA',
  zip: 'K2P 2L8',
  phone: '555-0100',
  name: 'Ann Lee',
  latitude: 45.42,
  longitude: -75.69,
};

const payload = (over: Record<string, unknown> = {}) => ({
  id: 7,
  admin_graphql_api_id: 'gid://shopify/Order/7',
  name: '#1007',
  email: 'ann@example.com',
  phone: null,
  customer: { id: 3, admin_graphql_api_id: 'gid://shopify/Customer/3', email: 'ann@example.com' },
  financial_status: 'partially_refunded',
  fulfillment_status: 'partial',
  currency: 'EUR',
  subtotal_price: '30.00',
  subtotal_price_set: money('30.00'),
  total_tax: '3.00',
  total_tax_set: money('3.00'),
  total_price: '33.00',
  total_price_set: money('33.00'),
  note: null,
  tags: 'b, a',
  shipping_address: shipping,
  processed_at: '2026-05-01T05:00:00-04:00',
  cancelled_at: null,
  closed_at: '2026-05-03T05:00:00-04:00',
  created_at: '2026-05-01T05:00:00-04:00',
  updated_at: '2026-05-03T05:15:03-04:00',
  line_items: [linePayload(1), linePayload(2)],
  ...over,
});

function convert(body: unknown) {
  const r = orderFromWebhook(body);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

const bag = (amount: string) => ({ shopMoney: { amount, currencyCode: 'EUR' } });

describe('orderFromWebhook', () => {
  it('turns an orders/updated payload into the GraphQL order and line-item lines', () => {
    const w = convert(payload());
    expect(w).toMatchObject({ gid: 'gid://shopify/Order/7', complete: true, missing: [] });
    expect(w.updatedAt).toEqual(new Date('2026-05-03T09:15:03Z'));
    expect(w.value.order).toEqual({
      id: 'gid://shopify/Order/7',
      name: '#1007',
      email: 'ann@example.com',
      phone: null,
      customer: { id: 'gid://shopify/Customer/3' },
      displayFinancialStatus: 'PARTIALLY_REFUNDED',
      displayFulfillmentStatus: 'PARTIALLY_FULFILLED',
      currencyCode: 'EUR',
      subtotalPriceSet: bag('30.00'),
      totalTaxSet: bag('3.00'),
      totalPriceSet: bag('33.00'),
      note: null,
      tags: ['b', 'a'],
      shippingAddress: {
        firstName: 'Ann',
        lastName: 'Lee',
        company: null,
        address1: ' 1 Main St ',
        address2: '',
        city: 'Ottawa',
        province: 'Ontario',
        provinceCode: 'ON',
        country: 'Canada',
        countryCodeV2: 'CA',
        zip: 'K2P 2L8',
        phone: '555-0100',
      },
      processedAt: '2026-05-01T09:00:00Z',
      cancelledAt: null,
      closedAt: '2026-05-03T09:00:00Z',
      createdAt: '2026-05-01T09:00:00Z',
      updatedAt: '2026-05-03T09:15:03Z',
    });
    expect(w.value.lineItems[1]).toEqual({
      id: 'gid://shopify/LineItem/902',
      sku: 'TEE-2',
      title: 'Tee',
      quantity: 2,
      originalUnitPriceSet: bag('15.00'),
      variant: { id: 'gid://shopify/ProductVariant/102' },
    });
    const mapped = mapOrder(w.value.order, w.value.lineItems);
    if (!mapped.ok) throw new Error(mapped.reason);
    expect(mapped.value).toMatchObject({
      number: 1007,
      financialStatus: 'partially_refunded',
      fulfillmentStatus: 'partially_fulfilled',
      totalPrice: '33.00',
      customerGid: 'gid://shopify/Customer/3',
    });
    // The address Retailos keeps: codes (not names), lines trimmed, blank ones left out.
    expect(mapped.value.shippingAddress).toEqual({
      firstName: 'Ann',
      lastName: 'Lee',
      address1: '1 Main St',
      city: 'Ottawa',
      provinceCode: 'ON',
      countryCode: 'CA',
      zip: 'K2P 2L8',
      phone: '555-0100',
    });
  });

  it('reads shipping_address null as an order without one', () => {
    const w = convert(payload({ shipping_address: null }));
    expect(w.complete).toBe(true);
    const mapped = mapOrder(w.value.order, w.value.lineItems);
    expect(mapped.ok && mapped.value.shippingAddress).toBeNull();
  });

  it.each([
    [null, 'UNFULFILLED', 'unfulfilled'],
    ['partial', 'PARTIALLY_FULFILLED', 'partially_fulfilled'],
    ['fulfilled', 'FULFILLED', 'fulfilled'],
    ['restocked', 'RESTOCKED', 'restocked'],
    ['unshipped', 'UNFULFILLED', 'unfulfilled'],
  ])('maps fulfillment_status %j to %s, which mapOrder reads as %s', (rest, display, retailos) => {
    const w = convert(payload({ fulfillment_status: rest }));
    expect(w.value.order.displayFulfillmentStatus).toBe(display);
    const m = mapOrder(w.value.order, w.value.lineItems);
    expect(m.ok && m.value.fulfillmentStatus).toBe(retailos);
  });

  it.each([
    ['pending', 'PENDING'],
    ['authorized', 'AUTHORIZED'],
    ['partially_paid', 'PARTIALLY_PAID'],
    ['paid', 'PAID'],
    ['refunded', 'REFUNDED'],
    ['voided', 'VOIDED'],
    ['expired', 'EXPIRED'],
    [null, null],
  ])('maps financial_status %j to %j, which mapOrder accepts', (rest, display) => {
    const w = convert(payload({ financial_status: rest }));
    expect(w.value.order.displayFinancialStatus).toBe(display);
    expect(mapOrder(w.value.order, w.value.lineItems).ok).toBe(true);
  });

  it('falls back to the plain decimal strings when the *_set bags are absent', () => {
    const w = convert(
      payload({
        total_price_set: undefined,
        subtotal_price_set: undefined,
        total_tax_set: undefined,
        line_items: [linePayload(1, { price_set: undefined, price: '12.5' })],
      }),
    );
    expect(w.complete).toBe(true);
    expect(w.value.order.totalPriceSet).toEqual(bag('33.00'));
    expect(w.value.order.subtotalPriceSet).toEqual(bag('30.00'));
    expect(w.value.lineItems[0]?.originalUnitPriceSet).toEqual(bag('12.5'));
  });

  it.each([
    ['line_items left out', { line_items: undefined }, ['line_items']],
    ['no total price at all', { total_price: undefined, total_price_set: undefined }, ['total_price']],
    ['no fulfillment_status field', { fulfillment_status: undefined }, ['fulfillment_status']],
    ['no currency', { currency: undefined, total_price_set: undefined }, ['currency']],
    ['no shipping_address field', { shipping_address: undefined }, ['shipping_address']],
    [
      'a line item without variant_id',
      { line_items: [linePayload(1, { variant_id: undefined })] },
      ['line_items[].variant_id'],
    ],
  ])('is incomplete with %s', (_, over, missing) => {
    const w = convert(payload(over));
    expect(w.complete).toBe(false);
    expect(w.missing).toEqual(missing);
  });

  it('keeps a guest order (customer null) and a custom line (variant_id null)', () => {
    const w = convert(payload({ customer: null, line_items: [linePayload(1, { variant_id: null })] }));
    expect(w.complete).toBe(true);
    expect(w.value.order.customer).toBeNull();
    expect(w.value.lineItems[0]?.variant).toBeNull();
  });

  it.each([
    ['not an object', [], 'the order payload is not an object'],
    ['no id', payload({ id: undefined, admin_graphql_api_id: undefined }), 'the Order has no id'],
    ['a bad processed_at', payload({ processed_at: 'soon' }), 'processed_at is not a timestamp'],
    [
      'a money bag without amount',
      payload({ total_price_set: { shop_money: {} } }),
      'total_price_set is not a money bag',
    ],
    [
      'a line item without id',
      payload({ line_items: [{ ...linePayload(1), id: undefined, admin_graphql_api_id: undefined }] }),
      'the line item 1 has no id',
    ],
    [
      'a quantity that is text',
      payload({ line_items: [linePayload(1, { quantity: '2' })] }),
      'quantity is not a number',
    ],
    [
      'a rounded variant_id',
      payload({ line_items: [linePayload(1, { variant_id: 2 ** 60 })] }),
      'variant_id',
    ],
    ['a shipping address that is text', payload({ shipping_address: 'Ottawa' }), 'not an object'],
    [
      'a customer of the wrong type',
      payload({ customer: { admin_graphql_api_id: 'gid://shopify/Order/1' } }),
      'not a gid://shopify/Customer/<id>',
    ],
  ])('refuses %s', (_, body, reason) => {
    const r = orderFromWebhook(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
