import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CoreError } from '../../core/errors.ts';
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
import { expectedVersion, staleWithCurrent } from '../record-version.ts';
import { writeContext } from '../write-context.ts';

const tags = ['orders'];

const snake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Problem {
  field: string;
  message: string;
}

/**
 * The core names refused fields in camelCase (`subtotalPrice`, `shippingAddress.countryCode`); the wire
 * says `subtotal_price`, `shipping_address.country_code`. Zod checks most fields first; the core's own
 * rules: a subtotal that does not match, amounts too large, a shipping address removed.
 */
function wireFieldNames(err: unknown): never {
  const details =
    err instanceof CoreError ? (err.details as { problems?: Problem[] } | undefined) : undefined;
  if (err instanceof CoreError && Array.isArray(details?.problems)) {
    const problems = details.problems.map((p) => ({
      field: snake(p.field),
      message: p.message.replaceAll(p.field, snake(p.field)),
    }));
    const first = problems[0];
    const message = first ? `${first.field}: ${first.message}` : err.message;
    throw new CoreError(err.kind, err.code, message, { problems }, { cause: err });
  }
  throw err;
}

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
      const o = await createOrder(deps.db, writeContext(req, deps), orderInputFromBody(req.body)).catch(
        wireFieldNames,
      );
      return reply.code(201).send(orderToJson(o));
    },
  );
  r.get('/orders/:id', { schema: { tags, params: idParams, response: { 200: orderJson } } }, async (req) =>
    orderToJson(await findOrder(deps.db, req.auth.tenantId, req.params.id)),
  );
  r.patch(
    '/orders/:id',
    { schema: { tags, params: idParams, body: orderUpdateBody, response: { 200: orderJson } } },
    async (req) => {
      const expected = expectedVersion(req.body.version, req.headers['if-match']);
      const input = orderUpdateFromBody(req.body);
      const o = await updateOrder(deps.db, writeContext(req, deps), req.params.id, input, expected)
        .catch(staleWithCurrent(orderToJson))
        .catch(wireFieldNames);
      return orderToJson(o);
    },
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
