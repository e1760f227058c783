import { attempt } from './common.ts';
import type { Mapped, ShopifyAddress, ShopifyLineItem, ShopifyOrder } from './shapes.ts';
import { addressFromWebhook } from './webhook-customer.ts';
import {
  asPayload,
  fromWebhook,
  isoUtc,
  moneyBag,
  Reader,
  refGid,
  resourceGid,
  type FromWebhook,
  type Payload,
} from './webhook-payload.ts';

/** REST `fulfillment_status` → `displayFulfillmentStatus`; null means nothing is fulfilled yet. */
const FULFILLMENT: Readonly<Record<string, string>> = {
  fulfilled: 'FULFILLED',
  partial: 'PARTIALLY_FULFILLED',
  restocked: 'RESTOCKED',
  unfulfilled: 'UNFULFILLED',
  unshipped: 'UNFULFILLED',
};

/** Unknown values go through upper-cased, so `mapOrder` names them when it refuses. */
function fulfillment(r: Reader): string {
  const v = r.text('fulfillment_status');
  if (v === null) return r.p['fulfillment_status'] === null ? 'UNFULFILLED' : '';
  return FULFILLMENT[v.toLowerCase()] ?? v.toUpperCase();
}

/** REST `financial_status` is the GraphQL enum in lower case (pending, partially_paid, voided…). */
function financial(r: Reader): string | null {
  const v = r.text('financial_status');
  return v === null ? null : v.toUpperCase();
}

function customer(r: Reader): { id: string } | null {
  const c = r.raw('customer');
  if (c === undefined || c === null) return null;
  return { id: resourceGid(asPayload(c, 'order customer'), 'Customer', 'order customer') };
}

/** `shipping_address` (null: the order has none; absent: noted missing, so the order is read back). */
function shippingAddress(r: Reader): ShopifyAddress | null {
  const a = r.raw('shipping_address');
  if (a === undefined || a === null) return null;
  return addressFromWebhook(asPayload(a, 'order shipping address'), 'order shipping address');
}

function lineItem(l: Payload, index: number, currency: string | null, missing: string[]): ShopifyLineItem {
  const gid = resourceGid(l, 'LineItem', `line item ${index + 1}`);
  const r = new Reader(l, `line item ${gid}`);
  const quantity = r.raw('quantity');
  if (quantity !== undefined && typeof quantity !== 'number') throw r.bad('quantity', quantity, 'a number');
  const variantGid = refGid(l, 'variant_id', 'ProductVariant');
  if (l['variant_id'] === undefined) r.missing.push('variant_id');
  const out: ShopifyLineItem = {
    id: gid,
    sku: r.text('sku'),
    title: r.text('title') ?? '',
    quantity: quantity ?? 0,
    originalUnitPriceSet: moneyBag(r, 'price', currency) ?? { shopMoney: { amount: '' } },
    variant: variantGid === null ? null : { id: variantGid },
  };
  missing.push(...r.missing.map((k) => `line_items[].${k}`));
  return out;
}

function currencyOf(p: Payload): string | null {
  if (typeof p['currency'] === 'string') return p['currency'];
  const set = p['total_price_set'] as { shop_money?: { currency_code?: unknown } } | null | undefined;
  const code = set?.shop_money?.currency_code;
  return typeof code === 'string' ? code : null;
}

/**
 * orders/create|updated|paid|cancelled|fulfilled|partially_fulfilled → the GraphQL order and
 * line-item lines `mapOrder` reads. Money comes from the shop-currency `*_set` bags, else the plain
 * decimal strings.
 */
export function orderFromWebhook(
  body: unknown,
): Mapped<FromWebhook<{ order: ShopifyOrder; lineItems: ShopifyLineItem[] }>> {
  return attempt(() => {
    const p = asPayload(body, 'order');
    const gid = resourceGid(p, 'Order');
    const r = new Reader(p, `order ${gid}`);
    const currency = currencyOf(p);
    if (currency === null) r.missing.push('currency');
    const updatedAt = r.requiredTime('updated_at');
    const order: ShopifyOrder = {
      id: gid,
      name: r.text('name') ?? '',
      email: r.text('email'),
      phone: r.text('phone'),
      customer: customer(r),
      displayFinancialStatus: financial(r),
      displayFulfillmentStatus: fulfillment(r),
      currencyCode: currency ?? '',
      subtotalPriceSet: moneyBag(r, 'subtotal_price', currency),
      totalTaxSet: moneyBag(r, 'total_tax', currency),
      totalPriceSet: moneyBag(r, 'total_price', currency) ?? { shopMoney: { amount: '' } },
      note: r.text('note'),
      tags: r.tags(),
      shippingAddress: shippingAddress(r),
      processedAt: r.requiredTime('processed_at').iso,
      cancelledAt: nullableIso(r, 'cancelled_at'),
      closedAt: nullableIso(r, 'closed_at'),
      createdAt: r.requiredTime('created_at').iso,
      updatedAt: updatedAt.iso,
    };
    const lines = r.list('line_items');
    const missing = [...r.missing];
    const lineItems = (lines ?? []).map((l, i) => lineItem(l, i, currency, missing));
    return fromWebhook(gid, updatedAt.date, missing, { order, lineItems });
  });
}

function nullableIso(r: Reader, key: string): string | null {
  const d = r.time(key);
  return d === null ? null : isoUtc(d);
}
