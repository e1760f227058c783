import { changedKeys, sameJson } from './merge-json.ts';
import { productSnapshot, variantSnapshot, type ProductSyncFields } from './shopify-map/snapshot.ts';

type ProductFields = Omit<ProductSyncFields, 'variants'> & {
  variants: readonly (ProductSyncFields['variants'][number] & { id: string })[];
};

/** The key naming one Retailos variant in a change row: `variants[<variant id>]`. */
export const variantEditKey = (variantId: string): string => `variants[${variantId}]`;

/**
 * The keys a Retailos write of a product changed, as its change row names them (`changes.fields`): the
 * snapshot's top-level keys, and for each variant it added, removed or edited `variants[<variant id>]`,
 * with `variants[<variant id>].<field>` for each field of an edited variant. The merge takes a variant
 * field's Retailos edit time from them, so an edit of one variant (or of another field of it) does not
 * make an older edit of this field look later.
 */
export function productEditKeys(before: ProductFields | null, after: ProductFields | null): string[] {
  const keys = changedKeys(before && productSnapshot(before), after && productSnapshot(after));
  const was = new Map((before?.variants ?? []).map((v) => [v.id, variantSnapshot(v)]));
  const now = new Map((after?.variants ?? []).map((v) => [v.id, variantSnapshot(v)]));
  for (const id of new Set([...was.keys(), ...now.keys()])) {
    const b = was.get(id);
    const a = now.get(id);
    if (b && a && sameJson(b, a)) continue;
    keys.push(variantEditKey(id));
    if (b && a) for (const f of changedKeys(b, a)) keys.push(`${variantEditKey(id)}.${f}`);
  }
  return keys;
}
