import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createCustomer,
  deleteCustomer,
  findCustomer,
  searchCustomers,
  updateCustomer,
} from '../../core/customers.ts';
import type { CoreDeps } from '../../deps.ts';
import { decodeCursor, invalidCursor, nextCursor } from '../cursor.ts';
import { idParams, pageOf } from '../schemas/common.ts';
import {
  customerCreateBody,
  customerInputFromBody,
  customerJson,
  customerListQuery,
  customerToJson,
  customerUpdateBody,
} from '../schemas/customer.ts';
import { expectedVersion, staleWithCurrent } from '../record-version.ts';
import { writeContext } from '../write-context.ts';

const tags = ['customers'];

/** /api/customers: list and search, create, read, update writable fields, delete (refused while orders reference one). */
export function customerRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/customers',
    { schema: { tags, querystring: customerListQuery, response: { 200: pageOf(customerJson) } } },
    async (req) => {
      const q = req.query;
      const after = q.cursor === undefined ? undefined : (decodeCursor(q.cursor) ?? invalidCursor());
      const filter = {
        text: q.q,
        email: q.email,
        updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
      };
      const items = await searchCustomers(deps.db, req.auth.tenantId, filter, q.limit, after);
      return {
        items: items.map(customerToJson),
        next_cursor: nextCursor(items, q.limit, (c) => c.createdAt),
      };
    },
  );
  r.post(
    '/customers',
    { schema: { tags, body: customerCreateBody, response: { 201: customerJson } } },
    async (req, reply) => {
      const c = await createCustomer(deps.db, writeContext(req, deps), customerInputFromBody(req.body));
      return reply.code(201).send(customerToJson(c));
    },
  );
  r.get(
    '/customers/:id',
    { schema: { tags, params: idParams, response: { 200: customerJson } } },
    async (req) => customerToJson(await findCustomer(deps.db, req.auth.tenantId, req.params.id)),
  );
  r.patch(
    '/customers/:id',
    { schema: { tags, params: idParams, body: customerUpdateBody, response: { 200: customerJson } } },
    async (req) => {
      const expected = expectedVersion(req.body.version, req.headers['if-match']);
      const input = customerInputFromBody(req.body);
      const c = await updateCustomer(deps.db, writeContext(req, deps), req.params.id, input, expected).catch(
        staleWithCurrent(customerToJson),
      );
      return customerToJson(c);
    },
  );
  r.delete(
    '/customers/:id',
    { schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteCustomer(deps.db, writeContext(req, deps), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
