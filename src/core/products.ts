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
  duplicateOptions,
  duplicateSkus,
  variantListProblems,
  type ProductDraft,
  type ProductInput,
} from '../domain/product-input.ts';
import { productEditKeys } from '../domain/product-edit-keys.ts';
import { CoreError, notFound, requireVersion } from './errors.ts';
import { commitWrite, type WriteContext } from './write-context.ts';

function checkDraft(draft: ProductDraft, current?: Product): void {
  if (!draft.title)
    throw new CoreError('invalid', 'validation_failed', 'title must not be empty', { field: 'title' });
  const dups = duplicateSkus(draft.variants);
  if (dups.length > 0)
    throw new CoreError('conflict', 'duplicate_sku', 'two variants share a SKU', { skus: dups });
  const sameOptions = duplicateOptions(draft.variants);
  if (sameOptions.length > 0) {
    const names = sameOptions.map((o) => `"${o}"`).join(', ');
    throw new CoreError('invalid', 'duplicate_options', `two variants have the same options: ${names}`, {
      field: 'variants',
      options: sameOptions,
    });
  }
  const known = new Set(current?.variants.map((v) => v.id) ?? []);
  const foreign = draft.variants.flatMap((v) => (v.id && !known.has(v.id) ? [v.id] : []));
  if (foreign.length > 0) {
    throw new CoreError('invalid', 'unknown_variant', 'variant ids must belong to this product', {
      ids: foreign,
    });
  }
}

/** An update's variant list is complete: a variant is removed only when named in `removeVariantIds`. */
function checkVariantList(input: ProductInput, current: Product): void {
  const { missing, badRemovals } = variantListProblems(input, current);
  if (missing.length > 0) {
    throw new CoreError(
      'invalid',
      'incomplete_variant_list',
      'variants must list every variant of the product; name the ones to delete in remove_variant_ids',
      { field: 'variants', missing },
    );
  }
  if (badRemovals.length > 0) {
    throw new CoreError(
      'invalid',
      'unknown_variant',
      'remove_variant_ids must name variants of this product that variants does not list',
      { field: 'remove_variant_ids', ids: badRemovals },
    );
  }
  const removed = new Set(input.removeVariantIds ?? []);
  if (!input.variants && current.variants.every((v) => removed.has(v.id))) {
    throw new CoreError('invalid', 'validation_failed', 'a product keeps at least one variant', {
      field: 'remove_variant_ids',
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
  return commitWrite(db, ctx, async (tx) => {
    const id = await insertProduct(tx, ctx.tenantId, draft, now);
    await replaceVariants(tx, ctx.tenantId, id, draft.variants, now);
    const made = (await getProduct(tx, ctx.tenantId, id)) as Product;
    const fields = productEditKeys(null, made);
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'product', entityId: id, version: 1, op: 'create', fields, at: now },
    ]);
    return made;
  }).catch(rethrowConstraint);
}

/** With `expectedVersion`, only if the product is still at that version (else conflict `stale_version`). */
export async function updateProduct(
  db: Db,
  ctx: WriteContext,
  id: string,
  input: ProductInput,
  expectedVersion?: number,
): Promise<Product> {
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    const current = await loadOrThrow(tx, ctx, id);
    requireVersion('product', current, expectedVersion);
    const draft = draftProduct(input, current);
    checkDraft(draft, current);
    checkVariantList(input, current);
    const version = await updateProductRow(tx, ctx.tenantId, id, draft, now);
    if (input.variants || input.removeVariantIds)
      await replaceVariants(tx, ctx.tenantId, id, draft.variants, now);
    const updated = (await getProduct(tx, ctx.tenantId, id)) as Product;
    const fields = productEditKeys(current, updated);
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'product', entityId: id, version, op: 'update', fields, at: now },
    ]);
    return updated;
  }).catch(rethrowConstraint);
}

export async function deleteProduct(db: Db, ctx: WriteContext, id: string): Promise<void> {
  await commitWrite(db, ctx, async (tx) => {
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
