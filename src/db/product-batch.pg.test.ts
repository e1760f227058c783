import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { listChangesAfter } from './changes.ts';
import { upsertProductBatch, type ProductBatchRow } from './product-batch.ts';
import { getProduct } from './products.ts';

let t: TestDb;
let tenantId: string;
beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
});
afterAll(async () => {
  await t.close();
});

function row(i: number, title = `Batch ${i}`): ProductBatchRow {
  const at = new Date('2026-02-01T00:00:00Z');
  return {
    id: randomUUID(),
    title,
    handle: `batch-${i}`,
    descriptionHtml: '<p>x</p>',
    vendor: 'V',
    productType: 'T',
    status: 'active',
    tags: ['a', 'b'],
    variants: [1, 2].map((n) => ({
      id: randomUUID(),
      sku: `B-${i}-${n}`,
      barcode: null,
      price: '9.90',
      compareAtPrice: null,
      optionValues: [{ name: 'Size', value: String(n) }],
      position: n,
    })),
    createdAt: at,
    updatedAt: at,
  };
}

describe('set-based product upsert', () => {
  it('inserts a batch, then updates it in place with one change row per product each time', async () => {
    const rows = [row(1), row(2), row(3)];
    const before = (await listChangesAfter(t.db, tenantId, 0, 1000)).length;
    expect(await t.db.transaction((tx) => upsertProductBatch(tx, tenantId, 'shopify', rows))).toEqual({
      inserted: 3,
      updated: 0,
    });
    const again = rows.map((r) => ({ ...r, title: `${r.title}!` }));
    expect(await t.db.transaction((tx) => upsertProductBatch(tx, tenantId, 'shopify', again))).toEqual({
      inserted: 0,
      updated: 3,
    });
    const p = await getProduct(t.db, tenantId, rows[0]!.id);
    expect(p).toMatchObject({ title: 'Batch 1!', version: 2, tags: ['a', 'b'] });
    expect(p?.variants.map((v) => v.sku)).toEqual(['B-1-1', 'B-1-2']);
    const changes = (await listChangesAfter(t.db, tenantId, 0, 1000)).slice(before);
    expect(changes.map((c) => c.op)).toEqual(['create', 'create', 'create', 'update', 'update', 'update']);
    expect(changes.every((c) => c.origin === 'shopify')).toBe(true);
  });

  it('writes the same products and no change rows when the origin is null (the import, decision 0007)', async () => {
    const rows = [row(20), row(21)];
    const before = (await listChangesAfter(t.db, tenantId, 0, 1000)).length;
    expect(await t.db.transaction((tx) => upsertProductBatch(tx, tenantId, null, rows))).toEqual({
      inserted: 2,
      updated: 0,
    });
    const again = rows.map((r) => ({ ...r, title: `${r.title}!` }));
    expect(await t.db.transaction((tx) => upsertProductBatch(tx, tenantId, null, again))).toEqual({
      inserted: 0,
      updated: 2,
    });
    expect(await getProduct(t.db, tenantId, rows[1]!.id)).toMatchObject({ title: 'Batch 21!', version: 2 });
    expect(await listChangesAfter(t.db, tenantId, 0, 1000)).toHaveLength(before);
  });

  it('refuses ids of another tenant and rolls the whole batch back', async () => {
    const otherTenant = await insertTenant(t.db, 'other');
    const theirs = row(10);
    await t.db.transaction((tx) => upsertProductBatch(tx, otherTenant, 'shopify', [theirs]));
    const mine = row(11);
    const attempt = t.db.transaction((tx) =>
      upsertProductBatch(tx, tenantId, 'shopify', [mine, { ...theirs, title: 'stolen' }]),
    );
    await expect(attempt).rejects.toThrow(/another tenant/);
    expect(await getProduct(t.db, tenantId, mine.id)).toBeUndefined();
    expect((await getProduct(t.db, otherTenant, theirs.id))?.title).toBe('Batch 10');
  });
});
