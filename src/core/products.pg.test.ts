import { describe, expect, it } from 'vitest';
import { listChangesAfter } from '../db/changes.ts';
import { noListener, useTwoTenants } from '../../test-support/core-fixture.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { CoreError } from './errors.ts';
import { createProduct, deleteProduct, findProduct, searchProducts, updateProduct } from './products.ts';

const { t, clock, ctx, other, changeCount } = useTwoTenants();

describe('products in the core', () => {
  it('creates a product with normalised fields, a default handle and one change row', async () => {
    const before = await changeCount(ctx.tenantId);
    const p = await createProduct(t.db, ctx, {
      title: '  Crème Tee ',
      tags: ['b', 'a', 'a'],
      variants: [
        { sku: 'TEE-S', price: '12.5', optionValues: [{ name: 'Size', value: 'S' }] },
        { sku: 'TEE-M', price: '13', compareAtPrice: '20.000', optionValues: [{ name: 'Size', value: 'M' }] },
      ],
    });
    expect(p).toMatchObject({
      title: 'Crème Tee',
      handle: 'creme-tee',
      tags: ['a', 'b'],
      status: 'active',
      version: 1,
    });
    expect(p.variants.map((v) => [v.sku, v.price, v.compareAtPrice, v.position])).toEqual([
      ['TEE-S', '12.50', null, 1],
      ['TEE-M', '13.00', '20.00', 2],
    ]);
    const changes = await listChangesAfter(t.db, ctx.tenantId, 0, 10_000);
    expect(changes.length).toBe(before + 1);
    expect(changes.at(-1)).toMatchObject({
      entity: 'product',
      entityId: p.id,
      version: 1,
      op: 'create',
      origin: 'user',
    });
  });

  it('refuses a SKU another product of the tenant has, and writes nothing', async () => {
    await createProduct(t.db, ctx, { title: 'First', variants: [{ sku: 'DUP-1', price: '1' }] });
    const before = await changeCount(ctx.tenantId);
    const attempt = createProduct(t.db, ctx, { title: 'Second', variants: [{ sku: 'DUP-1', price: '1' }] });
    await expect(attempt).rejects.toMatchObject({ code: 'duplicate_sku', kind: 'conflict' });
    expect(await changeCount(ctx.tenantId)).toBe(before);
    expect(await searchProducts(t.db, ctx.tenantId, { text: 'Second' }, 10)).toEqual([]);
  });

  it('allows the same SKU in another tenant', async () => {
    const p = await createProduct(t.db, other, { title: 'Theirs', variants: [{ sku: 'DUP-1', price: '1' }] });
    expect(p.variants[0]?.sku).toBe('DUP-1');
  });

  it('updates fields, bumps the version and keeps variant ids it was given', async () => {
    const p = await createProduct(t.db, ctx, {
      title: 'Mug',
      variants: [{ sku: 'MUG-1', price: '5', optionValues: [{ name: 'Size', value: 'S' }] }],
    });
    clock.advance(1000);
    const v1 = p.variants[0]!;
    const u = await updateProduct(t.db, { ...ctx, origin: 'shopify' }, p.id, {
      vendor: 'Acme',
      variants: [
        { id: v1.id, sku: 'MUG-1', price: '6' },
        { sku: 'MUG-2', price: '7', optionValues: [{ name: 'Size', value: 'M' }] },
      ],
    });
    expect(u.version).toBe(2);
    expect(u.vendor).toBe('Acme');
    expect(u.variants[0]).toMatchObject({ id: v1.id, price: '6.00' });
    expect(u.variants).toHaveLength(2);
    expect(u.updatedAt.getTime()).toBeGreaterThan(p.updatedAt.getTime());
    const last = (await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1);
    expect(last).toMatchObject({ entityId: p.id, version: 2, op: 'update', origin: 'shopify' });
  });

  it('an update lists variants by id: fields left out keep their values, options are never reset', async () => {
    const sizes = ['S', 'M', 'L'].map((s) => [{ name: 'Size', value: s }]);
    const p = await createProduct(t.db, ctx, {
      title: 'Three sizes',
      variants: sizes.map((o, i) => ({ sku: `THREE-${i}`, barcode: `B${i}`, price: '5', optionValues: o })),
    });
    const u = await updateProduct(t.db, ctx, p.id, {
      variants: p.variants.map((v) => ({ id: v.id, price: '6' })),
    });
    expect(u.variants.map((v) => [v.id, v.sku, v.barcode, v.price, v.optionValues])).toEqual(
      p.variants.map((v) => [v.id, v.sku, v.barcode, '6.00', v.optionValues]),
    );
  });

  it('refuses a partial variant list or identical options, naming them, and writes nothing', async () => {
    const p = await createProduct(t.db, ctx, {
      title: 'Partial',
      variants: ['S', 'M', 'L'].map((s) => ({ price: '5', optionValues: [{ name: 'Size', value: s }] })),
    });
    const before = await changeCount(ctx.tenantId);
    const [a, b, c] = p.variants;
    await expect(
      updateProduct(t.db, ctx, p.id, { variants: [{ id: a!.id, price: '6' }] }),
    ).rejects.toMatchObject({ code: 'incomplete_variant_list', details: { missing: [b!.id, c!.id] } });
    await expect(
      updateProduct(t.db, ctx, p.id, {
        variants: p.variants.map((v) => ({ id: v.id, price: '6', optionValues: [] })),
      }),
    ).rejects.toMatchObject({
      code: 'duplicate_options',
      kind: 'invalid',
      details: { options: ['Default Title'] },
    });
    expect(await changeCount(ctx.tenantId)).toBe(before);
    expect(await findProduct(t.db, ctx.tenantId, p.id)).toEqual(p);
    const removed = await updateProduct(t.db, ctx, p.id, { removeVariantIds: [b!.id] });
    expect(removed.variants.map((v) => [v.id, v.position])).toEqual([
      [a!.id, 1],
      [c!.id, 2],
    ]);
  });

  it('refuses a variant id from another product', async () => {
    const a = await createProduct(t.db, ctx, { title: 'A1' });
    const b = await createProduct(t.db, ctx, { title: 'B1' });
    const attempt = updateProduct(t.db, ctx, a.id, { variants: [{ id: b.variants[0]!.id, price: '1' }] });
    await expect(attempt).rejects.toMatchObject({ code: 'unknown_variant' });
  });

  it('cannot read, update or delete another tenant’s product', async () => {
    const theirs = await createProduct(t.db, other, { title: 'Private' });
    await expect(findProduct(t.db, ctx.tenantId, theirs.id)).rejects.toBeInstanceOf(CoreError);
    await expect(updateProduct(t.db, ctx, theirs.id, { title: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(deleteProduct(t.db, ctx, theirs.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await findProduct(t.db, other.tenantId, theirs.id)).title).toBe('Private');
  });

  it('deletes with a delete change row carrying the next version', async () => {
    const p = await createProduct(t.db, ctx, { title: 'Gone soon' });
    await deleteProduct(t.db, ctx, p.id);
    await expect(findProduct(t.db, ctx.tenantId, p.id)).rejects.toMatchObject({ code: 'not_found' });
    const last = (await listChangesAfter(t.db, ctx.tenantId, 0, 10_000)).at(-1);
    expect(last).toMatchObject({ entityId: p.id, op: 'delete', version: 2 });
  });

  it('searches text literally, treating LIKE and SQL metacharacters as text', async () => {
    await createProduct(t.db, ctx, { title: `100% cotton_'; drop table products; --` });
    await createProduct(t.db, ctx, { title: '1000 cottonX' });
    const hits = await searchProducts(t.db, ctx.tenantId, { text: '100% cotton_' }, 10);
    expect(hits.map((p) => p.title)).toEqual([`100% cotton_'; drop table products; --`]);
  });

  it('pages newest first without gaps or repeats', async () => {
    const fresh = {
      tenantId: await insertTenant(t.db, 'C'),
      origin: 'user' as const,
      clock,
      changesRecorded: noListener,
    };
    for (let i = 0; i < 7; i += 1) {
      clock.advance(1000);
      await createProduct(t.db, fresh, { title: `P${i}` });
    }
    const seen: string[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await searchProducts(t.db, fresh.tenantId, {}, 3, after);
      seen.push(...page.map((p) => p.title));
      const last = page.at(-1);
      if (page.length < 3 || !last) break;
      after = { at: last.createdAt, id: last.id };
    }
    expect(seen).toEqual(['P6', 'P5', 'P4', 'P3', 'P2', 'P1', 'P0']);
  });
});
