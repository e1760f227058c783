import { describe, expect, it } from 'vitest';
import {
  cancelOrder,
  createCustomer,
  createProduct,
  createShop,
  createStore,
  deleteCustomer,
  deleteProduct,
  fulfillOrder,
  getLevel,
  isoSeconds,
  manualClock,
  onHand,
  placeOrder,
  refundOrder,
  setQuantity,
  subscribe,
  updateProduct,
  type ChangeEvent,
} from './index.ts';

function setup() {
  const clock = manualClock(new Date('2026-05-01T10:00:00.750Z'));
  const store = createStore(clock);
  const shop = createShop(store, { domain: 'flows', locationNames: ['A', 'B'] });
  const [a] = [...shop.locations.keys()] as [number];
  const events: ChangeEvent[] = [];
  subscribe(store, (e) => events.push(e));
  const product = createProduct(store, shop, {
    title: 'Tee',
    variants: [{ sku: 'T-1', price: '10', stock: [{ locationId: a, available: 8 }] }],
  });
  const variant = shop.variants.get(product.variantIds[0] as number)!;
  return { clock, store, shop, a, events, product, variant };
}

describe('store records', () => {
  it('keeps second precision and bumps updatedAt on every change', () => {
    const { clock, store, shop, product } = setup();
    expect(isoSeconds(product.createdAt)).toBe('2026-05-01T10:00:00Z');
    clock.advance(5_000);
    updateProduct(store, shop, product.id, { title: 'Tee 2' });
    expect(isoSeconds(product.updatedAt)).toBe('2026-05-01T10:00:05Z');
    expect(product.createdAt).toBeLessThan(product.updatedAt);
  });

  it('gives per-shop ids that do not collide across shops', () => {
    const { store, shop, product } = setup();
    const other = createShop(store, { domain: 'other' });
    const p2 = createProduct(store, other, { title: 'X' });
    expect(p2.id).not.toBe(product.id);
    expect(shop.products.has(p2.id)).toBe(false);
  });

  it('emits typed change events, including connect for new stock and delete with the product id', () => {
    const { store, shop, events, product, variant } = setup();
    expect(events.map((e) => `${e.kind}/${e.action}`)).toEqual([
      'inventory_item/create',
      'inventory_level/connect',
      'variant/create',
      'product/create',
    ]);
    events.length = 0;
    deleteProduct(store, shop, product.id, 'app-1');
    expect(events.map((e) => `${e.kind}/${e.action}`)).toEqual([
      'inventory_item/delete',
      'variant/delete',
      'product/delete',
    ]);
    expect(events.at(-1)).toMatchObject({
      id: `gid://shopify/Product/${product.id}`,
      appKey: 'app-1',
      productId: product.id,
    });
    expect(shop.deletionEvents).toEqual([
      { subjectType: 'PRODUCT', subjectId: product.id, occurredAt: product.updatedAt },
    ]);
    expect(shop.inventoryItems.has(variant.inventoryItemId)).toBe(false);
  });

  it('derives on_hand from the stored quantities', () => {
    const { store, shop, a, variant } = setup();
    const level = getLevel(shop, variant.inventoryItemId, a);
    Object.assign(level.quantities, {
      committed: 2,
      reserved: 1,
      damaged: 1,
      safety_stock: 1,
      quality_control: 1,
      incoming: 50,
    });
    expect(onHand(level)).toBe(8 + 2 + 1 + 1 + 1 + 1);
    setQuantity(store, shop, {
      itemId: variant.inventoryItemId,
      locationId: a,
      name: 'on_hand',
      quantity: 10,
    });
    expect(level.quantities.available).toBe(4);
  });
});

describe('orders and stock', () => {
  it('moves available to committed on order and back on cancel; on_hand stays until fulfilment', () => {
    const { store, shop, a, variant } = setup();
    const level = getLevel(shop, variant.inventoryItemId, a);
    const order = placeOrder(store, shop, { lines: [{ variantId: variant.id, quantity: 3 }] });
    expect(order.number).toBe(1001);
    expect(level.quantities).toMatchObject({ available: 5, committed: 3 });
    expect(onHand(level)).toBe(8);
    cancelOrder(store, shop, order.id, { reason: 'CUSTOMER' });
    expect(level.quantities).toMatchObject({ available: 8, committed: 0 });
    expect(order.financialStatus).toBe('REFUNDED');
    expect(order.cancelReason).toBe('CUSTOMER');
  });

  it('drops on_hand on fulfilment and restocks refunds after it', () => {
    const { store, shop, a, variant } = setup();
    const level = getLevel(shop, variant.inventoryItemId, a);
    const order = placeOrder(store, shop, { lines: [{ variantId: variant.id, quantity: 2 }], taxRate: 0 });
    fulfillOrder(store, shop, order.id);
    expect(level.quantities).toMatchObject({ available: 6, committed: 0 });
    expect(onHand(level)).toBe(6);
    const line = order.lineItems[0]!;
    refundOrder(store, shop, order.id, { lines: [{ lineItemId: line.id, quantity: 1, restock: true }] });
    expect(level.quantities.available).toBe(7);
    expect(order.financialStatus).toBe('PARTIALLY_REFUNDED');
    expect(order.refunds[0]?.amount).toEqual({ shop: '10.00', presentment: '10.00' });
  });

  it('computes money bags in shop and presentment currency', () => {
    const { store, shop, variant } = setup();
    const order = placeOrder(store, shop, {
      lines: [{ variantId: variant.id, quantity: 2 }],
      taxRate: 0.1,
      presentmentCurrency: 'EUR',
      exchangeRate: 0.5,
    });
    expect(order.subtotal).toEqual({ shop: '20.00', presentment: '10.00' });
    expect(order.total).toEqual({ shop: '22.00', presentment: '11.00' });
  });

  it('refuses to delete a customer who has orders', () => {
    const { store, shop, variant } = setup();
    const customer = createCustomer(store, shop, { email: 'a@b.co' });
    placeOrder(store, shop, { customerId: customer.id, lines: [{ variantId: variant.id, quantity: 1 }] });
    expect(() => deleteCustomer(store, shop, customer.id)).toThrow(/associated orders/);
    const other = createCustomer(store, shop, { email: 'b@b.co' });
    deleteCustomer(store, shop, other.id);
    expect(shop.customers.has(other.id)).toBe(false);
  });
});
