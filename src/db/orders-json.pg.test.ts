import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { getOrders, getOrdersJson } from './orders.ts';

// getOrdersJson answers the orders as one JSON document (PGlite decodes each field of each row in
// JavaScript); it must give exactly what getOrders gives: every column, times to the millisecond as the
// drivers cut them (microseconds stored), line items by position, nulls and empty lists.

let t: TestDb;
let tenantId: string;
beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
});
afterAll(async () => {
  await t?.close();
});

/** A time with microseconds, as Postgres keeps it (an ISO string for the insert). */
const time = fc
  .tuple(fc.integer({ min: 946_684_800, max: 4_102_444_800 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([s, us]) => `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, '0')}Z`);
const money = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9999 }))
  .map(([w, f]) => `${w}.${String(f).padStart(4, '0')}`);
const text = fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null });
const order = fc.record({
  email: text,
  phone: text,
  financial: fc.constantFrom('pending', 'paid', 'refunded'),
  fulfillment: fc.constantFrom('unfulfilled', 'fulfilled'),
  totals: fc.tuple(money, money, money),
  note: fc.string({ unit: 'grapheme', maxLength: 20 }),
  tags: fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 3 }),
  address: fc.option(
    fc.record({ city: fc.string({ maxLength: 8 }), zip: text, country: fc.constant('DE') }),
    {
      nil: null,
    },
  ),
  times: fc.tuple(time, fc.option(time, { nil: null }), fc.option(time, { nil: null }), time, time),
  version: fc.integer({ min: 1, max: 1000 }),
  lines: fc.array(
    fc.record({
      sku: text,
      title: fc.string({ maxLength: 10 }),
      quantity: fc.integer({ min: 1, max: 50 }),
      price: money,
    }),
    { maxLength: 4 },
  ),
});

let number = 0;
async function insert(o: OrderCase): Promise<string> {
  number += 1;
  const { rows } = await t.db.query<{ id: string }>(
    `insert into orders (tenant_id, name, number, email, phone, financial_status, fulfillment_status, currency,
       subtotal_price, total_tax, total_price, note, tags, shipping_address, processed_at, cancelled_at, closed_at,
       created_at, updated_at, version)
     values ($1, $2, $3, $4, $5, $6, $7, 'EUR', $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16, $17, $18, $19)
     returning id`,
    [
      tenantId,
      `#${number}`,
      number,
      o.email,
      o.phone,
      o.financial,
      o.fulfillment,
      ...o.totals,
      o.note,
      o.tags,
      o.address === null ? null : JSON.stringify(o.address),
      ...o.times,
      o.version,
    ],
  );
  const id = (rows[0] as { id: string }).id;
  // Inserted in reverse: the read orders them by position, not by insertion.
  for (const [i, l] of [...o.lines.entries()].reverse())
    await t.db.query(
      `insert into order_line_items (tenant_id, order_id, position, sku, title, quantity, unit_price)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [tenantId, id, i + 1, l.sku, l.title, l.quantity, l.price],
    );
  return id;
}
type OrderCase = typeof order extends fc.Arbitrary<infer T> ? T : never;

describe('orders read as one JSON document', () => {
  it('equal getOrders: every column, times to the millisecond, lines by position', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(order, { minLength: 1, maxLength: 4 }), async (orders) => {
        const ids: string[] = [];
        for (const o of orders) ids.push(await insert(o));
        const asked = [...ids, '00000000-0000-4000-8000-000000000000'];
        expect(await getOrdersJson(t.db, tenantId, asked)).toEqual(await getOrders(t.db, tenantId, asked));
      }),
      { numRuns: 30 },
    );
  });
});
