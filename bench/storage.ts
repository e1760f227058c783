import { randomUUID } from 'node:crypto';
import type { Db } from '../src/db/db.ts';
import { upsertProductBatch, type ProductBatchRow } from '../src/db/product-batch.ts';

export function makeProducts(n: number, offset = 0): ProductBatchRow[] {
  const at = new Date('2026-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, k) => {
    const i = offset + k;
    return {
      id: randomUUID(),
      title: `Bench product ${i} — Crème`,
      handle: `bench-product-${i}`,
      descriptionHtml: `<p>Description of <b>${i}</b></p>`,
      vendor: `Vendor ${i % 50}`,
      productType: 'Shirt',
      status: 'active',
      tags: ['bench', `t${i % 7}`],
      variants: [1, 2, 3].map((position) => ({
        id: randomUUID(),
        sku: `BENCH-${i}-${position}`,
        barcode: null,
        price: `${(i % 100) + 1}.99`,
        compareAtPrice: null,
        optionValues: [{ name: 'Size', value: ['S', 'M', 'L'][position - 1] ?? 'S' }],
        position,
      })),
      createdAt: at,
      updatedAt: at,
    };
  });
}

/** Through the storage layer: set-based upsert + change rows, one transaction per batch. */
export async function upsertAll(db: Db, tenantId: string, batches: ProductBatchRow[][]): Promise<number> {
  const start = performance.now();
  for (const batch of batches)
    await db.transaction((tx) => upsertProductBatch(tx, tenantId, 'system', batch));
  return performance.now() - start;
}

/** Baseline: plain multi-row INSERT … VALUES of the same rows (no upsert, no change rows). */
export async function rawInsertAll(db: Db, tenantId: string, batches: ProductBatchRow[][]): Promise<number> {
  const start = performance.now();
  for (const batch of batches) {
    await db.transaction(async (tx) => {
      const p: unknown[] = [];
      const values = batch.map((r) => {
        p.push(
          r.id,
          tenantId,
          r.title,
          r.handle,
          r.descriptionHtml,
          r.vendor,
          r.productType,
          r.status,
          r.tags,
          r.createdAt,
          r.updatedAt,
        );
        const b = p.length - 11;
        return `(${Array.from({ length: 11 }, (_, k) => `$${b + k + 1}`).join(',')})`;
      });
      await tx.query(
        `insert into products (id, tenant_id, title, handle, description_html, vendor, product_type, status, tags, created_at, updated_at) values ${values.join(',')}`,
        p,
      );
      const v: unknown[] = [];
      const vvalues = batch.flatMap((r) =>
        r.variants.map((x) => {
          v.push(
            x.id,
            tenantId,
            r.id,
            x.sku,
            x.barcode,
            x.price,
            x.compareAtPrice,
            JSON.stringify(x.optionValues),
            x.position,
          );
          const b = v.length - 9;
          return `(${Array.from({ length: 9 }, (_, k) => `$${b + k + 1}`).join(',')})`;
        }),
      );
      await tx.query(
        `insert into variants (id, tenant_id, product_id, sku, barcode, price, compare_at_price, option_values, position) values ${vvalues.join(',')}`,
        v,
      );
    });
  }
  return performance.now() - start;
}
