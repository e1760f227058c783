import { nowSeconds } from './clock.ts';
import { gid, nextId } from './ids.ts';
import { changeQuantities, moveQuantity } from './inventory.ts';
import { money } from './product-inputs.ts';
import { normalizeTags } from './products.ts';
import { emitChange, StoreError, type Store } from './store.ts';
import type {
  AddressRecord,
  CancelReason,
  FinancialStatus,
  InventoryLevelRecord,
  LineItemRecord,
  MoneyBag,
  OrderRecord,
  ShopData,
} from './types.ts';

export interface OrderLineInput {
  variantId: number;
  quantity: number;
  /** Unit price in shop currency; default: the variant's price. */
  price?: string;
}

export interface PlaceOrderInput {
  lines: OrderLineInput[];
  customerId?: number;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  /** Buyer currency and rate (shop → presentment); default: shop currency, 1. */
  presentmentCurrency?: string;
  exchangeRate?: number;
  /** Default 0.1 */
  taxRate?: number;
  financialStatus?: FinancialStatus;
  /** Location that takes the stock; default: first location stocking each item. */
  locationId?: number;
  shippingAddress?: Omit<AddressRecord, 'id'> | null;
  /** Historic orders (generator): creation time in epoch seconds; default now. */
  at?: number;
}

export function getOrder(shop: ShopData, orderId: number): OrderRecord {
  const order = shop.orders.get(orderId);
  if (!order) throw new StoreError('NOT_FOUND', `order ${orderId} not found`);
  return order;
}

function bag(amount: number, rate: number): MoneyBag {
  return { shop: money(amount), presentment: money(amount * rate) };
}

function buildLine(shop: ShopData, input: OrderLineInput, rate: number): LineItemRecord {
  const variant = shop.variants.get(input.variantId);
  if (!variant) throw new StoreError('NOT_FOUND', `variant ${input.variantId} not found`);
  if (!Number.isInteger(input.quantity) || input.quantity < 1)
    throw new StoreError('INVALID', 'quantity must be ≥ 1');
  const product = shop.products.get(variant.productId);
  return {
    id: nextId(shop, 'LineItem'),
    variantId: variant.id,
    productId: variant.productId,
    title: product?.title ?? '',
    variantTitle: variant.title === 'Default Title' ? null : variant.title,
    sku: variant.sku || null,
    quantity: input.quantity,
    unitPrice: bag(Number(input.price ?? variant.price), rate),
  };
}

/** Level that takes a line's stock, or null when the variant is untracked/unstocked. */
function levelFor(
  shop: ShopData,
  line: LineItemRecord,
  locationId: number | null,
): InventoryLevelRecord | null {
  const variant = line.variantId === null ? undefined : shop.variants.get(line.variantId);
  const item = variant ? shop.inventoryItems.get(variant.inventoryItemId) : undefined;
  if (!item || !item.tracked) return null;
  if (locationId !== null) return item.levels.get(locationId) ?? null;
  return item.levels.values().next().value ?? null;
}

/** Places an order: available → committed per line (on_hand unchanged until fulfilment). */
export function placeOrder(
  store: Store,
  shop: ShopData,
  input: PlaceOrderInput,
  appKey?: string,
): OrderRecord {
  if (input.lines.length === 0) throw new StoreError('INVALID', 'an order needs at least one line');
  if (input.customerId !== undefined && !shop.customers.has(input.customerId)) {
    throw new StoreError('NOT_FOUND', `customer ${input.customerId} not found`);
  }
  const at = input.at ?? nowSeconds(store.clock);
  const rate = input.exchangeRate ?? 1;
  const lineItems = input.lines.map((l) => buildLine(shop, l, rate));
  const subtotal = lineItems.reduce((sum, l) => sum + Number(l.unitPrice.shop) * l.quantity, 0);
  const tax = Math.round(subtotal * (input.taxRate ?? 0.1) * 100) / 100;
  const customer = input.customerId === undefined ? undefined : shop.customers.get(input.customerId);
  const order: OrderRecord = {
    id: nextId(shop, 'Order'),
    number: shop.nextOrderNumber++,
    email: input.email ?? customer?.email ?? null,
    phone: input.phone ?? customer?.phone ?? null,
    customerId: input.customerId ?? null,
    locationId: input.locationId ?? null,
    financialStatus: input.financialStatus ?? 'PAID',
    fulfillmentStatus: 'UNFULFILLED',
    lineItems,
    subtotal: bag(subtotal, rate),
    totalTax: bag(tax, rate),
    total: bag(subtotal + tax, rate),
    presentmentCurrency: input.presentmentCurrency ?? shop.currency,
    note: input.note ?? null,
    tags: normalizeTags(input.tags ?? []),
    shippingAddress: input.shippingAddress
      ? { id: nextId(shop, 'MailingAddress'), ...input.shippingAddress }
      : null,
    refunds: [],
    processedAt: at,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    createdAt: at,
    updatedAt: at,
  };
  shop.orders.set(order.id, order);
  if (order.customerId !== null) {
    const list = shop.ordersByCustomer.get(order.customerId) ?? [];
    list.push(order.id);
    shop.ordersByCustomer.set(order.customerId, list);
  }
  for (const line of lineItems) {
    const level = levelFor(shop, line, order.locationId);
    if (level) moveQuantity(store, shop, level, 'available', 'committed', line.quantity);
  }
  emitOrder(store, shop, order, 'create', appKey);
  return order;
}

/** Cancels an order; restocks unfulfilled lines (committed → available). */
export function cancelOrder(
  store: Store,
  shop: ShopData,
  orderId: number,
  options: { reason: CancelReason; restock?: boolean; refund?: boolean },
  appKey?: string,
): OrderRecord {
  const order = getOrder(shop, orderId);
  if (order.cancelledAt !== null) throw new StoreError('INVALID', 'Order has already been cancelled');
  const at = nowSeconds(store.clock);
  if ((options.restock ?? true) && order.fulfillmentStatus === 'UNFULFILLED') {
    for (const line of order.lineItems) {
      const level = levelFor(shop, line, order.locationId);
      if (level)
        moveQuantity(
          store,
          shop,
          level,
          'committed',
          'available',
          line.quantity - refundedQuantity(order, line.id),
        );
    }
  }
  order.cancelledAt = at;
  order.cancelReason = options.reason;
  order.closedAt = at;
  const paid = order.financialStatus === 'PAID' || order.financialStatus === 'PARTIALLY_REFUNDED';
  order.financialStatus =
    paid && (options.refund ?? true) ? 'REFUNDED' : paid ? order.financialStatus : 'VOIDED';
  order.updatedAt = at;
  emitOrder(store, shop, order, 'cancel', appKey);
  return order;
}

function refundedQuantity(order: OrderRecord, lineItemId: number): number {
  let total = 0;
  for (const r of order.refunds)
    for (const l of r.lines) if (l.lineItemId === lineItemId && l.restock) total += l.quantity;
  return total;
}

/** Refunds lines; restocked quantities go back to available (from committed if unfulfilled). */
export function refundOrder(
  store: Store,
  shop: ShopData,
  orderId: number,
  input: { lines: { lineItemId: number; quantity: number; restock: boolean }[]; note?: string | null },
  appKey?: string,
): OrderRecord {
  const order = getOrder(shop, orderId);
  const at = nowSeconds(store.clock);
  let amount = 0;
  for (const l of input.lines) {
    const line = order.lineItems.find((li) => li.id === l.lineItemId);
    if (!line) throw new StoreError('NOT_FOUND', `line item ${l.lineItemId} not on order ${orderId}`);
    amount += Number(line.unitPrice.shop) * l.quantity;
    const level = l.restock ? levelFor(shop, line, order.locationId) : null;
    if (level && order.fulfillmentStatus === 'UNFULFILLED')
      moveQuantity(store, shop, level, 'committed', 'available', l.quantity);
    else if (level) changeQuantities(store, shop, level, { available: l.quantity });
  }
  const rate = Number(order.total.presentment) / Math.max(Number(order.total.shop), 0.01);
  order.refunds.push({
    id: nextId(shop, 'Refund'),
    createdAt: at,
    note: input.note ?? null,
    amount: bag(amount, rate),
    lines: input.lines,
  });
  const refunded = order.refunds.reduce((s, r) => s + Number(r.amount.shop), 0);
  order.financialStatus = refunded >= Number(order.subtotal.shop) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  order.updatedAt = at;
  emitOrder(store, shop, order, 'refund', appKey);
  return order;
}

/** Fulfils all lines: committed stock leaves the building (on_hand drops). */
export function fulfillOrder(store: Store, shop: ShopData, orderId: number, appKey?: string): OrderRecord {
  const order = getOrder(shop, orderId);
  if (order.fulfillmentStatus === 'FULFILLED') throw new StoreError('INVALID', 'Order is already fulfilled');
  for (const line of order.lineItems) {
    const level = levelFor(shop, line, order.locationId);
    if (level) changeQuantities(store, shop, level, { committed: -line.quantity });
  }
  const at = nowSeconds(store.clock);
  order.fulfillmentStatus = 'FULFILLED';
  if (order.financialStatus === 'PAID') order.closedAt = at;
  order.updatedAt = at;
  emitOrder(store, shop, order, 'fulfill', appKey);
  return order;
}

export interface OrderPatch {
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  shippingAddress?: Omit<AddressRecord, 'id'> | null;
}

/** Edits the writable fields of an order (OrderInput). */
export function updateOrder(
  store: Store,
  shop: ShopData,
  orderId: number,
  patch: OrderPatch,
  appKey?: string,
): OrderRecord {
  const order = getOrder(shop, orderId);
  if (patch.email !== undefined) order.email = patch.email;
  if (patch.phone !== undefined) order.phone = patch.phone;
  if (patch.note !== undefined) order.note = patch.note;
  if (patch.tags !== undefined) order.tags = normalizeTags(patch.tags);
  if (patch.shippingAddress !== undefined) {
    order.shippingAddress =
      patch.shippingAddress === null
        ? null
        : { id: nextId(shop, 'MailingAddress'), ...patch.shippingAddress };
  }
  order.updatedAt = nowSeconds(store.clock);
  emitOrder(store, shop, order, 'update', appKey);
  return order;
}

export function deleteOrder(store: Store, shop: ShopData, orderId: number, appKey?: string): void {
  const order = getOrder(shop, orderId);
  shop.orders.delete(orderId);
  if (order.customerId !== null) {
    const list = shop.ordersByCustomer.get(order.customerId)?.filter((id) => id !== orderId) ?? [];
    shop.ordersByCustomer.set(order.customerId, list);
  }
  order.updatedAt = nowSeconds(store.clock);
  emitOrder(store, shop, order, 'delete', appKey);
}

function emitOrder(
  store: Store,
  shop: ShopData,
  order: OrderRecord,
  action: 'create' | 'update' | 'delete' | 'cancel' | 'refund' | 'fulfill',
  appKey?: string,
): void {
  emitChange(store, {
    shop: shop.domain,
    kind: 'order',
    action,
    id: gid('Order', order.id),
    at: order.updatedAt,
    ...(appKey === undefined ? {} : { appKey }),
  });
}
