import type { FieldRule, MergeRules } from './merge.ts';
import type { CustomerSyncFields, OrderSyncFields, ProductSyncFields } from './shopify-map/snapshot.ts';

/**
 * Per-entity merge rules. Each table names every snapshot field (typed against the sync fields, so
 * a new field will not compile until someone decides how it merges).
 */

const value: FieldRule = { kind: 'value' };
const set: FieldRule = { kind: 'set' };
const remote: FieldRule = { kind: 'remote' };

/** Where a product merge puts a variant's identity (its link; see merge-product.ts). */
export const VARIANT_KEY = '$key';

/** A variant's key: its identity when the merge gave it one, else its SKU, else `#<position>`. */
function variantKey(v: { [k: string]: unknown }): string {
  const key = v[VARIANT_KEY];
  if (typeof key === 'string') return key;
  return typeof v['sku'] === 'string' ? v['sku'] : `#${String(v['position'])}`;
}

const productRules: Record<keyof ProductSyncFields, FieldRule> = {
  title: value,
  handle: value,
  descriptionHtml: value,
  vendor: value,
  productType: value,
  status: value,
  tags: set,
  variants: { kind: 'keyed', key: variantKey, fields: {} },
};
export const PRODUCT_MERGE_RULES: MergeRules = Object.freeze(productRules);

const customerRules: Record<keyof CustomerSyncFields, FieldRule> = {
  email: value,
  firstName: value,
  lastName: value,
  phone: value,
  note: value,
  tags: set,
  addresses: value,
};
export const CUSTOMER_MERGE_RULES: MergeRules = Object.freeze(customerRules);

/**
 * Orders: Shopify's orderUpdate can only write email, phone, note, tags and the shipping address (a
 * whole value: its lines belong together); every other field is Shopify's, so the merge always takes
 * remote's value for it.
 */
const orderRules: Record<keyof OrderSyncFields, FieldRule> = {
  email: value,
  phone: value,
  note: value,
  tags: set,
  shippingAddress: value,
  name: remote,
  number: remote,
  financialStatus: remote,
  fulfillmentStatus: remote,
  currency: remote,
  subtotalPrice: remote,
  totalTax: remote,
  totalPrice: remote,
  processedAt: remote,
  cancelledAt: remote,
  closedAt: remote,
  lineItems: remote,
};
export const ORDER_MERGE_RULES: MergeRules = Object.freeze(orderRules);
