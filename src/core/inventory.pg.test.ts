import { beforeAll, describe, expect, it } from 'vitest';
import { listChangesAfter } from '../db/changes.ts';
import { foreignIds } from '../db/inventory.ts';
import { failingAfterWrite, useTwoTenants } from '../../test-support/core-fixture.ts';
import { adjustInventory, listInventory, setInventory, setInventoryBatch } from './inventory.ts';
import { createLocation } from './locations.ts';
import { createProduct } from './products.ts';

const { t, clock, ctx, other, changeCount } = useTwoTenants();
let skus: Record<string, string>;
let shop: string;
let depot: string;
let theirVariant: string;
let theirLocation: string;

beforeAll(async () => {
  const p = await createProduct(t.db, ctx, {
    title: 'Tee',
    variants: ['S', 'M', 'L', 'XL'].map((s) => ({
      sku: `TEE-${s}`,
      price: '10',
      optionValues: [{ name: 'Size', value: s }],
    })),
  });
  skus = Object.fromEntries(p.variants.map((v) => [v.sku as string, v.id]));
  shop = (await createLocation(t.db, ctx, { name: 'Shop' })).id;
  depot = (await createLocation(t.db, ctx, { name: 'Depot' })).id;
  theirVariant = (await createProduct(t.db, other, { title: 'Theirs' })).variants[0]!.id;
  theirLocation = (await createLocation(t.db, other, { name: 'Their shop' })).id;
});

const v = (sku: string): string => skus[sku] as string;

async function counts(tenantId: string): Promise<{ changes: number; levels: number; adjustments: number }> {
  const { rows } = await t.db.query<{ levels: number; adjustments: number }>(
    `select (select count(*)::int from inventory_levels where tenant_id = $1) as levels,
            (select count(*)::int from inventory_adjustments where tenant_id = $1) as adjustments`,
    [tenantId],
  );
  return {
    changes: await changeCount(tenantId),
    ...(rows[0] as { levels: number; adjustments: number }),
  };
}

async function adjustments(variantId: string, locationId: string) {
  const { rows } = await t.db.query(
    `select delta_available, delta_on_hand, reason, origin from inventory_adjustments
     where variant_id = $1 and location_id = $2 order by id`,
    [variantId, locationId],
  );
  return rows;
}

describe('inventory in the core', () => {
  it('holds the variants and locations a write names until it commits, so none is deleted before its level is written', async () => {
    // A deletion committed between the check and the level's insert broke the level's foreign key: a
    // 500 on POST /api/inventory/adjust (issue 16's chaos run, seed 4). Each row found is locked (key
    // share: its xmax is this transaction's); the others are reported as not the tenant's.
    const locked = async (q: Parameters<typeof foreignIds>[0], table: string, id: string) =>
      (
        await q.query<{ locked: boolean }>(
          `select xmax::text = (pg_current_xact_id()::text::bigint % 4294967296)::text as locked
             from ${table} where id = $1`,
          [id],
        )
      ).rows[0]?.locked;
    await t.db.transaction(async (tx) => {
      const foreign = await foreignIds(tx, ctx.tenantId, [v('TEE-M'), theirVariant], [shop, theirLocation]);
      expect(foreign).toEqual({ variants: [theirVariant], locations: [theirLocation] });
      expect(await locked(tx, 'variants', v('TEE-M'))).toBe(true);
      expect(await locked(tx, 'locations', shop)).toBe(true);
      expect(await locked(tx, 'variants', v('TEE-L'))).toBe(false);
      expect(await locked(tx, 'locations', depot)).toBe(false);
    });
  });

  it('creates the level on first touch with a create change row and an adjustment row', async () => {
    const l = await setInventory(t.db, ctx, {
      variantId: v('TEE-S'),
      locationId: shop,
      available: 7,
      reason: 'received',
    });
    expect(l).toMatchObject({ variantId: v('TEE-S'), locationId: shop, available: 7, onHand: 7, version: 1 });
    expect((await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1)).toMatchObject({
      entity: 'inventory_level',
      entityId: l.id,
      version: 1,
      op: 'create',
      origin: 'user',
    });
    expect(await adjustments(v('TEE-S'), shop)).toEqual([
      { delta_available: 7, delta_on_hand: 7, reason: 'received', origin: 'user' },
    ]);
  });

  it('adjusts by a delta, bumping the version, with the origin on the adjustment and the change', async () => {
    const l = await adjustInventory(
      t.db,
      { ...ctx, origin: 'shopify' },
      { variantId: v('TEE-S'), locationId: shop, delta: -3, reason: 'sold' },
    );
    expect(l).toMatchObject({ available: 4, onHand: 4, version: 2 });
    expect((await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1)).toMatchObject({
      entityId: l.id,
      version: 2,
      op: 'update',
      origin: 'shopify',
    });
    expect((await adjustments(v('TEE-S'), shop)).at(-1)).toEqual({
      delta_available: -3,
      delta_on_hand: -3,
      reason: 'sold',
      origin: 'shopify',
    });
  });

  it('refuses stock below zero with negative_stock and writes nothing, not even a new level', async () => {
    const before = await counts(ctx.tenantId);
    await expect(
      adjustInventory(t.db, ctx, { variantId: v('TEE-S'), locationId: shop, delta: -5, reason: 'sold' }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      code: 'negative_stock',
    });
    await expect(
      adjustInventory(t.db, ctx, { variantId: v('TEE-M'), locationId: depot, delta: -1, reason: 'sold' }),
    ).rejects.toMatchObject({
      code: 'negative_stock',
    });
    await expect(
      setInventory(t.db, ctx, { variantId: v('TEE-M'), locationId: depot, available: -1, reason: 'count' }),
    ).rejects.toMatchObject({
      code: 'negative_stock',
    });
    expect(await counts(ctx.tenantId)).toEqual(before);
    expect((await listInventory(t.db, ctx.tenantId, { variantId: v('TEE-S') }, 10))[0]?.available).toBe(4);
  });

  it.each([
    [{ available: 1.5, reason: 'count' }],
    [{ available: 1, reason: '  ' }],
    [{ available: 3_000_000_000, reason: 'count' }],
    [{ available: 1, reason: 'count', variantId: 'TEE-M' }],
    [{ available: 1, reason: 'count', locationId: 'Shop' }],
  ])('refuses %j with validation_failed, writing nothing', async (input) => {
    const before = await counts(ctx.tenantId);
    const attempt = setInventory(t.db, ctx, { variantId: v('TEE-M'), locationId: shop, ...input });
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await counts(ctx.tenantId)).toEqual(before);
  });

  it('writes nothing when a set leaves an existing level as it is', async () => {
    const before = await counts(ctx.tenantId);
    const l = await setInventory(t.db, ctx, {
      variantId: v('TEE-S'),
      locationId: shop,
      available: 4,
      reason: 'count',
    });
    expect(l).toMatchObject({ available: 4, version: 2 });
    expect(await counts(ctx.tenantId)).toEqual(before);
  });

  it('refuses another tenant’s variant or location as not_found and leaves their data untouched', async () => {
    const mine = await counts(ctx.tenantId);
    const theirs = await counts(other.tenantId);
    const cases = [
      { variantId: theirVariant, locationId: shop },
      { variantId: v('TEE-S'), locationId: theirLocation },
      { variantId: theirVariant, locationId: theirLocation },
    ];
    for (const c of cases) {
      await expect(setInventory(t.db, ctx, { ...c, available: 1, reason: 'x' })).rejects.toMatchObject({
        kind: 'not_found',
      });
      await expect(adjustInventory(t.db, ctx, { ...c, delta: 1, reason: 'x' })).rejects.toMatchObject({
        kind: 'not_found',
      });
    }
    await expect(
      setInventoryBatch(t.db, ctx, [{ ...cases[0]!, available: 1, reason: 'x' }]),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect(await counts(ctx.tenantId)).toEqual(mine);
    expect(await counts(other.tenantId)).toEqual(theirs);
  });

  it('counts every one of several concurrent adjustments on one level', async () => {
    const key = { variantId: v('TEE-L'), locationId: depot };
    await Promise.all(
      [1, 2, 3, 4, 5].map((delta) => adjustInventory(t.db, ctx, { ...key, delta, reason: 'received' })),
    );
    const [level] = await listInventory(t.db, ctx.tenantId, key, 10);
    expect(level).toMatchObject({ available: 15, onHand: 15, version: 5 });
    expect(
      (await adjustments(key.variantId, key.locationId)).map((a) => a.delta_available as number).sort(),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves no level, adjustment or change row when the transaction fails after the write', async () => {
    const before = await counts(ctx.tenantId);
    const attempt = setInventory(failingAfterWrite(t.db), ctx, {
      variantId: v('TEE-XL'),
      locationId: shop,
      available: 9,
      reason: 'count',
    });
    await expect(attempt).rejects.toThrow('boom after the write');
    expect(await counts(ctx.tenantId)).toEqual(before);
  });

  it('sets many levels in one batch, writing changes only for the levels that moved', async () => {
    const before = await counts(ctx.tenantId);
    clock.advance(60_000);
    const levels = await setInventoryBatch(t.db, { ...ctx, origin: 'shopify' }, [
      { variantId: v('TEE-S'), locationId: shop, available: 4, reason: 'import' },
      { variantId: v('TEE-M'), locationId: shop, available: 2, reason: 'import' },
      { variantId: v('TEE-XL'), locationId: depot, available: 0, reason: 'import' },
      { variantId: v('TEE-L'), locationId: depot, available: 20, reason: 'import' },
    ]);
    expect(levels.map((l) => [l.variantId, l.available, l.version])).toEqual([
      [v('TEE-S'), 4, 2],
      [v('TEE-M'), 2, 1],
      [v('TEE-XL'), 0, 1],
      [v('TEE-L'), 20, 6],
    ]);
    const after = await counts(ctx.tenantId);
    expect(after).toEqual({
      changes: before.changes + 3,
      levels: before.levels + 2,
      adjustments: before.adjustments + 3,
    });
    const recent = (await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).slice(-3);
    expect(recent.map((c) => [c.entityId, c.op, c.version, c.origin]).sort()).toEqual(
      [
        [levels[1]!.id, 'create', 1, 'shopify'],
        [levels[2]!.id, 'create', 1, 'shopify'],
        [levels[3]!.id, 'update', 6, 'shopify'],
      ].sort(),
    );
  });

  it('refuses a whole batch when one level would go negative or appears twice, writing nothing', async () => {
    const before = await counts(ctx.tenantId);
    const good = { variantId: v('TEE-XL'), locationId: shop, available: 3, reason: 'import' };
    await expect(
      setInventoryBatch(t.db, ctx, [
        good,
        { variantId: v('TEE-M'), locationId: depot, available: -2, reason: 'import' },
      ]),
    ).rejects.toMatchObject({
      code: 'negative_stock',
    });
    await expect(setInventoryBatch(t.db, ctx, [good, { ...good, available: 4 }])).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(await counts(ctx.tenantId)).toEqual(before);
  });

  it('lists levels by variant, location or SKU, newest first, paging without gaps', async () => {
    expect(
      (await listInventory(t.db, ctx.tenantId, { sku: 'TEE-M' }, 10)).map((l) => [l.sku, l.locationId]),
    ).toEqual([['TEE-M', shop]]);
    expect(
      (await listInventory(t.db, ctx.tenantId, { locationId: depot }, 10)).map((l) => l.sku).sort(),
    ).toEqual(['TEE-L', 'TEE-XL']);
    expect(await listInventory(t.db, other.tenantId, {}, 10)).toEqual([]);
    const all = await listInventory(t.db, ctx.tenantId, {}, 100);
    const seen: string[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await listInventory(t.db, ctx.tenantId, {}, 2, after);
      seen.push(...page.map((l) => l.id));
      const last = page.at(-1);
      if (page.length < 2 || !last) break;
      after = { at: last.createdAt, id: last.id };
    }
    expect(all).toHaveLength(4);
    expect(
      all
        .slice(0, 2)
        .map((l) => l.sku)
        .sort(),
    ).toEqual(['TEE-M', 'TEE-XL']);
    expect(seen).toEqual(all.map((l) => l.id));
  });
});
