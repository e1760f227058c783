import type { ChangeOrigin, Product } from '../domain/entities.ts';
import { recordChanges } from './changes.ts';
import type { Queryable } from './db.ts';

/** A product with caller-chosen ids (the import resolves them from its id map). */
export type ProductBatchRow = Omit<Product, 'createdAt' | 'updatedAt' | 'version'> & {
  updatedAt: Date;
  createdAt: Date;
};

/**
 * Set-based upsert of many products and their variants: one statement for products, one for variants,
 * one for the change rows, all in the caller's transaction. Returns how many products were inserted
 * (the rest were updated). Variants missing from a product's list are not deleted here. `origin` null:
 * no change rows (the import writes none, decision 0007).
 */
export async function upsertProductBatch(
  tx: Queryable,
  tenantId: string,
  origin: ChangeOrigin | null,
  products: readonly ProductBatchRow[],
): Promise<{ inserted: number; updated: number }> {
  if (products.length === 0) return { inserted: 0, updated: 0 };
  const { rows } = await tx.query<{ id: string; version: number; inserted: boolean }>(
    `insert into products (id, tenant_id, title, handle, description_html, vendor, product_type, status, tags, created_at, updated_at)
     select r.id, $1, r.title, r.handle, r.description_html, r.vendor, r.product_type, r.status, r.tags, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, title text, handle text, description_html text, vendor text,
       product_type text, status text, tags text[], created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set title = excluded.title, handle = excluded.handle,
       description_html = excluded.description_html, vendor = excluded.vendor, product_type = excluded.product_type,
       status = excluded.status, tags = excluded.tags, updated_at = excluded.updated_at, version = products.version + 1
     where products.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [tenantId, JSON.stringify(products.map(productRecord))],
  );
  if (rows.length !== products.length) {
    throw new Error(`product batch: ${products.length - rows.length} ids belong to another tenant`);
  }
  await tx.query(
    `insert into variants (id, tenant_id, product_id, sku, barcode, price, compare_at_price, option_values, position, created_at, updated_at)
     select r.id, $1, r.product_id, r.sku, r.barcode, r.price, r.compare_at_price, r.option_values, r.position, $3, $3
     from jsonb_to_recordset($2::jsonb) as r(id uuid, product_id uuid, sku text, barcode text, price numeric,
       compare_at_price numeric, option_values jsonb, position integer)
     on conflict (id) do update set sku = excluded.sku, barcode = excluded.barcode, price = excluded.price,
       compare_at_price = excluded.compare_at_price, option_values = excluded.option_values,
       position = excluded.position, updated_at = excluded.updated_at, version = variants.version + 1
     where variants.tenant_id = excluded.tenant_id`,
    [tenantId, JSON.stringify(products.flatMap(variantRecords)), products[0]?.updatedAt ?? new Date()],
  );
  const inserted = rows.filter((r) => r.inserted).length;
  if (origin !== null)
    await recordChanges(
      tx,
      tenantId,
      origin,
      rows.map((r) => ({
        entity: 'product',
        entityId: r.id,
        version: r.version,
        op: r.inserted ? 'create' : 'update',
      })),
    );
  return { inserted, updated: rows.length - inserted };
}

function productRecord(p: ProductBatchRow) {
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    description_html: p.descriptionHtml,
    vendor: p.vendor,
    product_type: p.productType,
    status: p.status,
    tags: p.tags,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

function variantRecords(p: ProductBatchRow) {
  return p.variants.map((v) => ({
    id: v.id,
    product_id: p.id,
    sku: v.sku,
    barcode: v.barcode,
    price: v.price,
    compare_at_price: v.compareAtPrice,
    option_values: v.optionValues,
    position: v.position,
  }));
}

/**
 * Before a batch rewrites known products: their variants not in `keep` are deleted (returned, so their
 * links can go), and the SKUs of the kept ones are freed so a SKU can move between variants.
 */
export async function dropVariantsNotIn(
  tx: Queryable,
  tenantId: string,
  productIds: readonly string[],
  keep: readonly string[],
  known: readonly string[],
): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `delete from variants where tenant_id = $1 and product_id = any($2::uuid[]) and not (id = any($3::uuid[])) returning id`,
    [tenantId, productIds, keep],
  );
  await tx.query('update variants set sku = null where tenant_id = $1 and id = any($2::uuid[])', [
    tenantId,
    known,
  ]);
  return rows.map((r) => r.id);
}
