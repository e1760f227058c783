import { gid, type LineItemRecord, type OrderRecord, type RefundRecord } from '../../store/index.ts';
import type { PageArgs } from '../connection.ts';
import { hasScope, nowSec, type ExecContext } from '../context.ts';
import {
  addressView,
  iso,
  legacyId,
  listConnection,
  moneyBag,
  moneyV2,
  PAGE_ARGS,
  rejectUnknownArgs,
  type View,
} from './common.ts';
import { customerView } from './customer.ts';
import { variantView, productView } from './product.ts';

type ConnArgs = PageArgs & { reverse?: boolean | null };

export const SIXTY_DAYS = 60 * 24 * 3600;

/** Orders older than 60 days are invisible without `read_all_orders`. */
export function orderVisible(ctx: ExecContext, order: OrderRecord): boolean {
  return hasScope(ctx, 'read_all_orders') || order.createdAt >= nowSec(ctx) - SIXTY_DAYS;
}

/** The 60-day filter for lists, or null when the app may read all orders. */
export function orderFilter(ctx: ExecContext): ((order: OrderRecord) => boolean) | null {
  if (hasScope(ctx, 'read_all_orders')) return null;
  const since = nowSec(ctx) - SIXTY_DAYS;
  return (order) => order.createdAt >= since;
}

function sumBags(bags: { shop: string; presentment: string }[]): { shop: string; presentment: string } {
  let s = 0;
  let p = 0;
  for (const b of bags) {
    s += Number(b.shop);
    p += Number(b.presentment);
  }
  return { shop: s.toFixed(2), presentment: p.toFixed(2) };
}

function refundedQuantity(order: OrderRecord, lineId: number): number {
  return order.refunds.reduce(
    (n, r) => n + r.lines.filter((l) => l.lineItemId === lineId).reduce((m, l) => m + l.quantity, 0),
    0,
  );
}

export function orderView(ctx: ExecContext, order: OrderRecord): View {
  const shop = ctx.shop;
  const bag = (b: { shop: string; presentment: string }) =>
    moneyBag(b, shop.currency, order.presentmentCurrency);
  const refunded = sumBags(order.refunds.map((r) => r.amount));
  const current = (b: { shop: string; presentment: string }) =>
    order.cancelledAt !== null
      ? { shop: '0.00', presentment: '0.00' }
      : {
          shop: Math.max(0, Number(b.shop) - Number(refunded.shop)).toFixed(2),
          presentment: Math.max(0, Number(b.presentment) - Number(refunded.presentment)).toFixed(2),
        };
  return {
    __typename: 'Order',
    id: gid('Order', order.id),
    legacyResourceId: legacyId(order.id),
    name: `#${order.number}`,
    email: order.email,
    phone: order.phone,
    note: order.note,
    tags: order.tags,
    test: false,
    confirmed: true,
    closed: order.closedAt !== null,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
    processedAt: iso(order.processedAt),
    cancelledAt: iso(order.cancelledAt),
    cancelReason: order.cancelReason,
    closedAt: iso(order.closedAt),
    displayFinancialStatus: order.financialStatus,
    displayFulfillmentStatus: order.fulfillmentStatus,
    currencyCode: shop.currency,
    presentmentCurrencyCode: order.presentmentCurrency,
    subtotalPriceSet: bag(order.subtotal),
    totalTaxSet: bag(order.totalTax),
    totalPriceSet: bag(order.total),
    totalRefundedSet: bag(refunded),
    currentSubtotalPriceSet: bag(current(order.subtotal)),
    currentTotalPriceSet: bag(current(order.total)),
    shippingAddress: order.shippingAddress ? addressView(order.shippingAddress, 'OrderAddress') : null,
    customer: () => {
      const customer = order.customerId === null ? undefined : shop.customers.get(order.customerId);
      return customer ? customerView(ctx, customer) : null;
    },
    lineItems: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'Order.lineItems');
      return listConnection(
        ctx,
        order.lineItems,
        (l) => l.id,
        args,
        (l) => lineItemView(ctx, order, l),
      );
    },
    refunds: (args: { first?: number | null }) =>
      order.refunds.slice(0, args.first ?? undefined).map((r) => refundView(ctx, order, r)),
  };
}

function lineItemView(ctx: ExecContext, order: OrderRecord, line: LineItemRecord): View {
  const shop = ctx.shop;
  const bag = (b: { shop: string; presentment: string }) =>
    moneyBag(b, shop.currency, order.presentmentCurrency);
  const total = {
    shop: (Number(line.unitPrice.shop) * line.quantity).toFixed(2),
    presentment: (Number(line.unitPrice.presentment) * line.quantity).toFixed(2),
  };
  const remaining = order.cancelledAt !== null ? 0 : line.quantity - refundedQuantity(order, line.id);
  return {
    __typename: 'LineItem',
    id: gid('LineItem', line.id),
    title: line.title,
    name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    quantity: line.quantity,
    currentQuantity: remaining,
    refundableQuantity: remaining,
    originalUnitPriceSet: bag(line.unitPrice),
    discountedUnitPriceSet: bag(line.unitPrice),
    originalTotalSet: bag(total),
    variant: () => {
      const variant = line.variantId === null ? undefined : shop.variants.get(line.variantId);
      return variant ? variantView(ctx, variant) : null;
    },
    product: () => {
      const product = line.productId === null ? undefined : shop.products.get(line.productId);
      return product ? productView(ctx, product) : null;
    },
  };
}

function refundView(ctx: ExecContext, order: OrderRecord, refund: RefundRecord): View {
  const bag = moneyBag(refund.amount, ctx.shop.currency, order.presentmentCurrency);
  return {
    __typename: 'Refund',
    id: gid('Refund', refund.id),
    legacyResourceId: legacyId(refund.id),
    createdAt: iso(refund.createdAt),
    processedAt: iso(refund.createdAt),
    updatedAt: iso(refund.createdAt),
    note: refund.note,
    totalRefundedSet: bag,
    totalRefunded: moneyV2(refund.amount.shop, ctx.shop.currency),
    order: () => orderView(ctx, order),
    refundLineItems: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'Refund.refundLineItems');
      return listConnection(
        ctx,
        refund.lines,
        (l) => l.lineItemId,
        args,
        (l) => {
          const line = order.lineItems.find((li) => li.id === l.lineItemId);
          return {
            quantity: l.quantity,
            restocked: l.restock,
            restockType: l.restock ? 'RETURN' : 'NO_RESTOCK',
            lineItem: line ? lineItemView(ctx, order, line) : null,
          };
        },
      );
    },
  };
}
