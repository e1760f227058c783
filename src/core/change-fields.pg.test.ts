import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { fieldEditTimes, recordChanges, returnToOutbox } from '../db/changes.ts';
import { useTestDb } from '../../test-support/core-fixture.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { createCustomer, updateCustomer } from './customers.ts';
import { cancelOrder, createOrder, updateOrder } from './orders.ts';
import { createProduct, updateProduct } from './products.ts';
import type { WriteContext } from './write-context.ts';

/**
 * Each Retailos write records which top-level fields of the record's canonical snapshot it changed, at
 * the time it stamps the record with: the merge decides a field changed on both sides by that field's
 * own edit time (sync-entity.ts's fieldWinners), not by the record's.
 */

const t = useTestDb();

async function context(): Promise<{ ctx: WriteContext; clock: ManualClock }> {
  const clock = new ManualClock('2026-03-01T10:00:00.250Z');
  const ctx: WriteContext = {
    tenantId: await insertTenant(t.db),
    origin: 'user',
    clock,
    changesRecorded: async () => {},
  };
  return { ctx, clock };
}

async function rows(tenantId: string, entityId: string) {
  const { rows } = await t.db.query<{ op: string; fields: string[] | null; created_at: Date }>(
    `select op, fields, created_at from changes where tenant_id = $1 and entity_id = $2 order by id`,
    [tenantId, entityId],
  );
  return rows.map((r) => [r.op, r.fields, new Date(r.created_at).toISOString()]);
}

describe('the fields a Retailos write changed', () => {
  it('a product: created with its fields, then only the title, then only the variants', async () => {
    const { ctx, clock } = await context();
    const p = await createProduct(t.db, ctx, { title: 'Tee', variants: [{ sku: 'T-1', price: '10' }] });
    clock.advance(1_000);
    await updateProduct(t.db, ctx, p.id, { title: 'Tee shirt' });
    clock.advance(1_000);
    await updateProduct(t.db, ctx, p.id, { variants: [{ id: p.variants[0]?.id, sku: 'T-1', price: '12' }] });
    clock.advance(1_000);
    await updateProduct(t.db, ctx, p.id, { title: 'Tee shirt' }); // changes nothing
    // A variant is named by its id too, with the fields of it that changed (domain/product-edit-keys.ts).
    const v = `variants[${p.variants[0]?.id}]`;
    expect(await rows(ctx.tenantId, p.id)).toEqual([
      [
        'create',
        ['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status', 'tags', 'variants', v],
        '2026-03-01T10:00:00.250Z',
      ],
      ['update', ['title'], '2026-03-01T10:00:01.250Z'],
      ['update', ['variants', v, `${v}.price`], '2026-03-01T10:00:02.250Z'],
      ['update', [], '2026-03-01T10:00:03.250Z'],
    ]);
  });

  it('a customer and an order: each update names what it changed', async () => {
    const { ctx, clock } = await context();
    const c = await createCustomer(t.db, ctx, { email: 'ada@example.com', lastName: 'Lovelace' });
    clock.advance(500);
    await updateCustomer(t.db, ctx, c.id, { note: 'prefers email', lastName: 'King' });
    const o = await createOrder(t.db, ctx, {
      currency: 'eur',
      lineItems: [{ title: 'Tee', quantity: 1, unitPrice: '10' }],
    });
    clock.advance(500);
    await updateOrder(t.db, ctx, o.id, { note: 'gift' });
    clock.advance(500);
    await cancelOrder(t.db, ctx, o.id);
    expect((await rows(ctx.tenantId, c.id)).slice(1)).toEqual([
      ['update', ['lastName', 'note'], '2026-03-01T10:00:00.750Z'],
    ]);
    expect((await rows(ctx.tenantId, o.id)).slice(1)).toEqual([
      ['update', ['note'], '2026-03-01T10:00:01.250Z'],
      ['update', ['cancelledAt'], '2026-03-01T10:00:01.750Z'],
    ]);
  });
});

describe('fieldEditTimes', () => {
  it("is each field's latest Retailos edit; the sync's own writes do not count; unknown rows hide older ones", async () => {
    const { ctx, clock } = await context();
    const c = await createCustomer(t.db, ctx, { email: 'grace@example.com' });
    const at = (s: number) => new Date(Date.parse('2026-03-01T10:00:00Z') + s * 1000);
    clock.set(at(10));
    await updateCustomer(t.db, ctx, c.id, { note: 'one' });
    clock.set(at(20));
    await updateCustomer(t.db, ctx, c.id, { lastName: 'Hopper' });
    // The sync's write of Shopify's note is not a Retailos edit.
    await recordChanges(t.db, ctx.tenantId, 'shopify', [
      { entity: 'customer', entityId: c.id, version: 9, op: 'update', fields: ['note'], at: at(30) },
    ]);
    const keys = ['note', 'lastName', 'phone'];
    const before = await fieldEditTimes(t.db, ctx.tenantId, 'customer', c.id, keys);
    expect(Object.fromEntries(before)).toEqual({ note: at(10), lastName: at(20) });
    // A row with no field list between: the fields edited before it are unknown (the record's time).
    await recordChanges(t.db, ctx.tenantId, 'api', [
      { entity: 'customer', entityId: c.id, version: 9, op: 'update', at: at(15) },
    ]);
    const after = await fieldEditTimes(t.db, ctx.tenantId, 'customer', c.id, keys);
    expect(Object.fromEntries(after)).toEqual({ lastName: at(20) });
    // A push handed back to the outbox with no change row of its own (stamped with the database's time,
    // after this test's clock) changes no field: it hides no edit.
    const order = randomUUID();
    await returnToOutbox(t.db, ctx.tenantId, 'order', order);
    await recordChanges(t.db, ctx.tenantId, 'user', [
      { entity: 'order', entityId: order, version: 2, op: 'update', fields: ['note'], at: at(40) },
    ]);
    const times = await fieldEditTimes(t.db, ctx.tenantId, 'order', order, ['note']);
    expect(Object.fromEntries(times)).toEqual({ note: at(40) });
  });
});
