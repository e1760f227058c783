import { describe, expect, it } from 'vitest';
import { orderUnits } from '../../web/src/orders/order-units.ts';

describe("the orders list's Units column", () => {
  it('counts units (the sum of quantities), not lines', () => {
    const order = { line_items: [{ quantity: 2 }, { quantity: 3 }, { quantity: 1 }] };
    expect(orderUnits(order)).toBe(6);
  });

  it('is 0 for an order without line items', () => {
    expect(orderUnits({ line_items: [] })).toBe(0);
  });
});
