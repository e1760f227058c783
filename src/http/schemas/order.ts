import { z } from 'zod';
import { isCountryCode } from '../../domain/country-codes.ts';
import {
  FINANCIAL_STATUSES,
  FULFILLMENT_STATUSES,
  type FinancialStatus,
  type FulfillmentStatus,
  type Order,
  type ShippingAddress,
} from '../../domain/entities.ts';
import type { OrderInput, OrderUpdateInput } from '../../domain/order-input.ts';
import type { ShippingAddressLines } from '../../domain/shipping-address.ts';
import { versionField } from '../record-version.ts';
import { iso, listQuery, money, shortText, tags, timestamp, uuid } from './common.ts';

const financialStatus = z.enum(FINANCIAL_STATUSES as [FinancialStatus, ...FinancialStatus[]]);
const fulfillmentStatus = z.enum(FULFILLMENT_STATUSES as [FulfillmentStatus, ...FulfillmentStatus[]]);
const note = z.string().max(5000);

/** Shipping address keys on the wire (snake_case) and in the domain (camelCase). */
const SHIPPING_FIELDS = {
  first_name: 'firstName',
  last_name: 'lastName',
  company: 'company',
  address1: 'address1',
  address2: 'address2',
  city: 'city',
  province_code: 'provinceCode',
  country_code: 'countryCode',
  zip: 'zip',
  phone: 'phone',
} as const satisfies Record<string, keyof ShippingAddress>;

const line = shortText.nullable().optional();
/** A whole shipping address: lines left out or blank are empty; country_code is Shopify's (e.g. "FR"). */
const shippingAddressBody = z.strictObject({
  first_name: line,
  last_name: line,
  company: line,
  address1: line,
  address2: line,
  city: line,
  province_code: z.string().max(10).nullable().optional(),
  country_code: z
    .string()
    .max(10)
    .refine(
      (s) => s.trim() === '' || isCountryCode(s.trim().toUpperCase()),
      'a two-letter country code such as "FR" or "US"',
    )
    .nullable()
    .optional(),
  zip: line,
  phone: line,
});
type WireShippingAddress = z.infer<typeof shippingAddressBody>;

function shippingAddressFromWire(
  a: WireShippingAddress | null | undefined,
): ShippingAddressLines | null | undefined {
  if (a === undefined || a === null) return a;
  const out: ShippingAddressLines = {};
  for (const [wire, key] of Object.entries(SHIPPING_FIELDS)) out[key] = a[wire as keyof WireShippingAddress];
  return out;
}

function shippingAddressToWire(a: ShippingAddress | null): Record<string, string> | null {
  if (a === null) return null;
  const out: Record<string, string> = {};
  for (const [wire, key] of Object.entries(SHIPPING_FIELDS)) {
    const v = a[key];
    if (v !== undefined) out[wire] = v;
  }
  return out;
}

const lineItemBody = z.strictObject({
  sku: shortText.nullable().optional(),
  title: z.string().trim().min(1).max(255),
  quantity: z.number().int().min(1).max(2_147_483_647),
  unit_price: money,
  variant_id: uuid.nullable().optional(),
});

export const orderCreateBody = z.strictObject({
  number: z.number().int().min(1).max(2_147_483_647).optional(),
  customer_id: uuid.nullable().optional(),
  email: shortText.nullable().optional(),
  phone: shortText.nullable().optional(),
  financial_status: financialStatus.optional(),
  fulfillment_status: fulfillmentStatus.optional(),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as "EUR"'),
  subtotal_price: money.optional(),
  total_tax: money.optional(),
  note: note.optional(),
  tags: tags.optional(),
  shipping_address: shippingAddressBody.nullable().optional(),
  processed_at: timestamp.optional(),
  line_items: z.array(lineItemBody).min(1).max(500),
});

/** Only these fields change after creation; cancel and close have their own routes. */
export const orderUpdateBody = z.strictObject({
  email: shortText.nullable().optional(),
  phone: shortText.nullable().optional(),
  note: note.optional(),
  tags: tags.optional(),
  customer_id: uuid.nullable().optional(),
  financial_status: financialStatus.optional(),
  fulfillment_status: fulfillmentStatus.optional(),
  /** Replaces the whole address; null (or no line) removes it, which only an order without one allows. */
  shipping_address: shippingAddressBody.nullable().optional(),
  version: versionField,
});

export const orderListQuery = listQuery.extend({ email: shortText.optional(), customer_id: uuid.optional() });

const lineItemJson = z.object({
  id: z.string(),
  position: z.number(),
  sku: z.string().nullable(),
  title: z.string(),
  quantity: z.number(),
  unit_price: z.string(),
  variant_id: z.string().nullable(),
});

export const orderJson = z.object({
  id: z.string(),
  name: z.string(),
  number: z.number(),
  customer_id: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  financial_status: financialStatus,
  fulfillment_status: fulfillmentStatus,
  currency: z.string(),
  subtotal_price: z.string(),
  total_tax: z.string(),
  total_price: z.string(),
  note: z.string(),
  tags: z.array(z.string()),
  shipping_address: z
    .object({
      first_name: z.string().optional(),
      last_name: z.string().optional(),
      company: z.string().optional(),
      address1: z.string().optional(),
      address2: z.string().optional(),
      city: z.string().optional(),
      province_code: z.string().optional(),
      country_code: z.string().optional(),
      zip: z.string().optional(),
      phone: z.string().optional(),
    })
    .nullable(),
  line_items: z.array(lineItemJson),
  processed_at: z.string(),
  cancelled_at: z.string().nullable(),
  closed_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number(),
});

export function orderInputFromBody(b: z.infer<typeof orderCreateBody>): OrderInput {
  return {
    number: b.number,
    customerId: b.customer_id,
    email: b.email,
    phone: b.phone,
    financialStatus: b.financial_status,
    fulfillmentStatus: b.fulfillment_status,
    currency: b.currency,
    subtotalPrice: b.subtotal_price,
    totalTax: b.total_tax,
    note: b.note,
    tags: b.tags,
    shippingAddress: shippingAddressFromWire(b.shipping_address),
    processedAt: b.processed_at === undefined ? undefined : new Date(b.processed_at),
    lineItems: b.line_items.map((li) => ({
      sku: li.sku,
      title: li.title,
      quantity: li.quantity,
      unitPrice: li.unit_price,
      variantId: li.variant_id,
    })),
  };
}

export function orderUpdateFromBody(b: z.infer<typeof orderUpdateBody>): OrderUpdateInput {
  return {
    email: b.email,
    phone: b.phone,
    note: b.note,
    tags: b.tags,
    customerId: b.customer_id,
    financialStatus: b.financial_status,
    fulfillmentStatus: b.fulfillment_status,
    shippingAddress: shippingAddressFromWire(b.shipping_address),
  };
}

export function orderToJson(o: Order): z.infer<typeof orderJson> {
  return {
    id: o.id,
    name: o.name,
    number: o.number,
    customer_id: o.customerId,
    email: o.email,
    phone: o.phone,
    financial_status: o.financialStatus,
    fulfillment_status: o.fulfillmentStatus,
    currency: o.currency,
    subtotal_price: o.subtotalPrice,
    total_tax: o.totalTax,
    total_price: o.totalPrice,
    note: o.note,
    tags: o.tags,
    shipping_address: shippingAddressToWire(o.shippingAddress),
    line_items: o.lineItems.map((li) => ({
      id: li.id,
      position: li.position,
      sku: li.sku,
      title: li.title,
      quantity: li.quantity,
      unit_price: li.unitPrice,
      variant_id: li.variantId,
    })),
    processed_at: o.processedAt.toISOString(),
    cancelled_at: iso(o.cancelledAt),
    closed_at: iso(o.closedAt),
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
    version: o.version,
  };
}
