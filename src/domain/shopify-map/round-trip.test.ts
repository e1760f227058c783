import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES, PRODUCT_STATUSES } from '../entities.ts';
import {
  canonicalJson,
  customerSnapshot,
  customerToShopify,
  inventoryLevelToShopify,
  locationToShopify,
  mapCustomer,
  mapInventoryLevel,
  mapLocation,
  mapOrder,
  mapProduct,
  orderSnapshot,
  orderToShopify,
  productSnapshot,
  productToShopify,
  snapshotHash,
  type CustomerFromShopify,
  type LocationFromShopify,
  type OrderFromShopify,
  type ProductFromShopify,
} from './index.ts';

// ---- round trips: Retailos → Shopify-shaped → Retailos is the identity on synced fields ----

const text = fc
  .string({ minLength: 1, maxLength: 12 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);
const amount = fc
  .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 99 }))
  .map(([w, f]) => `${w}.${String(f).padStart(2, '0')}`);
const date = fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).map((s) => new Date(s * 1000));
const tags = fc
  .uniqueArray(text, { maxLength: 4, selector: (t) => t.toLowerCase() })
  .map((ts) => [...ts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
const gid = (type: string) => fc.integer({ min: 1, max: 1e9 }).map((n) => `gid://shopify/${type}/${n}`);

const productArb: fc.Arbitrary<ProductFromShopify> = fc
  .record({
    gid: gid('Product'),
    title: text,
    handle: text,
    descriptionHtml: fc.string(),
    vendor: fc.oneof(fc.constant(''), text),
    productType: fc.oneof(fc.constant(''), text),
    status: fc.constantFrom(...PRODUCT_STATUSES),
    tags,
    createdAt: date,
    updatedAt: date,
    variants: fc.uniqueArray(
      fc.record({
        gid: gid('ProductVariant'),
        inventoryItemGid: fc.option(gid('InventoryItem'), { nil: null }),
        sku: fc.option(text, { nil: null }),
        barcode: fc.option(text, { nil: null }),
        price: amount,
        compareAtPrice: fc.option(amount, { nil: null }),
        optionValues: fc.array(fc.record({ name: text, value: text }), { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 4, selector: (v) => v.sku ?? v.gid },
    ),
  })
  .map((p) => ({ ...p, variants: p.variants.map((v, i) => ({ ...v, position: i + 1 })) }));

const customerArb: fc.Arbitrary<CustomerFromShopify> = fc.record({
  gid: gid('Customer'),
  email: fc.option(
    fc.emailAddress().map((e) => e.toLowerCase()),
    { nil: null },
  ),
  firstName: fc.oneof(fc.constant(''), text),
  lastName: fc.oneof(fc.constant(''), text),
  phone: fc.option(text, { nil: null }),
  note: fc.string(),
  tags,
  addresses: fc.array(
    fc.record({ address1: text, city: text, countryCode: text }, { requiredKeys: ['city'] }),
    { maxLength: 2 },
  ),
  createdAt: date,
  updatedAt: date,
});

const orderArb: fc.Arbitrary<OrderFromShopify> = fc
  .record({
    gid: gid('Order'),
    number: fc.integer({ min: 1, max: 99_999_999 }),
    customerGid: fc.option(gid('Customer'), { nil: null }),
    email: fc.option(
      fc.emailAddress().map((e) => e.toLowerCase()),
      { nil: null },
    ),
    phone: fc.option(text, { nil: null }),
    financialStatus: fc.constantFrom(...FINANCIAL_STATUSES),
    fulfillmentStatus: fc.constantFrom(...FULFILLMENT_STATUSES),
    currency: fc.constantFrom('USD', 'EUR'),
    subtotalPrice: amount,
    totalTax: amount,
    totalPrice: amount,
    note: fc.string(),
    tags,
    shippingAddress: fc.option(
      fc.record(
        {
          firstName: text,
          lastName: text,
          company: text,
          address1: text,
          address2: text,
          city: text,
          provinceCode: fc.constantFrom('ON', 'NSW', 'BY'),
          countryCode: fc.constantFrom('CA', 'AU', 'DE', 'ZZ'),
          zip: text,
          phone: text,
        },
        { requiredKeys: ['address1'] },
      ),
      { nil: null },
    ),
    processedAt: date,
    cancelledAt: fc.option(date, { nil: null }),
    closedAt: fc.option(date, { nil: null }),
    createdAt: date,
    updatedAt: date,
    lineItems: fc.array(
      fc.record({
        gid: gid('LineItem'),
        sku: fc.option(text, { nil: null }),
        title: text,
        quantity: fc.integer({ min: 1, max: 50 }),
        unitPrice: amount,
        variantGid: fc.option(gid('ProductVariant'), { nil: null }),
      }),
      { maxLength: 4 },
    ),
  })
  .map((o) => ({
    ...o,
    name: `#${o.number}`,
    lineItems: o.lineItems.map((l, i) => ({ ...l, position: i + 1 })),
  }));

const locationArb: fc.Arbitrary<LocationFromShopify> = fc.record({
  gid: gid('Location'),
  name: text,
  address: fc.record({ city: text, zip: text }, { requiredKeys: [] }),
  active: fc.boolean(),
  createdAt: date,
  updatedAt: date,
});

describe('round trips', () => {
  it('a product survives Retailos → Shopify → Retailos', () => {
    fc.assert(
      fc.property(productArb, (p) => {
        const s = productToShopify(p);
        const back = mapProduct(s.product, s.variants);
        expect(back).toEqual({ ok: true, value: p });
      }),
    );
  });

  it('a customer survives Retailos → Shopify → Retailos', () => {
    fc.assert(
      fc.property(customerArb, (c) => {
        expect(mapCustomer(customerToShopify(c))).toEqual({ ok: true, value: c });
      }),
    );
  });

  it('an order survives Retailos → Shopify → Retailos', () => {
    fc.assert(
      fc.property(orderArb, (o) => {
        const s = orderToShopify(o);
        expect(mapOrder(s.order, s.lineItems)).toEqual({ ok: true, value: o });
      }),
    );
  });

  it('a location and a level survive the round trip', () => {
    fc.assert(
      fc.property(locationArb, (l) => {
        expect(mapLocation(locationToShopify(l))).toEqual({ ok: true, value: l });
      }),
    );
    const level = {
      gid: 'gid://shopify/InventoryLevel/1',
      locationGid: 'gid://shopify/Location/2',
      inventoryItemGid: 'gid://shopify/InventoryItem/3',
      available: 4,
      onHand: 6,
      updatedAt: null,
    };
    expect(mapInventoryLevel(inventoryLevelToShopify(level), level.locationGid)).toEqual({
      ok: true,
      value: level,
    });
  });
});

describe('snapshots and hashes', () => {
  it('hashing ignores key order at every level', () => {
    fc.assert(
      fc.property(
        fc.dictionary(text, fc.oneof(fc.integer(), fc.string(), fc.dictionary(text, fc.integer()))),
        (obj) => {
          const reversed = Object.fromEntries(Object.entries(obj).reverse());
          expect(snapshotHash(reversed)).toBe(snapshotHash(obj));
          expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        },
      ),
    );
  });

  it('a product snapshot ignores tag order and money spelling, and excludes ids', () => {
    fc.assert(
      fc.property(productArb, (p) => {
        const shuffled = {
          ...p,
          tags: [...p.tags].reverse(),
          variants: p.variants.map((v) => ({ ...v, price: `${v.price}00`, gid: 'other' })),
        };
        expect(snapshotHash(productSnapshot(shuffled))).toBe(snapshotHash(productSnapshot(p)));
        expect(canonicalJson(productSnapshot(p))).not.toContain('gid://');
      }),
    );
  });

  it('a changed synced field changes the hash', () => {
    fc.assert(
      fc.property(customerArb, (c) => {
        expect(snapshotHash(customerSnapshot({ ...c, note: `${c.note}!` }))).not.toBe(
          snapshotHash(customerSnapshot(c)),
        );
      }),
    );
    fc.assert(
      fc.property(orderArb, (o) => {
        expect(snapshotHash(orderSnapshot({ ...o, tags: [...o.tags].reverse() }))).toBe(
          snapshotHash(orderSnapshot(o)),
        );
        expect(snapshotHash(orderSnapshot({ ...o, totalPrice: `1${o.totalPrice}` }))).not.toBe(
          snapshotHash(orderSnapshot(o)),
        );
      }),
    );
  });
});
