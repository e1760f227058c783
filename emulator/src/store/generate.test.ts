import { describe, expect, it } from 'vitest';
import { createStore, generateShop, manualClock, type ShopData } from './index.ts';

const OPTIONS = {
  seed: 7,
  domain: 'gen',
  products: 60,
  variantsPerProduct: 3,
  customers: 80,
  orders: 300,
  locations: 3,
};

function build(seed = OPTIONS.seed): ShopData {
  const store = createStore(manualClock(new Date('2026-06-01T00:00:00Z')));
  return generateShop(store, { ...OPTIONS, seed });
}

function fingerprint(shop: ShopData): string {
  return JSON.stringify({
    products: [...shop.products.values()],
    variants: [...shop.variants.values()],
    levels: [...shop.inventoryItems.values()].map((i) => [...i.levels.values()]),
    customers: [...shop.customers.values()],
    orders: [...shop.orders.values()],
  });
}

describe('generateShop', () => {
  it('makes the same shop from the same seed', () => {
    expect(fingerprint(build())).toBe(fingerprint(build()));
  });

  it('makes a different shop from another seed', () => {
    expect(fingerprint(build(8))).not.toBe(fingerprint(build()));
  });

  it('creates the requested counts', () => {
    const shop = build();
    expect(shop.products.size).toBe(60);
    expect(shop.variants.size).toBe(180);
    expect(shop.customers.size).toBe(80);
    expect(shop.orders.size).toBe(300);
    expect(shop.locations.size).toBe(3);
    expect([...shop.inventoryItems.values()].every((i) => i.levels.size === 3)).toBe(true);
  });

  it('has realistic variety: unicode, cancelled, refunded, old and foreign-currency orders', () => {
    const shop = build();
    const orders = [...shop.orders.values()];
    const now = Date.parse('2026-06-01T00:00:00Z') / 1000;
    expect(orders.some((o) => o.cancelledAt !== null)).toBe(true);
    expect(orders.some((o) => o.refunds.length > 0)).toBe(true);
    expect(orders.some((o) => o.createdAt < now - 60 * 86400)).toBe(true);
    expect(orders.some((o) => o.createdAt > now - 60 * 86400)).toBe(true);
    expect(new Set(orders.map((o) => o.presentmentCurrency)).size).toBeGreaterThan(2);
    expect([...shop.products.values()].some((p) => /[^\x00-\x7f]/.test(p.title))).toBe(true);
    expect([...shop.products.values()].every((p) => p.descriptionHtml.startsWith('<p>'))).toBe(true);
    const countries = new Set(
      [...shop.customers.values()].flatMap((c) => c.addresses.map((a) => a.countryCode)),
    );
    expect(countries.size).toBeGreaterThan(3);
  });

  it('keeps stock consistent: committed equals unfulfilled, uncancelled ordered quantity', () => {
    const shop = build();
    let committed = 0;
    for (const item of shop.inventoryItems.values())
      for (const level of item.levels.values()) committed += level.quantities.committed;
    let open = 0;
    for (const o of shop.orders.values()) {
      if (o.cancelledAt !== null || o.fulfillmentStatus === 'FULFILLED') continue;
      for (const l of o.lineItems) {
        const restocked = o.refunds
          .flatMap((r) => r.lines)
          .filter((x) => x.lineItemId === l.id && x.restock)
          .reduce((n, x) => n + x.quantity, 0);
        open += l.quantity - restocked;
      }
    }
    expect(committed).toBe(open);
  });
});
