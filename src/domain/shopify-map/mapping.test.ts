import { describe, expect, it } from 'vitest';
import {
  mapCustomer,
  mapInventoryLevel,
  mapLocation,
  mapOrder,
  mapProduct,
  type ShopifyLineItem,
  type ShopifyOrder,
  type ShopifyProduct,
  type ShopifyVariant,
} from './index.ts';
import { financialStatus, fulfillmentStatus, orderNumber } from './order.ts';

const product: ShopifyProduct = {
  id: 'gid://shopify/Product/1',
  title: ' Tee ',
  handle: 'tee',
  descriptionHtml: '<p>x</p>',
  vendor: 'Acme',
  productType: 'Shirts',
  status: 'ACTIVE',
  tags: ['summer', 'Sale', 'sale', ' '],
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-02T10:00:00Z',
};
const variant = (n: number, over: Partial<ShopifyVariant> = {}): ShopifyVariant => ({
  id: `gid://shopify/ProductVariant/${n}`,
  sku: `TEE-${n}`,
  barcode: '',
  price: '19.5',
  compareAtPrice: null,
  position: n,
  selectedOptions: [{ name: 'Size', value: `S${n}` }],
  inventoryItem: { id: `gid://shopify/InventoryItem/${n}` },
  ...over,
});

const order: ShopifyOrder = {
  id: 'gid://shopify/Order/7',
  name: '#1007',
  email: ' Ann@Example.com ',
  phone: null,
  customer: { id: 'gid://shopify/Customer/3' },
  displayFinancialStatus: 'PARTIALLY_REFUNDED',
  displayFulfillmentStatus: 'PARTIALLY_FULFILLED',
  currencyCode: 'EUR',
  subtotalPriceSet: { shopMoney: { amount: '30.0' } },
  totalTaxSet: { shopMoney: { amount: '3' } },
  totalPriceSet: { shopMoney: { amount: '33.00' } },
  note: null,
  tags: ['b', 'a'],
  processedAt: '2026-05-01T09:00:00Z',
  cancelledAt: null,
  closedAt: '2026-05-03T09:00:00Z',
  createdAt: '2026-05-01T09:00:00Z',
  updatedAt: '2026-05-03T09:00:00Z',
};
const line = (n: number, over: Partial<ShopifyLineItem> = {}): ShopifyLineItem => ({
  id: `gid://shopify/LineItem/${n}`,
  sku: `TEE-${n}`,
  title: 'Tee',
  quantity: 2,
  originalUnitPriceSet: { shopMoney: { amount: '7.5' } },
  variant: { id: `gid://shopify/ProductVariant/${n}` },
  ...over,
});

describe('mapping Shopify products', () => {
  it('maps a product with its variants: money normalised, tags sorted and de-duplicated, blanks to null', () => {
    const m = mapProduct(product, [variant(2), variant(1, { compareAtPrice: '25' })]);
    expect(m).toEqual({
      ok: true,
      value: expect.objectContaining({
        gid: 'gid://shopify/Product/1',
        title: 'Tee',
        status: 'active',
        tags: ['Sale', 'summer'],
        createdAt: new Date('2026-03-01T10:00:00Z'),
      }),
    });
    if (!m.ok) return;
    expect(
      m.value.variants.map((v) => [
        v.gid,
        v.price,
        v.compareAtPrice,
        v.barcode,
        v.position,
        v.inventoryItemGid,
      ]),
    ).toEqual([
      ['gid://shopify/ProductVariant/1', '19.50', '25.00', null, 1, 'gid://shopify/InventoryItem/1'],
      ['gid://shopify/ProductVariant/2', '19.50', null, null, 2, 'gid://shopify/InventoryItem/2'],
    ]);
  });

  it.each<[string, ShopifyProduct, ShopifyVariant[], string]>([
    ['a blank title', { ...product, title: '  ' }, [variant(1)], 'the product has no title'],
    ['no variants', product, [], 'the product has no variants'],
    ['twin SKUs', product, [variant(1), variant(2, { sku: 'TEE-1' })], 'two variants share the SKU "TEE-1"'],
    [
      'a negative price',
      product,
      [variant(1, { price: '-1.00' })],
      'variant gid://shopify/ProductVariant/1 price is not a non-negative amount: "-1.00"',
    ],
    ['an unknown status', { ...product, status: 'GONE' }, [variant(1)], 'unknown product status "GONE"'],
    [
      'a foreign id',
      { ...product, id: 'gid://shopify/Order/1' },
      [variant(1)],
      'expected a Product id, got "gid://shopify/Order/1"',
    ],
  ])('refuses %s with a reason', (_name, p, vs, reason) => {
    expect(mapProduct(p, vs)).toEqual({ ok: false, reason });
  });
});

describe('mapping Shopify orders, customers, locations and levels', () => {
  it('maps an order: statuses lower-cased, totals from shopMoney, number from the name, lines in file order', () => {
    const m = mapOrder(order, [line(2), line(1, { variant: null, sku: '' })]);
    expect(m.ok && m.value).toMatchObject({
      number: 1007,
      email: 'ann@example.com',
      customerGid: 'gid://shopify/Customer/3',
      financialStatus: 'partially_refunded',
      fulfillmentStatus: 'partially_fulfilled',
      currency: 'EUR',
      subtotalPrice: '30.00',
      totalTax: '3.00',
      totalPrice: '33.00',
      note: '',
      tags: ['a', 'b'],
      closedAt: new Date('2026-05-03T09:00:00Z'),
      lineItems: [
        {
          position: 1,
          sku: 'TEE-2',
          quantity: 2,
          unitPrice: '7.50',
          variantGid: 'gid://shopify/ProductVariant/2',
        },
        { position: 2, sku: null, quantity: 2, unitPrice: '7.50', variantGid: null },
      ],
    });
  });

  it.each([
    ['#1001', 1001],
    ['SO-42', 42],
    ['1003-B', 1003],
  ])('reads the number of the order name %s', (name, n) => expect(orderNumber(name)).toBe(n));

  it.each([
    [{ ...order, name: 'draft' }, [], 'the order name "draft" carries no number'],
    [order, [line(1, { quantity: 0 })], 'line item gid://shopify/LineItem/1 has quantity 0'],
    [{ ...order, displayFulfillmentStatus: 'LOST' }, [], 'unknown fulfillment status "LOST"'],
    [{ ...order, processedAt: 'yesterday' }, [], 'processedAt is not a timestamp: "yesterday"'],
  ] as const)('refuses an order that cannot be mapped (%#)', (o, lines, reason) => {
    expect(mapOrder(o, lines)).toEqual({ ok: false, reason });
  });

  it('maps Shopify-only statuses to the nearest Retailos one', () => {
    expect(financialStatus(null)).toBe('pending');
    expect(financialStatus('EXPIRED')).toBe('voided');
    expect(fulfillmentStatus('IN_PROGRESS')).toBe('partially_fulfilled');
    expect(fulfillmentStatus('ON_HOLD')).toBe('unfulfilled');
  });

  it('maps a customer from defaultEmailAddress / defaultPhoneNumber and its addresses', () => {
    const m = mapCustomer({
      id: 'gid://shopify/Customer/3',
      firstName: null,
      lastName: 'Lee',
      defaultEmailAddress: { emailAddress: 'ANN@example.com' },
      defaultPhoneNumber: null,
      note: null,
      tags: ['vip', 'VIP', 'a'],
      addresses: [{ address1: '1 Main St', city: 'Oslo', countryCodeV2: 'NO', zip: '', company: null }],
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-02T00:00:00Z',
    });
    expect(m.ok && m.value).toMatchObject({
      email: 'ann@example.com',
      firstName: '',
      lastName: 'Lee',
      phone: null,
      note: '',
      tags: ['a', 'vip'],
      addresses: [{ address1: '1 Main St', city: 'Oslo', countryCode: 'NO' }],
    });
  });

  it('maps a location and an inventory level (available and on_hand)', () => {
    const loc = mapLocation({
      id: 'gid://shopify/Location/4',
      name: 'Main',
      isActive: true,
      address: { city: 'Lyon', country: null },
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    expect(loc.ok && loc.value).toMatchObject({ name: 'Main', address: { city: 'Lyon' }, active: true });
    const level = mapInventoryLevel(
      {
        id: 'gid://shopify/InventoryLevel/4?inventory_item_id=9',
        quantities: [
          { name: 'on_hand', quantity: 5 },
          { name: 'available', quantity: 3 },
        ],
        item: { id: 'gid://shopify/InventoryItem/9' },
        updatedAt: null,
      },
      'gid://shopify/Location/4',
    );
    expect(level.ok && level.value).toMatchObject({
      available: 3,
      onHand: 5,
      inventoryItemGid: 'gid://shopify/InventoryItem/9',
    });
    const missing = mapInventoryLevel(
      { id: 'x', quantities: [], item: { id: 'gid://shopify/InventoryItem/9' }, updatedAt: null },
      'gid://shopify/Location/4',
    );
    expect(missing).toEqual({ ok: false, reason: 'the level has no available quantity' });
  });
});
