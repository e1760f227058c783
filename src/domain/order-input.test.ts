import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from './entities.ts';
import { multiplyMoney } from './money.ts';
import { decideOrder, decideOrderUpdate, lineTotal, type OrderInput } from './order-input.ts';

const base: OrderInput = { currency: 'eur', lineItems: [{ title: 'Tee', quantity: 3, unitPrice: '0.1' }] };

const problemFields = (input: OrderInput): string[] => {
  const d = decideOrder(input);
  return d.ok ? [] : d.problems.map((p) => p.field);
};

describe('order input', () => {
  it.each([
    ['0.1', 3, '0.30'],
    ['19.99', 7, '139.93'],
    ['0.0001', 10_000, '1.00'],
    ['1.25', 2_000_000_000, '2500000000.00'],
    ['0', 5, '0.00'],
  ])('%s × %i = %s exactly', (price, quantity, total) => {
    expect(lineTotal(price, quantity)).toBe(total);
  });

  it('agrees with repeated addition', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 300 }),
        (w, f, q) => {
          const price = `${w}.${String(f).padStart(4, '0')}`;
          expect(lineTotal(price, q)).toBe(multiplyMoney(price, q));
        },
      ),
    );
  });

  it('computes subtotal, tax and total exactly and normalises the header', () => {
    const d = decideOrder({
      ...base,
      email: ' Buyer@Example.com ',
      totalTax: '0.06',
      tags: ['b', 'a'],
      lineItems: [...base.lineItems, { title: ' Mug ', quantity: 2, unitPrice: '0.2', sku: ' ' }],
    });
    expect(d).toMatchObject({
      ok: true,
      draft: {
        currency: 'EUR',
        email: 'buyer@example.com',
        subtotalPrice: '0.70',
        totalTax: '0.06',
        totalPrice: '0.76',
        tags: ['a', 'b'],
      },
    });
    expect(d.ok && d.draft.lineItems[1]).toEqual({
      position: 2,
      sku: null,
      title: 'Mug',
      quantity: 2,
      unitPrice: '0.20',
      variantId: null,
    });
  });

  it('accepts a given subtotal that matches in any spelling and refuses one that does not', () => {
    expect(problemFields({ ...base, subtotalPrice: '0.3000' })).toEqual([]);
    expect(problemFields({ ...base, subtotalPrice: '0.31' })).toEqual(['subtotalPrice']);
  });

  it.each<[Partial<OrderInput>, string[]]>([
    [{ currency: 'EURO' }, ['currency']],
    [{ currency: '€€€' }, ['currency']],
    [{ financialStatus: 'settled' as never }, ['financialStatus']],
    [{ fulfillmentStatus: 'shipped' as never }, ['fulfillmentStatus']],
    [{ number: 0 }, ['number']],
    [{ totalTax: '-1' }, ['totalTax']],
    [{ lineItems: [] }, ['lineItems']],
    [
      { lineItems: [{ title: '', quantity: 0, unitPrice: '1.234567' }] },
      ['lineItems[0].title', 'lineItems[0].quantity', 'lineItems[0].unitPrice'],
    ],
    [
      { lineItems: [{ title: 'Big', quantity: 2_000_000_000, unitPrice: '999999999999999' }] },
      ['totalPrice'],
    ],
  ])('refuses %j naming %j', (patch, fields) => {
    expect(problemFields({ ...base, ...patch })).toEqual(fields);
  });

  it('updates writable fields only and keeps the rest', () => {
    const current = {
      email: 'a@b.co',
      phone: null,
      note: '',
      tags: [],
      customerId: 'c1',
      financialStatus: 'pending',
      fulfillmentStatus: 'unfulfilled',
    } as unknown as Order;
    expect(decideOrderUpdate({ financialStatus: 'paid', email: null }, current)).toEqual({
      ok: true,
      draft: {
        email: null,
        phone: null,
        note: '',
        tags: [],
        customerId: 'c1',
        financialStatus: 'paid',
        fulfillmentStatus: 'unfulfilled',
      },
    });
    const refused = decideOrderUpdate({ totalPrice: '0', cancelledAt: new Date() } as never, current);
    expect(refused.ok ? [] : refused.problems.map((p) => p.field)).toEqual(['totalPrice', 'cancelledAt']);
  });
});
