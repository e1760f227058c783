import { describe, expect, it } from 'vitest';
import { listChangesAfter } from '../db/changes.ts';
import { useTwoTenants } from '../../test-support/core-fixture.ts';
import { createLocation, findLocation, searchLocations, updateLocation } from './locations.ts';

const { t, clock, ctx, other, changeCount } = useTwoTenants();

describe('locations in the core', () => {
  it('creates a location with a trimmed name and address, active by default, with a change row', async () => {
    const l = await createLocation(t.db, ctx, { name: ' Warehouse ', address: { city: ' Lille ', zip: '' } });
    expect(l).toMatchObject({ name: 'Warehouse', address: { city: 'Lille' }, active: true, version: 1 });
    expect((await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1)).toMatchObject({
      entity: 'location',
      entityId: l.id,
      op: 'create',
      version: 1,
    });
    expect(await findLocation(t.db, ctx.tenantId, l.id)).toEqual(l);
  });

  it('refuses a duplicate name in the tenant and writes nothing; another tenant may use it', async () => {
    const before = await changeCount(ctx.tenantId);
    const count = (await searchLocations(t.db, ctx.tenantId)).length;
    await expect(createLocation(t.db, ctx, { name: 'Warehouse' })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'duplicate_location_name',
    });
    expect(await changeCount(ctx.tenantId)).toBe(before);
    expect(await searchLocations(t.db, ctx.tenantId)).toHaveLength(count);
    expect((await createLocation(t.db, other, { name: 'Warehouse' })).name).toBe('Warehouse');
  });

  it('refuses renaming onto another location’s name, keeping the original', async () => {
    const shop = await createLocation(t.db, ctx, { name: 'Shop' });
    const before = await changeCount(ctx.tenantId);
    await expect(updateLocation(t.db, ctx, shop.id, { name: 'Warehouse' })).rejects.toMatchObject({
      code: 'duplicate_location_name',
    });
    expect((await findLocation(t.db, ctx.tenantId, shop.id)).name).toBe('Shop');
    expect(await changeCount(ctx.tenantId)).toBe(before);
  });

  it.each([
    [{ name: '  ' }],
    [{ name: 'X', address: { city: 3 } }],
    [{ name: 'X', active: 'yes' }],
    [{ name: 'X', id: 'forged' }],
  ])('refuses %j with validation_failed and writes nothing', async (input) => {
    const before = await changeCount(ctx.tenantId);
    await expect(createLocation(t.db, ctx, input as never)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'validation_failed',
    });
    expect(await changeCount(ctx.tenantId)).toBe(before);
  });

  it('updates name, address and active, bumping the version', async () => {
    const l = await createLocation(t.db, ctx, { name: 'Popup', address: { city: 'Nice' } });
    clock.advance(500);
    const u = await updateLocation(t.db, { ...ctx, origin: 'shopify' }, l.id, {
      active: false,
      address: { city: 'Cannes' },
    });
    expect(u).toMatchObject({ name: 'Popup', active: false, address: { city: 'Cannes' }, version: 2 });
    expect((await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1)).toMatchObject({
      entityId: l.id,
      op: 'update',
      version: 2,
      origin: 'shopify',
    });
    expect(
      (await searchLocations(t.db, ctx.tenantId, { activeOnly: true })).map((x) => x.name),
    ).not.toContain('Popup');
  });

  it('lists only the tenant’s locations by name and cannot touch another tenant’s', async () => {
    const theirs = await createLocation(t.db, other, { name: 'Theirs' });
    expect((await searchLocations(t.db, ctx.tenantId)).map((l) => l.name)).toEqual([
      'Popup',
      'Shop',
      'Warehouse',
    ]);
    await expect(findLocation(t.db, ctx.tenantId, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateLocation(t.db, ctx, theirs.id, { name: 'Mine' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await findLocation(t.db, other.tenantId, theirs.id)).toEqual(theirs);
    await expect(findLocation(t.db, ctx.tenantId, 'nope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateLocation(t.db, ctx, 'nope', { name: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
