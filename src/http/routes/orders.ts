import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  cancelOrder,
  closeOrder,
  createOrder,
  findOrder,
  searchOrders,
  updateOrder,
} from '../../core/orders.ts';
import type { CoreDeps } from '../../deps.ts';
import { decodeCursor, invalidCursor, nextCursor } from '../cursor.ts';
import { idParams, pageOf } from '../schemas/common.ts';
import {
  orderCreateBody,
  orderInputFromBody,
  orderJson,
  orderListQuery,
  orderToJson,
  orderUpdateBody,
  orderUpdateFromBody,
} from '../schemas/order.ts';
import { writeContext } from '../write-context.ts';

const tags = ['orders'];

/**
 * /api/orders: list and search (newest processed first), create with line items, read, update the
 * writable fields, cancel and close. Orders are never deleted.
 */
export function orderRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/orders',
    { schema: { tags, querystring: orderListQuery, response: { 200: pageOf(orderJson) } } },
    async (req) => {
      const q = req.query;
      const after = q.cursor === undefined ? undefined : (decodeCursor(q.cursor) ?? invalidCursor());
      const filter = {
        text: q.q,
        email: q.email,
        customerId: q.customer_id,
        updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
      };
      const items = await searchOrders(deps.db, req.auth.tenantId, filter, q.limit, after);
      return { items: items.map(orderToJson), next_cursor: nextCursor(items, q.limit, (o) => o.processedAt) };
    },
  );
  r.post(
    '/orders',
    { schema: { tags, body: orderCreateBody, response: { 201: orderJson } } },
    async (req, reply) => {
      const o = await createOrder(deps.db, writeContext(req, deps), orderInputFromBody(req.body));
      return reply.code(201).send(orderToJson(o));
    },
  );
  r.get('/orders/:id', { schema: { tags, params: idParams, response: { 200: orderJson } } }, async (req) =>
    orderToJson(await findOrder(deps.db, req.auth.tenantId, req.params.id)),
  );
  r.patch(
    '/orders/:id',
    { schema: { tags, params: idParams, body: orderUpdateBody, response: { 200: orderJson } } },
    async (req) =>
      orderToJson(
        await updateOrder(deps.db, writeContext(req, deps), req.params.id, orderUpdateFromBody(req.body)),
      ),
  );
  r.post(
    '/orders/:id/cancel',
    { schema: { tags, params: idParams, response: { 200: orderJson } } },
    async (req) => orderToJson(await cancelOrder(deps.db, writeContext(req, deps), req.params.id)),
  );
  r.post(
    '/orders/:id/close',
    { schema: { tags, params: idParams, response: { 200: orderJson } } },
    async (req) => orderToJson(await closeOrder(deps.db, writeContext(req, deps), req.params.id)),
  );
}
