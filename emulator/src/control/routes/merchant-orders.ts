import type { FastifyInstance } from 'fastify';
import {
  cancelOrder,
  createCustomer,
  deleteCustomer,
  deleteOrder,
  fulfillOrder,
  getCustomer,
  getOrder,
  placeOrder,
  refundOrder,
  updateCustomer,
  updateOrder,
  type CancelReason,
  type CustomerInput,
  type OrderPatch,
  type PlaceOrderInput,
} from '../../store/index.ts';
import type { Emulator } from '../emulator.ts';
import { customerView, orderView, page } from '../views.ts';
import { ControlError } from './errors.ts';
import { idParam, limitOf, shopAction } from './helpers.ts';

/**
 * A merchant PATCH body's `addTags` (the admin's bulk action "Add tags"): the tags are added to the ones
 * the record has when the edit is made, never a list read earlier, so a tag another app added meanwhile
 * stays. Given with `tags` (a whole list, as the record's form saves it), it is refused.
 */
function withAddedTags(body: Record<string, unknown>, current: () => string[]): Record<string, unknown> {
  const { addTags, ...rest } = body;
  if (addTags === undefined) return body;
  if (!Array.isArray(addTags) || !addTags.every((t) => typeof t === 'string'))
    throw new ControlError(422, 'invalid_request', 'addTags must be a list of strings');
  if (rest['tags'] !== undefined)
    throw new ControlError(422, 'invalid_request', 'give either tags (the whole list) or addTags, not both');
  return { ...rest, tags: [...current(), ...(addTags as string[])] };
}

/** Merchant actions on customers and orders: create/edit/delete customers; place, cancel, refund, fulfil orders. */
export function registerMerchantOrders(app: FastifyInstance, emu: Emulator): void {
  const base = '/_emulator/shops/:shop';
  app.get(
    `${base}/customers`,
    shopAction(emu, ({ shop, query }) => {
      const { limit, after } = limitOf(query);
      return { customers: page(shop.customers.values(), limit, after).map(customerView) };
    }),
  );
  app.get(
    `${base}/customers/:id`,
    shopAction(emu, ({ shop, params }) => customerView(getCustomer(shop, idParam(params)))),
  );
  app.post(
    `${base}/customers`,
    shopAction(
      emu,
      ({ shop, body }) => customerView(createCustomer(emu.store, shop, body as CustomerInput)),
      201,
    ),
  );
  app.patch(
    `${base}/customers/:id`,
    shopAction(emu, ({ shop, params, body }) => {
      const id = idParam(params);
      const input = withAddedTags(body, () => getCustomer(shop, id).tags) as CustomerInput;
      return customerView(updateCustomer(emu.store, shop, id, input));
    }),
  );
  app.delete(
    `${base}/customers/:id`,
    shopAction(emu, ({ shop, params }) => {
      deleteCustomer(emu.store, shop, idParam(params));
      return { deleted: idParam(params) };
    }),
  );

  app.get(
    `${base}/orders`,
    shopAction(emu, ({ shop, query }) => {
      const { limit, after } = limitOf(query);
      return { orders: page(shop.orders.values(), limit, after).map(orderView) };
    }),
  );
  app.get(
    `${base}/orders/:id`,
    shopAction(emu, ({ shop, params }) => orderView(getOrder(shop, idParam(params)))),
  );
  app.post(
    `${base}/orders`,
    shopAction(
      emu,
      ({ shop, body }) => {
        if (!Array.isArray(body['lines']))
          throw new ControlError(422, 'invalid_request', 'lines: [{variantId, quantity}] is required');
        return orderView(placeOrder(emu.store, shop, body as unknown as PlaceOrderInput));
      },
      201,
    ),
  );
  app.patch(
    `${base}/orders/:id`,
    shopAction(emu, ({ shop, params, body }) => {
      const id = idParam(params);
      const patch = withAddedTags(body, () => getOrder(shop, id).tags) as OrderPatch;
      return orderView(updateOrder(emu.store, shop, id, patch));
    }),
  );
  app.post(
    `${base}/orders/:id/cancel`,
    shopAction(emu, ({ shop, params, body }) => {
      const reason = (
        typeof body['reason'] === 'string' ? body['reason'].toUpperCase() : 'OTHER'
      ) as CancelReason;
      const options = {
        reason,
        ...(typeof body['restock'] === 'boolean' ? { restock: body['restock'] } : {}),
        ...(typeof body['refund'] === 'boolean' ? { refund: body['refund'] } : {}),
      };
      return orderView(cancelOrder(emu.store, shop, idParam(params), options));
    }),
  );
  app.post(
    `${base}/orders/:id/refund`,
    shopAction(emu, ({ shop, params, body }) => {
      const order = getOrder(shop, idParam(params));
      const lines = Array.isArray(body['lines'])
        ? (body['lines'] as { lineItemId: number; quantity: number; restock?: boolean }[]).map((l) => ({
            ...l,
            restock: l.restock ?? true,
          }))
        : order.lineItems.map((li) => ({ lineItemId: li.id, quantity: li.quantity, restock: true }));
      const note = typeof body['note'] === 'string' ? body['note'] : null;
      return orderView(refundOrder(emu.store, shop, order.id, { lines, note }));
    }),
  );
  app.post(
    `${base}/orders/:id/fulfill`,
    shopAction(emu, ({ shop, params }) => orderView(fulfillOrder(emu.store, shop, idParam(params)))),
  );
  app.delete(
    `${base}/orders/:id`,
    shopAction(emu, ({ shop, params }) => {
      deleteOrder(emu.store, shop, idParam(params));
      return { deleted: idParam(params) };
    }),
  );
}
