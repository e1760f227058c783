import type { FinancialStatus, FulfillmentStatus, ShippingAddress } from '../entities.ts';
import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES } from '../entities.ts';
import { shippingAddressOf } from '../shipping-address.ts';
import { normaliseEmail, normaliseTags } from '../text.ts';
import {
  attempt,
  blankToNull,
  MappingError,
  parseMoney,
  parseTime,
  parseTimeOrNull,
  requireGid,
  shopifyTime,
} from './common.ts';
import type { Mapped, ShopifyAddress, ShopifyLineItem, ShopifyOrder } from './shapes.ts';
import type { OrderSyncFields } from './snapshot.ts';

export interface LineItemFromShopify {
  gid: string;
  position: number;
  sku: string | null;
  title: string;
  quantity: number;
  unitPrice: string;
  variantGid: string | null;
}

export interface OrderFromShopify extends OrderSyncFields {
  gid: string;
  customerGid: string | null;
  tags: string[];
  lineItems: LineItemFromShopify[];
  createdAt: Date;
  updatedAt: Date;
}

/** Shopify statuses Retailos has no word for, and the nearest Retailos status. */
const FINANCIAL_FALLBACK: Readonly<Record<string, FinancialStatus>> = { EXPIRED: 'voided' };
const FULFILLMENT_FALLBACK: Readonly<Record<string, FulfillmentStatus>> = {
  IN_PROGRESS: 'partially_fulfilled',
  ON_HOLD: 'unfulfilled',
  OPEN: 'unfulfilled',
  PENDING_FULFILLMENT: 'unfulfilled',
  REQUEST_DECLINED: 'unfulfilled',
  SCHEDULED: 'unfulfilled',
  FULFILLMENT_NOT_REQUIRED: 'fulfilled',
};

export function financialStatus(value: string | null): FinancialStatus {
  if (value === null) return 'pending';
  const s = value.toLowerCase() as FinancialStatus;
  if (FINANCIAL_STATUSES.includes(s)) return s;
  const near = FINANCIAL_FALLBACK[value];
  if (!near) throw new MappingError(`unknown financial status ${JSON.stringify(value)}`);
  return near;
}

export function fulfillmentStatus(value: string): FulfillmentStatus {
  const s = value.toLowerCase() as FulfillmentStatus;
  if (FULFILLMENT_STATUSES.includes(s)) return s;
  const near = FULFILLMENT_FALLBACK[value];
  if (!near) throw new MappingError(`unknown fulfillment status ${JSON.stringify(value)}`);
  return near;
}

/** "#1001" → 1001; a custom prefix or suffix is allowed, a name without digits is not. */
export function orderNumber(name: string): number {
  const m = /^\D*(\d{1,9})\D*$/.exec(name);
  if (!m) throw new MappingError(`the order name ${JSON.stringify(name)} carries no number`);
  return Number(m[1]);
}

function lineItem(l: ShopifyLineItem, index: number): LineItemFromShopify {
  const gid = requireGid(l.id, 'LineItem');
  if (!Number.isInteger(l.quantity) || l.quantity <= 0) {
    throw new MappingError(`line item ${gid} has quantity ${JSON.stringify(l.quantity)}`);
  }
  return {
    gid,
    position: index + 1,
    sku: blankToNull(l.sku),
    title: (l.title ?? '').trim(),
    quantity: l.quantity,
    unitPrice: parseMoney(l.originalUnitPriceSet?.shopMoney.amount, `line item ${gid} price`),
    variantGid: l.variant ? requireGid(l.variant.id, 'ProductVariant') : null,
  };
}

/** Shopify's MailingAddress → the lines Retailos keeps (codes, not names; blank lines left out). */
export function mapShippingAddress(a: ShopifyAddress | null | undefined): ShippingAddress | null {
  if (!a) return null;
  const { province: _name, country: _countryName, countryCodeV2, ...lines } = a;
  return shippingAddressOf({ ...lines, countryCode: countryCodeV2 });
}

function shippingAddressToShopify(a: ShippingAddress): ShopifyAddress {
  const { countryCode, ...rest } = a;
  return { ...rest, ...(countryCode === undefined ? {} : { countryCodeV2: countryCode }) };
}

/** An order line and its line-item lines (in file order) → Retailos fields, or why not. */
export function mapOrder(o: ShopifyOrder, lines: readonly ShopifyLineItem[]): Mapped<OrderFromShopify> {
  return attempt(() => {
    const email = blankToNull(o.email);
    return {
      gid: requireGid(o.id, 'Order'),
      name: o.name,
      number: orderNumber(o.name),
      customerGid: o.customer ? requireGid(o.customer.id, 'Customer') : null,
      email: email === null ? null : normaliseEmail(email),
      phone: blankToNull(o.phone),
      financialStatus: financialStatus(o.displayFinancialStatus),
      fulfillmentStatus: fulfillmentStatus(o.displayFulfillmentStatus),
      currency: o.currencyCode,
      subtotalPrice: parseMoney(o.subtotalPriceSet?.shopMoney.amount ?? '0', 'subtotalPrice'),
      totalTax: parseMoney(o.totalTaxSet?.shopMoney.amount ?? '0', 'totalTax'),
      totalPrice: parseMoney(o.totalPriceSet?.shopMoney.amount, 'totalPrice'),
      note: o.note ?? '',
      tags: normaliseTags(o.tags ?? []),
      shippingAddress: mapShippingAddress(o.shippingAddress),
      lineItems: lines.map(lineItem),
      processedAt: parseTime(o.processedAt, 'processedAt'),
      cancelledAt: parseTimeOrNull(o.cancelledAt, 'cancelledAt'),
      closedAt: parseTimeOrNull(o.closedAt, 'closedAt'),
      createdAt: parseTime(o.createdAt, 'createdAt'),
      updatedAt: parseTime(o.updatedAt, 'updatedAt'),
    };
  });
}

const bag = (amount: string, currencyCode: string) => ({ shopMoney: { amount, currencyCode } });

export function orderToShopify(o: OrderFromShopify): { order: ShopifyOrder; lineItems: ShopifyLineItem[] } {
  return {
    order: {
      id: o.gid,
      name: o.name,
      email: o.email,
      phone: o.phone,
      customer: o.customerGid === null ? null : { id: o.customerGid },
      displayFinancialStatus: o.financialStatus.toUpperCase(),
      displayFulfillmentStatus: o.fulfillmentStatus.toUpperCase(),
      currencyCode: o.currency,
      subtotalPriceSet: bag(o.subtotalPrice, o.currency),
      totalTaxSet: bag(o.totalTax, o.currency),
      totalPriceSet: bag(o.totalPrice, o.currency),
      note: o.note,
      tags: [...o.tags],
      shippingAddress: o.shippingAddress === null ? null : shippingAddressToShopify(o.shippingAddress),
      processedAt: shopifyTime(o.processedAt),
      cancelledAt: o.cancelledAt === null ? null : shopifyTime(o.cancelledAt),
      closedAt: o.closedAt === null ? null : shopifyTime(o.closedAt),
      createdAt: shopifyTime(o.createdAt),
      updatedAt: shopifyTime(o.updatedAt),
    },
    lineItems: [...o.lineItems]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({
        id: l.gid,
        sku: l.sku,
        title: l.title,
        quantity: l.quantity,
        originalUnitPriceSet: bag(l.unitPrice, o.currency),
        variant: l.variantGid === null ? null : { id: l.variantGid },
      })),
  };
}
