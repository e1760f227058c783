import { beforeAll, describe, expect, it } from 'vitest';
import { listChangesAfter } from '../db/changes.ts';
import type { OrderInput } from '../domain/order-input.ts';
import { failingAfterWrite, noListener, useTwoTenants } from '../../test-support/core-fixture.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { createCustomer, deleteCustomer } from './customers.ts';
import { cancelOrder, closeOrder, createOrder, findOrder, searchOrders, updateOrder } from './orders.ts';
import { createProduct } from './products.ts';

const { t, clock, ctx, other, changeCount } = useTwoTenants();
let variantId: string;
let customerId: string;
let theirVariant: string;
let theirCustomer: string;

const line = { title: 'Tee', quantity: 3, unitPrice: '0.1' };
const minimal: OrderInput = { currency: 'eur', lineItems: [line] };

beforeAll(async () => {
  variantId = (await createProduct(t.db, ctx, { title: 'Tee', variants: [{ sku: 'TEE', price: '0.1' }] }))
    .variants[0]!.id;
  customerId = (await createCustomer(t.db, ctx, { email: 'buyer@example.com' })).id;
  theirVariant = (await createProduct(t.db, other, { title: 'Theirs' })).variants[0]!.id;
  theirCustomer = (await createCustomer(t.db, other, { email: 'them@example.com' })).id;
});

async function counts(tenantId: string): Promise<{ changes: number; orders: number; lines: number }> {
  const { rows } = await t.db.query<{ orders: number; lines: number }>(
    `select (select count(*)::int from orders where tenant_id = $1) as orders,
            (select count(*)::int from order_line_items where tenant_id = $1) as lines`,
    [tenantId],
  );
  return {
    changes: await changeCount(tenantId),
    ...(rows[0] as { orders: number; lines: number }),
  };
}

describe('orders in the core', () => {
  it('creates order #1001 with exact totals, its line items and one change row', async () => {
    const o = await createOrder(t.db, ctx, {
      currency: 'eur',
      customerId,
      email: 'Buyer@Example.com',
      totalTax: '0.06',
      financialStatus: 'paid',
      lineItems: [
        { ...line, sku: 'TEE', variantId },
        { title: 'Mug', quantity: 2, unitPrice: '0.2' },
      ],
    });
    expect(o).toMatchObject({
      name: '#1001',
      number: 1001,
      currency: 'EUR',
      customerId,
      email: 'buyer@example.com',
      subtotalPrice: '0.70',
      totalTax: '0.06',
      totalPrice: '0.76',
      financialStatus: 'paid',
      fulfillmentStatus: 'unfulfilled',
      cancelledAt: null,
      version: 1,
    });
    expect(o.processedAt).toEqual(clock.now());
    expect(o.lineItems.map((l) => [l.position, l.sku, l.quantity, l.unitPrice, l.variantId])).toEqual([
      [1, 'TEE', 3, '0.10', variantId],
      [2, null, 2, '0.20', null],
    ]);
    expect((await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1)).toMatchObject({
      entity: 'order',
      entityId: o.id,
      op: 'create',
      version: 1,
    });
    expect(await findOrder(t.db, ctx.tenantId, o.id)).toEqual(o);
  });

  it('numbers the next order max + 1 and takes a given number', async () => {
    expect((await createOrder(t.db, ctx, minimal)).name).toBe('#1002');
    expect((await createOrder(t.db, ctx, { ...minimal, number: 5000 })).name).toBe('#5000');
    expect((await createOrder(t.db, ctx, minimal)).number).toBe(5001);
    expect((await createOrder(t.db, other, minimal)).number).toBe(1001);
  });

  it('gives concurrent orders distinct consecutive numbers', async () => {
    const made = await Promise.all([1, 2, 3, 4].map(() => createOrder(t.db, ctx, minimal)));
    expect(made.map((o) => o.number).sort()).toEqual([5002, 5003, 5004, 5005]);
  });

  it.each<[string, () => OrderInput, Record<string, string>]>([
    [
      'a taken number',
      () => ({ ...minimal, number: 1001 }),
      { kind: 'conflict', code: 'duplicate_order_number' },
    ],
    ['another tenant’s customer', () => ({ ...minimal, customerId: theirCustomer }), { kind: 'not_found' }],
    [
      'another tenant’s variant',
      () => ({ ...minimal, lineItems: [{ ...line, variantId: theirVariant }] }),
      { kind: 'not_found' },
    ],
    [
      'a customer id that is not a UUID',
      () => ({ ...minimal, customerId: 'c-1' }),
      { code: 'validation_failed' },
    ],
    [
      'a variant id that is not a UUID',
      () => ({ ...minimal, lineItems: [{ ...line, variantId: 'v-1' }] }),
      { code: 'validation_failed' },
    ],
    [
      'a subtotal that does not match',
      () => ({ ...minimal, subtotalPrice: '0.31' }),
      { code: 'validation_failed' },
    ],
    [
      'an unknown status',
      () => ({ ...minimal, fulfillmentStatus: 'shipped' as never }),
      { code: 'validation_failed' },
    ],
  ])('refuses %s and writes nothing', async (_name, input, expected) => {
    const before = await counts(ctx.tenantId);
    const theirs = await counts(other.tenantId);
    await expect(createOrder(t.db, ctx, input())).rejects.toMatchObject(expected);
    expect(await counts(ctx.tenantId)).toEqual(before);
    expect(await counts(other.tenantId)).toEqual(theirs);
  });

  it('updates writable fields only, with the write origin on the change row', async () => {
    const o = await createOrder(t.db, ctx, minimal);
    clock.advance(1000);
    const u = await updateOrder(t.db, { ...ctx, origin: 'shopify' }, o.id, {
      note: 'gift',
      tags: ['x'],
      customerId,
      fulfillmentStatus: 'fulfilled',
    });
    expect(u).toMatchObject({
      note: 'gift',
      tags: ['x'],
      customerId,
      fulfillmentStatus: 'fulfilled',
      totalPrice: '0.30',
      version: 2,
    });
    expect(u.updatedAt).toEqual(clock.now());
    expect((await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1)).toMatchObject({
      entityId: o.id,
      op: 'update',
      version: 2,
      origin: 'shopify',
    });
    const before = await counts(ctx.tenantId);
    await expect(updateOrder(t.db, ctx, o.id, { totalPrice: '0' } as never)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(updateOrder(t.db, ctx, o.id, { customerId: theirCustomer })).rejects.toMatchObject({
      kind: 'not_found',
    });
    expect(await counts(ctx.tenantId)).toEqual(before);
    expect(await findOrder(t.db, ctx.tenantId, o.id)).toEqual(u);
  });

  it('creates with a shipping address, changes it, and refuses to remove it or to take an unknown country', async () => {
    const lyon = { firstName: 'Ann', address1: '1 Quai Rambaud', city: 'Lyon', countryCode: 'FR' };
    const o = await createOrder(t.db, ctx, { ...minimal, shippingAddress: { ...lyon, countryCode: 'fr' } });
    expect(o.shippingAddress).toEqual(lyon);
    expect((await createOrder(t.db, ctx, minimal)).shippingAddress).toBeNull();
    const paris = { ...lyon, city: 'Paris', zip: '75001', provinceCode: 'IDF' };
    const u = await updateOrder(t.db, ctx, o.id, { shippingAddress: { ...paris, address2: '' } });
    expect([u.shippingAddress, u.version]).toEqual([paris, 2]);
    expect((await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1)).toMatchObject({
      entityId: o.id,
      op: 'update',
      version: 2,
    });
    const before = await counts(ctx.tenantId);
    for (const bad of [null, { city: ' ' }, { ...paris, countryCode: 'France' }]) {
      await expect(updateOrder(t.db, ctx, o.id, { shippingAddress: bad })).rejects.toMatchObject({
        code: 'validation_failed',
      });
    }
    expect(await counts(ctx.tenantId)).toEqual(before);
    expect(await findOrder(t.db, ctx.tenantId, o.id)).toEqual(u);
  });

  it('cancels and closes once each; a second time is refused and writes nothing', async () => {
    const o = await createOrder(t.db, ctx, minimal);
    clock.advance(1000);
    const c = await cancelOrder(t.db, ctx, o.id);
    expect(c).toMatchObject({ cancelledAt: clock.now(), closedAt: null, version: 2 });
    const before = await counts(ctx.tenantId);
    await expect(cancelOrder(t.db, ctx, o.id)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'already_cancelled',
    });
    expect(await counts(ctx.tenantId)).toEqual(before);
    const closed = await closeOrder(t.db, ctx, o.id);
    expect(closed).toMatchObject({ cancelledAt: c.cancelledAt, version: 3 });
    expect(closed.closedAt).toEqual(clock.now());
    await expect(closeOrder(t.db, ctx, o.id)).rejects.toMatchObject({ code: 'already_closed' });
    expect((await findOrder(t.db, ctx.tenantId, o.id)).version).toBe(3);
  });

  it('cannot read, update, cancel or close another tenant’s order', async () => {
    const theirs = await createOrder(t.db, other, minimal);
    const before = await counts(ctx.tenantId);
    await expect(findOrder(t.db, ctx.tenantId, theirs.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(updateOrder(t.db, ctx, theirs.id, { note: 'x' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(cancelOrder(t.db, ctx, theirs.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(closeOrder(t.db, ctx, theirs.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect(await findOrder(t.db, other.tenantId, theirs.id)).toEqual(theirs);
    await expect(findOrder(t.db, ctx.tenantId, '1001')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(cancelOrder(t.db, ctx, '#1001')).rejects.toMatchObject({ kind: 'not_found' });
    expect(await counts(ctx.tenantId)).toEqual(before);
  });

  it('keeps a customer with orders from being deleted', async () => {
    await expect(deleteCustomer(t.db, ctx, customerId)).rejects.toMatchObject({
      code: 'customer_has_orders',
    });
  });

  it('leaves no order, line or change row when the transaction fails after the write', async () => {
    const before = await counts(ctx.tenantId);
    await expect(createOrder(failingAfterWrite(t.db), ctx, minimal)).rejects.toThrow('boom after the write');
    expect(await counts(ctx.tenantId)).toEqual(before);
  });

  it('searches name and email literally, by exact email and by updatedSince', async () => {
    const s = {
      tenantId: await insertTenant(t.db, 'S'),
      origin: 'user' as const,
      clock,
      changesRecorded: noListener,
    };
    const odd = await createOrder(t.db, s, { ...minimal, email: `100%_off'--@x.io` });
    const plain = await createOrder(t.db, s, { ...minimal, email: '1000xoff@x.io' });
    expect((await searchOrders(t.db, s.tenantId, { text: `100%_off'` }, 10)).map((o) => o.id)).toEqual([
      odd.id,
    ]);
    expect((await searchOrders(t.db, s.tenantId, { text: '#1002' }, 10)).map((o) => o.id)).toEqual([
      plain.id,
    ]);
    expect((await searchOrders(t.db, s.tenantId, { email: '1000XOFF@X.IO' }, 10)).map((o) => o.id)).toEqual([
      plain.id,
    ]);
    clock.advance(1000);
    const later = await updateOrder(t.db, s, odd.id, { note: 'later' });
    expect(
      (await searchOrders(t.db, s.tenantId, { updatedSince: later.updatedAt }, 10)).map((o) => o.id),
    ).toEqual([odd.id]);
  });

  it('pages newest processedAt first without gaps or repeats', async () => {
    const p = {
      tenantId: await insertTenant(t.db, 'P'),
      origin: 'user' as const,
      clock,
      changesRecorded: noListener,
    };
    const days = [3, 1, 6, 2, 5, 0, 4];
    for (const d of days)
      await createOrder(t.db, p, {
        ...minimal,
        number: 100 + d,
        processedAt: new Date(Date.UTC(2026, 0, 1 + d)),
      });
    const seen: number[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await searchOrders(t.db, p.tenantId, {}, 3, after);
      seen.push(...page.map((o) => o.number));
      const last = page.at(-1);
      if (page.length < 3 || !last) break;
      after = { at: last.processedAt, id: last.id };
    }
    expect(seen).toEqual([106, 105, 104, 103, 102, 101, 100]);
  });
});
