import {
  gid,
  restId,
  type AddressRecord,
  type LineItemRecord,
  type OrderRecord,
  type RefundRecord,
  type ShopData,
} from '../../store/index.ts';
import { customerPayload } from './customer.ts';
import { lower, moneySet, restTags, restTime } from './rest.ts';

const FULFILLMENT: Record<OrderRecord['fulfillmentStatus'], string | null> = {
  UNFULFILLED: null,
  PARTIALLY_FULFILLED: 'partial',
  FULFILLED: 'fulfilled',
};

/**
 * An order's shipping (or billing) address as orders payloads carry it: the address lines with a `name`,
 * province and country codes, and coordinates; unlike a customer address, no id, customer_id or default.
 */
function orderAddressPayload(a: AddressRecord): Record<string, unknown> {
  return {
    first_name: a.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: a.lastName,
    address2: a.address2,
    company: a.company,
    latitude: null,
    longitude: null,
    name: [a.firstName, a.lastName].filter((p) => p).join(' '),
    country_code: a.countryCode,
    province_code: a.provinceCode,
  };
}

export function orderPayload(shop: ShopData, o: OrderRecord): Record<string, unknown> {
  const set = (bag: { shop: string; presentment: string }) =>
    moneySet(bag, shop.currency, o.presentmentCurrency);
  const zero = set({ shop: '0.00', presentment: '0.00' });
  const refunded = refundedTotal(o);
  const current = {
    shop: minus(o.total.shop, refunded.shop),
    presentment: minus(o.total.presentment, refunded.presentment),
  };
  const customer = o.customerId === null ? undefined : shop.customers.get(o.customerId);
  const token = o.id.toString(16).padStart(32, '0');
  return {
    admin_graphql_api_id: gid('Order', o.id),
    app_id: null,
    billing_address: null,
    buyer_accepts_marketing: false,
    cancel_reason: lower(o.cancelReason),
    cancelled_at: restTime(o.cancelledAt),
    closed_at: restTime(o.closedAt),
    confirmed: true,
    contact_email: o.email,
    created_at: restTime(o.createdAt),
    currency: shop.currency,
    current_subtotal_price: o.subtotal.shop,
    current_subtotal_price_set: set(o.subtotal),
    current_total_discounts: '0.00',
    current_total_discounts_set: zero,
    current_total_price: current.shop,
    current_total_price_set: set(current),
    current_total_tax: o.totalTax.shop,
    current_total_tax_set: set(o.totalTax),
    customer: customer ? customerPayload(shop, customer) : null,
    discount_applications: [],
    discount_codes: [],
    email: o.email,
    estimated_taxes: false,
    financial_status: o.financialStatus.toLowerCase(),
    fulfillment_status: FULFILLMENT[o.fulfillmentStatus],
    fulfillments: [],
    id: restId(o.id),
    line_items: o.lineItems.map((li) => lineItemPayload(li, set)),
    location_id: restId(o.locationId),
    name: `#${o.number}`,
    note: o.note,
    note_attributes: [],
    number: o.number - 1000,
    order_number: o.number,
    order_status_url: `https://${shop.domain}/${shop.idBase}/orders/${token}/authenticate`,
    payment_gateway_names: ['manual'],
    phone: o.phone,
    presentment_currency: o.presentmentCurrency,
    processed_at: restTime(o.processedAt),
    refunds: o.refunds.map((r) => refundPayload(o, r, set)),
    shipping_address: o.shippingAddress ? orderAddressPayload(o.shippingAddress) : null,
    shipping_lines: [],
    source_name: 'web',
    subtotal_price: o.subtotal.shop,
    subtotal_price_set: set(o.subtotal),
    tags: restTags(o.tags),
    tax_lines: [],
    taxes_included: false,
    test: false,
    token,
    total_discounts: '0.00',
    total_discounts_set: zero,
    total_line_items_price: o.subtotal.shop,
    total_line_items_price_set: set(o.subtotal),
    total_outstanding: o.financialStatus === 'PENDING' ? o.total.shop : '0.00',
    total_price: o.total.shop,
    total_price_set: set(o.total),
    total_shipping_price_set: zero,
    total_tax: o.totalTax.shop,
    total_tax_set: set(o.totalTax),
    total_weight: 0,
    updated_at: restTime(o.updatedAt),
    user_id: null,
  };
}

type SetFn = (bag: { shop: string; presentment: string }) => Record<string, unknown>;

function lineItemPayload(li: LineItemRecord, set: SetFn): Record<string, unknown> {
  return {
    admin_graphql_api_id: gid('LineItem', li.id),
    attributed_staffs: [],
    current_quantity: li.quantity,
    discount_allocations: [],
    duties: [],
    fulfillable_quantity: li.quantity,
    fulfillment_service: 'manual',
    fulfillment_status: null,
    gift_card: false,
    grams: 0,
    id: restId(li.id),
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    price: li.unitPrice.shop,
    price_set: set(li.unitPrice),
    product_exists: li.productId !== null,
    product_id: restId(li.productId),
    properties: [],
    quantity: li.quantity,
    requires_shipping: true,
    sku: li.sku,
    tax_lines: [],
    taxable: true,
    title: li.title,
    total_discount: '0.00',
    total_discount_set: set({ shop: '0.00', presentment: '0.00' }),
    variant_id: restId(li.variantId),
    variant_inventory_management: 'shopify',
    variant_title: li.variantTitle,
    vendor: null,
  };
}

function refundPayload(o: OrderRecord, r: RefundRecord, set: SetFn): Record<string, unknown> {
  return {
    admin_graphql_api_id: gid('Refund', r.id),
    created_at: restTime(r.createdAt),
    id: restId(r.id),
    note: r.note,
    order_adjustments: [],
    order_id: restId(o.id),
    processed_at: restTime(r.createdAt),
    refund_line_items: r.lines.map((l, i) => ({
      id: restId(r.id * 100 + i),
      line_item_id: restId(l.lineItemId),
      quantity: l.quantity,
      restock_type: l.restock ? 'return' : 'no_restock',
    })),
    total_refunded_set: set(r.amount),
    transactions: [],
  };
}

function refundedTotal(o: OrderRecord): { shop: string; presentment: string } {
  const sum = (pick: (r: RefundRecord) => string): string =>
    o.refunds.reduce((acc, r) => acc + Number(pick(r)), 0).toFixed(2);
  return { shop: sum((r) => r.amount.shop), presentment: sum((r) => r.amount.presentment) };
}

function minus(a: string, b: string): string {
  return Math.max(0, Number(a) - Number(b)).toFixed(2);
}

export function orderDeletePayload(orderId: number): Record<string, unknown> {
  return { id: restId(orderId) };
}
