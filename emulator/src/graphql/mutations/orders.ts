import {
  cancelOrder,
  gid,
  nextId,
  updateOrder,
  type CancelReason,
  type OrderPatch,
} from '../../store/index.ts';
import type { ExecContext } from '../context.ts';
import { notImplemented } from '../errors.ts';
import { orderVisible, orderView } from '../views/order.ts';
import { mutation, numericId, pick, rejectUnsupported, userError, type Input } from './common.ts';
import { addressInput } from './customers.ts';

const ORDER_FIELDS = ['id', 'email', 'phone', 'note', 'tags', 'shippingAddress'] as const;

function visibleOrder(ctx: ExecContext, raw: unknown) {
  const id = numericId(raw, 'Order');
  const order = id === null ? undefined : ctx.shop.orders.get(id);
  return order && orderVisible(ctx, order) ? order : undefined;
}

/** orderUpdate: only OrderInput's writable fields (others are not in the schema). */
export const orderUpdate = mutation('orderUpdate', 'write_orders', (args, ctx) => {
  const input = args['input'] as Input;
  rejectUnsupported(input, ORDER_FIELDS, 'OrderInput');
  const order = visibleOrder(ctx, input['id']);
  if (!order) return { order: null, userErrors: [userError(['id'], 'Order does not exist')] };
  const patch: OrderPatch = pick<OrderPatch>(input, ['email', 'phone', 'note', 'tags']);
  if (input['shippingAddress'] !== undefined) {
    const address = input['shippingAddress'] as Input | null;
    patch.shippingAddress = address === null ? null : { ...emptyAddress(), ...addressInput(address) };
  }
  return {
    order: orderView(ctx, updateOrder(ctx.store, ctx.shop, order.id, patch, ctx.appKey)),
    userErrors: [],
  };
});

function emptyAddress() {
  return {
    firstName: null,
    lastName: null,
    company: null,
    address1: null,
    address2: null,
    city: null,
    province: null,
    provinceCode: null,
    country: null,
    countryCode: null,
    zip: null,
    phone: null,
  };
}

/** orderCancel: cancels (and by default refunds) synchronously; the job is already done. */
export const orderCancel = mutation('orderCancel', 'write_orders', (args, ctx) => {
  if (args['refundMethod']) throw notImplemented("Argument 'refundMethod' on Mutation.orderCancel");
  const order = visibleOrder(ctx, args['orderId']);
  const fail = (message: string, code: string) => ({
    job: null,
    orderCancelUserErrors: [userError(['orderId'], message, code)],
    userErrors: [userError(['orderId'], message)],
  });
  if (!order) return fail('Order does not exist', 'NOT_FOUND');
  if (order.cancelledAt !== null) return fail('Order has already been cancelled', 'INVALID');
  cancelOrder(
    ctx.store,
    ctx.shop,
    order.id,
    {
      reason: args['reason'] as CancelReason,
      restock: args['restock'] as boolean,
      refund: args['refund'] !== false,
    },
    ctx.appKey,
  );
  return {
    job: { id: gid('Job', nextId(ctx.shop, 'Job')), done: true },
    orderCancelUserErrors: [],
    userErrors: [],
  };
});
