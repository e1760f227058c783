import { describe, expect, it } from 'vitest';
import { listChangesAfter } from '../db/changes.ts';
import { noListener, useTwoTenants } from '../../test-support/core-fixture.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import {
  createCustomer,
  deleteCustomer,
  findCustomer,
  searchCustomers,
  updateCustomer,
} from './customers.ts';

const { t, clock, ctx, other, changeCount } = useTwoTenants();

async function customerCount(tenantId: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    'select count(*)::int as n from customers where tenant_id = $1',
    [tenantId],
  );
  return rows[0]?.n ?? -1;
}

describe('customers in the core', () => {
  it('creates a customer with a lower-cased email, normalised fields and one change row', async () => {
    const before = await changeCount(ctx.tenantId);
    const c = await createCustomer(t.db, ctx, {
      email: '  Ann@Example.COM ',
      firstName: ' Ann ',
      lastName: 'Lee',
      phone: ' ',
      tags: ['vip', 'VIP', 'b2b'],
      addresses: [{ city: ' Lyon ', country: 'France', zip: '' }],
    });
    expect(c).toMatchObject({
      email: 'ann@example.com',
      firstName: 'Ann',
      phone: null,
      tags: ['b2b', 'vip'],
      version: 1,
    });
    expect(c.addresses).toEqual([{ city: 'Lyon', country: 'France' }]);
    const changes = await listChangesAfter(t.db, ctx.tenantId, 0, 10_000);
    expect(changes.length).toBe(before + 1);
    expect(changes.at(-1)).toMatchObject({
      entity: 'customer',
      entityId: c.id,
      version: 1,
      op: 'create',
      origin: 'user',
    });
    expect(await findCustomer(t.db, ctx.tenantId, c.id)).toEqual(c);
  });

  it('refuses a duplicate email in the tenant whatever its case, and writes nothing', async () => {
    await createCustomer(t.db, ctx, { email: 'dup@example.com' });
    const [changes, count] = [await changeCount(ctx.tenantId), await customerCount(ctx.tenantId)];
    await expect(createCustomer(t.db, ctx, { email: 'DUP@example.com' })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'duplicate_email',
    });
    expect(await changeCount(ctx.tenantId)).toBe(changes);
    expect(await customerCount(ctx.tenantId)).toBe(count);
    const theirs = await createCustomer(t.db, other, { email: 'dup@example.com' });
    expect(theirs.email).toBe('dup@example.com');
  });

  it('refuses an update to another customer’s email and leaves both unchanged', async () => {
    const a = await createCustomer(t.db, ctx, { email: 'a1@example.com' });
    await createCustomer(t.db, ctx, { email: 'b1@example.com' });
    const before = await changeCount(ctx.tenantId);
    await expect(updateCustomer(t.db, ctx, a.id, { email: 'B1@example.com' })).rejects.toMatchObject({
      code: 'duplicate_email',
    });
    expect((await findCustomer(t.db, ctx.tenantId, a.id)).email).toBe('a1@example.com');
    expect(await changeCount(ctx.tenantId)).toBe(before);
  });

  it.each([
    [{ email: 'not-an-email' }, 'email'],
    [{ note: 'no identity' }, 'email'],
    [{ firstName: 'X', addresses: [{ planet: 'Mars' }] }, 'addresses[0].planet'],
    [{ firstName: 'X', createdAt: '2020-01-01' }, 'createdAt'],
  ])('refuses invalid input %j naming %s, writing nothing', async (input, field) => {
    const [changes, count] = [await changeCount(ctx.tenantId), await customerCount(ctx.tenantId)];
    const attempt = createCustomer(t.db, ctx, input as never);
    await expect(attempt).rejects.toMatchObject({ kind: 'invalid', code: 'validation_failed' });
    const details = (await attempt.catch(
      (e: { details: { problems: { field: string }[] } }) => e.details,
    )) as {
      problems: { field: string }[];
    };
    expect(details.problems.map((p) => p.field)).toContain(field);
    expect(await changeCount(ctx.tenantId)).toBe(changes);
    expect(await customerCount(ctx.tenantId)).toBe(count);
  });

  it('updates the writable fields, keeps the others and bumps the version with the write origin', async () => {
    const c = await createCustomer(t.db, ctx, { email: 'up@example.com', firstName: 'Up', note: 'keep' });
    clock.advance(1000);
    const u = await updateCustomer(t.db, { ...ctx, origin: 'shopify' }, c.id, {
      lastName: 'Dated',
      phone: '+33 1 23',
      email: null,
    });
    expect(u).toMatchObject({
      firstName: 'Up',
      lastName: 'Dated',
      phone: '+33 1 23',
      email: null,
      note: 'keep',
      version: 2,
    });
    expect(u.updatedAt.getTime()).toBe(c.updatedAt.getTime() + 1000);
    const last = (await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1);
    expect(last).toMatchObject({
      entity: 'customer',
      entityId: c.id,
      version: 2,
      op: 'update',
      origin: 'shopify',
    });
  });

  it('cannot read, update or delete another tenant’s customer', async () => {
    const theirs = await createCustomer(t.db, other, { firstName: 'Private' });
    const before = await changeCount(ctx.tenantId);
    await expect(findCustomer(t.db, ctx.tenantId, theirs.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(updateCustomer(t.db, ctx, theirs.id, { firstName: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(deleteCustomer(t.db, ctx, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await findCustomer(t.db, other.tenantId, theirs.id)).toEqual(theirs);
    expect(await changeCount(ctx.tenantId)).toBe(before);
  });

  it('answers not_found for an id that is not a UUID', async () => {
    await expect(findCustomer(t.db, ctx.tenantId, 'not-a-uuid')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(updateCustomer(t.db, ctx, `x' or '1'='1`, { note: 'x' })).rejects.toMatchObject({
      kind: 'not_found',
    });
    await expect(deleteCustomer(t.db, ctx, '')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('deletes a customer without orders with a delete change row at the next version', async () => {
    const c = await createCustomer(t.db, ctx, { firstName: 'Gone' });
    await deleteCustomer(t.db, ctx, c.id);
    await expect(findCustomer(t.db, ctx.tenantId, c.id)).rejects.toMatchObject({ code: 'not_found' });
    const last = (await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1);
    expect(last).toMatchObject({ entity: 'customer', entityId: c.id, op: 'delete', version: 2 });
  });

  it('refuses to delete a customer an order references, keeping both', async () => {
    const c = await createCustomer(t.db, ctx, { firstName: 'Buyer' });
    await t.db.query(
      `insert into orders (tenant_id, name, number, customer_id, currency, subtotal_price, total_tax, total_price)
       values ($1, '#9001', 9001, $2, 'EUR', 0, 0, 0)`,
      [ctx.tenantId, c.id],
    );
    const before = await changeCount(ctx.tenantId);
    await expect(deleteCustomer(t.db, ctx, c.id)).rejects.toMatchObject({
      kind: 'conflict',
      code: 'customer_has_orders',
    });
    expect(await findCustomer(t.db, ctx.tenantId, c.id)).toEqual(c);
    expect(await changeCount(ctx.tenantId)).toBe(before);
  });

  it('finds by exact email whatever its case, and by name or email text with metacharacters taken literally', async () => {
    const s = {
      tenantId: await insertTenant(t.db, 'S'),
      origin: 'user' as const,
      clock,
      changesRecorded: noListener,
    };
    const odd = await createCustomer(t.db, s, {
      firstName: `50%_off'; drop table customers; --`,
      email: 'odd@x.io',
    });
    await createCustomer(t.db, s, { firstName: '500 offX', email: 'plain@x.io' });
    const jo = await createCustomer(t.db, s, { firstName: 'Jo', lastName: 'March', email: 'jo.march@x.io' });
    expect((await searchCustomers(t.db, s.tenantId, { text: `50%_off'` }, 10)).map((c) => c.id)).toEqual([
      odd.id,
    ]);
    expect((await searchCustomers(t.db, s.tenantId, { text: 'jo march' }, 10)).map((c) => c.id)).toEqual([
      jo.id,
    ]);
    expect((await searchCustomers(t.db, s.tenantId, { text: 'MARCH@' }, 10)).map((c) => c.id)).toEqual([
      jo.id,
    ]);
    expect((await searchCustomers(t.db, s.tenantId, { email: 'ODD@X.IO' }, 10)).map((c) => c.id)).toEqual([
      odd.id,
    ]);
    expect(await searchCustomers(t.db, s.tenantId, { email: 'odd@x' }, 10)).toEqual([]);
    expect(await searchCustomers(t.db, other.tenantId, { email: 'odd@x.io' }, 10)).toEqual([]);
  });

  it('filters by updatedSince and pages newest first without gaps or repeats', async () => {
    const fresh = {
      tenantId: await insertTenant(t.db, 'C'),
      origin: 'user' as const,
      clock,
      changesRecorded: noListener,
    };
    const made = [];
    for (let i = 0; i < 7; i += 1) {
      clock.advance(1000);
      made.push(await createCustomer(t.db, fresh, { firstName: `C${i}` }));
    }
    const seen: string[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await searchCustomers(t.db, fresh.tenantId, {}, 3, after);
      seen.push(...page.map((c) => c.firstName));
      const last = page.at(-1);
      if (page.length < 3 || !last) break;
      after = { at: last.createdAt, id: last.id };
    }
    expect(seen).toEqual(['C6', 'C5', 'C4', 'C3', 'C2', 'C1', 'C0']);
    const since = made[4]?.updatedAt as Date;
    const recent = await searchCustomers(t.db, fresh.tenantId, { updatedSince: since }, 10);
    expect(recent.map((c) => c.firstName)).toEqual(['C6', 'C5', 'C4']);
  });

  it('leaves no change row when the transaction fails after the write', async () => {
    const before = await changeCount(ctx.tenantId);
    const failing = {
      ...t.db,
      transaction: <T>(fn: (tx: Parameters<Parameters<typeof t.db.transaction>[0]>[0]) => Promise<T>) =>
        t.db.transaction(async (tx) => {
          await fn(tx);
          throw new Error('boom after the write');
        }),
    };
    await expect(createCustomer(failing, ctx, { email: 'rolled@back.io' })).rejects.toThrow(
      'boom after the write',
    );
    expect(await changeCount(ctx.tenantId)).toBe(before);
    expect(await searchCustomers(t.db, ctx.tenantId, { email: 'rolled@back.io' }, 10)).toEqual([]);
  });
});
