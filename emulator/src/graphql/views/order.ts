/** Order and Customer views: each links to the other (an order's customer, a customer's orders), so they share a module. */
import {
  gid,
  orderCountOf,
  type CustomerRecord,
  type LineItemRecord,
  type OrderRecord,
  type RefundRecord,
} from '../../store/index.ts';
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
import { requestError } from '../errors.ts';
import { metafieldOf, metafieldsConnection, type MetafieldArgs, type MetafieldsArgs } from './metafields.ts';
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

type Bag = { shop: string; presentment: string };

/**
 * Order view with lazy getters: only the fields a query selects are computed
 * (orders are read 250 at a time during imports).
 */
class OrderView {
  readonly __typename = 'Order';
  readonly test = false;
  readonly confirmed = true;
  readonly #ctx: ExecContext;
  readonly #order: OrderRecord;

  constructor(ctx: ExecContext, order: OrderRecord) {
    this.#ctx = ctx;
    this.#order = order;
  }

  #bag(b: Bag): View {
    return moneyBag(b, this.#ctx.shop.currency, this.#order.presentmentCurrency);
  }

  #refunded(): Bag {
    return sumBags(this.#order.refunds.map((r) => r.amount));
  }

  #current(b: Bag): Bag {
    if (this.#order.cancelledAt !== null) return { shop: '0.00', presentment: '0.00' };
    const refunded = this.#refunded();
    return {
      shop: Math.max(0, Number(b.shop) - Number(refunded.shop)).toFixed(2),
      presentment: Math.max(0, Number(b.presentment) - Number(refunded.presentment)).toFixed(2),
    };
  }

  get id() {
    return gid('Order', this.#order.id);
  }
  get legacyResourceId() {
    return legacyId(this.#order.id);
  }
  get name() {
    return `#${this.#order.number}`;
  }
  get email() {
    return this.#order.email;
  }
  get phone() {
    return this.#order.phone;
  }
  get note() {
    return this.#order.note;
  }
  get tags() {
    return this.#order.tags;
  }
  get closed() {
    return this.#order.closedAt !== null;
  }
  get createdAt() {
    return iso(this.#order.createdAt);
  }
  get updatedAt() {
    return iso(this.#order.updatedAt);
  }
  get processedAt() {
    return iso(this.#order.processedAt);
  }
  get cancelledAt() {
    return iso(this.#order.cancelledAt);
  }
  get cancelReason() {
    return this.#order.cancelReason;
  }
  get closedAt() {
    return iso(this.#order.closedAt);
  }
  get displayFinancialStatus() {
    return this.#order.financialStatus;
  }
  get displayFulfillmentStatus() {
    return this.#order.fulfillmentStatus;
  }
  get currencyCode() {
    return this.#ctx.shop.currency;
  }
  get presentmentCurrencyCode() {
    return this.#order.presentmentCurrency;
  }
  get subtotalPriceSet() {
    return this.#bag(this.#order.subtotal);
  }
  get totalTaxSet() {
    return this.#bag(this.#order.totalTax);
  }
  get totalPriceSet() {
    return this.#bag(this.#order.total);
  }
  get totalRefundedSet() {
    return this.#bag(this.#refunded());
  }
  get currentSubtotalPriceSet() {
    return this.#bag(this.#current(this.#order.subtotal));
  }
  get currentTotalPriceSet() {
    return this.#bag(this.#current(this.#order.total));
  }

  get shippingAddress() {
    const address = this.#order.shippingAddress;
    return address ? addressView(address, 'OrderAddress') : null;
  }

  get customer() {
    const id = this.#order.customerId;
    const customer = id === null ? undefined : this.#ctx.shop.customers.get(id);
    return customer ? customerView(this.#ctx, customer) : null;
  }

  lineItems(args: ConnArgs) {
    rejectUnknownArgs(args, PAGE_ARGS, 'Order.lineItems');
    const ctx = this.#ctx;
    const order = this.#order;
    return listConnection(
      ctx,
      order.lineItems,
      (l) => l.id,
      args,
      (l) => lineItemView(ctx, order, l),
    );
  }

  refunds(args: { first?: number | null }) {
    return this.#order.refunds
      .slice(0, args.first ?? undefined)
      .map((r) => refundView(this.#ctx, this.#order, r));
  }
}

export function orderView(ctx: ExecContext, order: OrderRecord): View {
  return new OrderView(ctx, order) as unknown as View;
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

function amountSpent(ctx: ExecContext, customer: CustomerRecord): string {
  let total = 0;
  for (const id of ctx.shop.ordersByCustomer.get(customer.id) ?? []) {
    const order = ctx.shop.orders.get(id);
    if (order && order.cancelledAt === null) total += Number(order.total.shop);
  }
  return total.toFixed(2);
}

export function customerView(ctx: ExecContext, customer: CustomerRecord): View {
  const shop = ctx.shop;
  const defaultAddress = customer.addresses.find((a) => a.id === customer.defaultAddressId) ?? null;
  const displayName =
    [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
    customer.email ||
    customer.phone ||
    '';
  return {
    __typename: 'Customer',
    id: gid('Customer', customer.id),
    legacyResourceId: legacyId(customer.id),
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName,
    email: customer.email,
    phone: customer.phone,
    defaultEmailAddress: customer.email === null ? null : { emailAddress: customer.email },
    defaultPhoneNumber: customer.phone === null ? null : { phoneNumber: customer.phone },
    note: customer.note,
    tags: customer.tags,
    state: customer.state,
    taxExempt: customer.taxExempt,
    verifiedEmail: customer.email !== null,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
    numberOfOrders: () => String(orderCountOf(shop, customer.id)),
    amountSpent: () => moneyV2(amountSpent(ctx, customer), shop.currency),
    canDelete: () => orderCountOf(shop, customer.id) === 0,
    defaultAddress: defaultAddress ? addressView(defaultAddress, 'CustomerAddress') : null,
    metafield: (args: MetafieldArgs) => metafieldOf(ctx, 'CUSTOMER', customer.id, args),
    metafields: (args: MetafieldsArgs) =>
      metafieldsConnection(ctx, 'CUSTOMER', customer.id, args, 'Customer'),
    addresses: (args: { first?: number | null }) =>
      customer.addresses.slice(0, args.first ?? undefined).map((a) => addressView(a, 'CustomerAddress')),
    addressesV2: (args: ConnArgs) => {
      rejectUnknownArgs(args, PAGE_ARGS, 'Customer.addressesV2');
      return listConnection(
        ctx,
        customer.addresses,
        (a) => a.id,
        args,
        (a) => addressView(a, 'CustomerAddress'),
      );
    },
    orders: (args: ConnArgs & { sortKey?: string | null }) => {
      // The schema's default sortKey is ID (filled in on every query), the order kept here.
      rejectUnknownArgs(args, [...PAGE_ARGS, 'sortKey'], 'Customer.orders');
      if (args.sortKey && args.sortKey !== 'ID') {
        throw requestError(
          `Sort key ${args.sortKey} on Customer.orders is not implemented in the Shopify emulator`,
          'NOT_IMPLEMENTED_IN_EMULATOR',
        );
      }
      const orders = (shop.ordersByCustomer.get(customer.id) ?? [])
        .flatMap((id) => shop.orders.get(id) ?? [])
        .filter((o) => orderVisible(ctx, o));
      return listConnection(
        ctx,
        orders,
        (o) => o.id,
        args,
        (o) => orderView(ctx, o),
      );
    },
  };
}
