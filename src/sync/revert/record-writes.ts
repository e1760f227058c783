import { updateCustomer } from '../../core/customers.ts';
import { updateOrder } from '../../core/orders.ts';
import { updateProduct } from '../../core/products.ts';
import type { WriteContext } from '../../core/write-context.ts';
import type { Db } from '../../db/db.ts';
import type { CustomerInput } from '../../domain/customer-input.ts';
import type { Product } from '../../domain/entities.ts';
import type { OrderUpdateInput } from '../../domain/order-input.ts';
import type { ProductInput, VariantInput } from '../../domain/product-input.ts';
import { canonicalJson, type Json } from '../../domain/shopify-map/index.ts';
import type { MergedKind } from '../../domain/synced-kinds.ts';

/**
 * A revert's write to Retailos: the target snapshot turned into the input of the back-office use case
 * a merchant's edit goes through (products, customers, orders), so it records its `changes` row and is
 * pushed like any edit. Only the fields that differ from the record's current snapshot are sent.
 */

type Snap = Record<string, Json>;

const differs = (a: Json | undefined, b: Json | undefined): boolean =>
  canonicalJson(a ?? null) !== canonicalJson(b ?? null);

/** The top-level fields of `target` that differ from `current`, among `fields`. */
function changed(fields: readonly string[], target: Snap, current: Snap): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const f of fields) if (differs(target[f], current[f])) out[f] = target[f] ?? null;
  return out;
}

interface SnapVariant {
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number;
  optionValues: { name: string; value: string }[];
}

/** A variant's identity across snapshots: its SKU, else its position (as the merge rules key it). */
const variantKey = (v: { sku: string | null; position: number }): string => v.sku ?? `#${v.position}`;

/** The product input: changed fields; when variants changed, the complete list matched to the current ids. */
export function productInput(record: Product, target: Snap, current: Snap): ProductInput {
  const fields = ['title', 'handle', 'descriptionHtml', 'vendor', 'productType', 'status', 'tags'];
  const input = changed(fields, target, current) as ProductInput;
  if (!differs(target['variants'], current['variants'])) return input;
  const byKey = new Map(record.variants.map((v) => [variantKey(v), v]));
  const kept = new Set<string>();
  input.variants = (target['variants'] as unknown as SnapVariant[]).map((tv): VariantInput => {
    const cur = byKey.get(variantKey(tv));
    if (cur) kept.add(cur.id);
    return {
      ...(cur ? { id: cur.id } : {}),
      sku: tv.sku,
      barcode: tv.barcode,
      price: tv.price,
      compareAtPrice: tv.compareAtPrice,
      optionValues: tv.optionValues,
    };
  });
  const removed = record.variants.filter((v) => !kept.has(v.id)).map((v) => v.id);
  if (removed.length > 0) input.removeVariantIds = removed;
  return input;
}

const CUSTOMER_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'note', 'tags', 'addresses'];
/** orderUpdate writes only these (the rest of an order is Shopify's). */
export const ORDER_REVERTABLE = ['email', 'phone', 'note', 'tags'];

/**
 * Writes the target through the kind's update use case, on `db` (a transaction the caller joins).
 * `record` is the current Retailos record, `current` its snapshot.
 */
export async function writeTarget(
  db: Db,
  ctx: WriteContext,
  kind: MergedKind,
  record: { id: string },
  target: Snap,
  current: Snap,
): Promise<void> {
  switch (kind) {
    case 'product':
      await updateProduct(db, ctx, record.id, productInput(record as Product, target, current));
      return;
    case 'customer':
      await updateCustomer(db, ctx, record.id, changed(CUSTOMER_FIELDS, target, current) as CustomerInput);
      return;
    case 'order':
      await updateOrder(db, ctx, record.id, changed(ORDER_REVERTABLE, target, current) as OrderUpdateInput);
      return;
  }
}
