import { recordChanges } from '../db/changes.ts';
import type { Db, Queryable } from '../db/db.ts';
import {
  deleteProductRow,
  getProduct,
  insertProduct,
  listProducts,
  listProductsJson,
  replaceVariants,
  updateProductRow,
  type PageCursor,
  type ProductPageJson,
  type ProductFilter,
} from '../db/products.ts';
import { rethrowConstraint } from './unique.ts';
import type { Product } from '../domain/entities.ts';
import {
  draftProduct,
  duplicateSkus,
  type ProductDraft,
  type ProductInput,
} from '../domain/product-input.ts';
import { CoreError, notFound } from './errors.ts';
import type { WriteContext } from './write-context.ts';

function checkDraft(draft: ProductDraft, current?: Product): void {
  if (!draft.title)
    throw new CoreError('invalid', 'validation_failed', 'title must not be empty', { field: 'title' });
  const dups = duplicateSkus(draft.variants);
  if (dups.length > 0)
    throw new CoreError('conflict', 'duplicate_sku', 'two variants share a SKU', { skus: dups });
  const known = new Set(current?.variants.map((v) => v.id) ?? []);
  const foreign = draft.variants.flatMap((v) => (v.id && !known.has(v.id) ? [v.id] : []));
  if (foreign.length > 0) {
    throw new CoreError('invalid', 'unknown_variant', 'variant ids must belong to this product', {
      ids: foreign,
    });
  }
}

async function loadOrThrow(tx: Queryable, ctx: WriteContext, id: string): Promise<Product> {
  const p = await getProduct(tx, ctx.tenantId, id, true);
  if (!p) throw notFound('product', id);
  return p;
}

export async function createProduct(db: Db, ctx: WriteContext, input: ProductInput): Promise<Product> {
  const draft = draftProduct(input);
  checkDraft(draft);
  const now = ctx.clock.now();
  return db
    .transaction(async (tx) => {
      const id = await insertProduct(tx, ctx.tenantId, draft, now);
      await replaceVariants(tx, ctx.tenantId, id, draft.variants, now);
      await recordChanges(tx, ctx.tenantId, ctx.origin, [
        { entity: 'product', entityId: id, version: 1, op: 'create' },
      ]);
      return (await getProduct(tx, ctx.tenantId, id)) as Product;
    })
    .catch(rethrowConstraint);
}

export async function updateProduct(
  db: Db,
  ctx: WriteContext,
  id: string,
  input: ProductInput,
): Promise<Product> {
  const now = ctx.clock.now();
  return db
    .transaction(async (tx) => {
      const current = await loadOrThrow(tx, ctx, id);
      const draft = draftProduct(input, current);
      checkDraft(draft, current);
      const version = await updateProductRow(tx, ctx.tenantId, id, draft, now);
      if (input.variants) await replaceVariants(tx, ctx.tenantId, id, draft.variants, now);
      await recordChanges(tx, ctx.tenantId, ctx.origin, [
        { entity: 'product', entityId: id, version, op: 'update' },
      ]);
      return (await getProduct(tx, ctx.tenantId, id)) as Product;
    })
    .catch(rethrowConstraint);
}

export async function deleteProduct(db: Db, ctx: WriteContext, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const version = await deleteProductRow(tx, ctx.tenantId, id);
    if (version === undefined) throw notFound('product', id);
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'product', entityId: id, version: version + 1, op: 'delete' },
    ]);
  });
}

export async function findProduct(db: Db, tenantId: string, id: string): Promise<Product> {
  const p = await getProduct(db, tenantId, id);
  if (!p) throw notFound('product', id);
  return p;
}

export function searchProducts(
  db: Db,
  tenantId: string,
  filter: ProductFilter,
  limit: number,
  after?: PageCursor,
) {
  return listProducts(db, tenantId, filter, limit, after);
}

/** `searchProducts` serialised by the database, for the list endpoint (no row parsing in the server). */
export function searchProductsJson(
  db: Db,
  tenantId: string,
  filter: ProductFilter,
  limit: number,
  after?: PageCursor,
): Promise<ProductPageJson> {
  return listProductsJson(db, tenantId, filter, limit, after);
}
