import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createProduct,
  deleteProduct,
  findProduct,
  searchProductsJson,
  updateProduct,
} from '../../core/products.ts';
import type { CoreDeps } from '../../deps.ts';
import { expectedVersion, staleWithCurrent } from '../record-version.ts';
import { writeContext } from '../write-context.ts';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.ts';
import { idParams, pageOf } from '../schemas/common.ts';
import {
  productCreateBody,
  productInputFromBody,
  productJson,
  productListQuery,
  productToJson,
  productUpdateBody,
} from '../schemas/product.ts';

const ITEMS_OPEN = Buffer.from('{"items":');

/** /api/products: list and search, create, read, update writable fields, delete. */
export function productRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/products',
    { schema: { tags: ['products'], querystring: productListQuery, response: { 200: pageOf(productJson) } } },
    async (req, reply) => {
      const q = req.query;
      const after = q.cursor === undefined ? undefined : (decodeCursor(q.cursor) ?? invalidCursor());
      const filter = {
        text: q.q,
        sku: q.sku,
        status: q.status,
        updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
      };
      // Hot path: Postgres writes the items' JSON, so the response schema above documents the shape but
      // is not run (a Buffer payload skips the serializer). A Buffer, not a string: Node writes a large
      // string to the socket several times slower than its UTF-8 bytes.
      const page = await searchProductsJson(deps.db, req.auth.tenantId, filter, q.limit, after);
      const next = page.count === q.limit && page.last ? encodeCursor(page.last.at, page.last.id) : null;
      const body = Buffer.concat([
        ITEMS_OPEN,
        page.itemsJson,
        Buffer.from(`,"next_cursor":${JSON.stringify(next)}}`, 'utf8'),
      ]);
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );
  r.post(
    '/products',
    { schema: { tags: ['products'], body: productCreateBody, response: { 201: productJson } } },
    async (req, reply) => {
      const p = await createProduct(deps.db, writeContext(req, deps), productInputFromBody(req.body));
      return reply.code(201).send(productToJson(p));
    },
  );
  r.get(
    '/products/:id',
    { schema: { tags: ['products'], params: idParams, response: { 200: productJson } } },
    async (req) => productToJson(await findProduct(deps.db, req.auth.tenantId, req.params.id)),
  );
  r.patch(
    '/products/:id',
    {
      schema: {
        tags: ['products'],
        params: idParams,
        body: productUpdateBody,
        response: { 200: productJson },
      },
    },
    async (req) => {
      const expected = expectedVersion(req.body.version, req.headers['if-match']);
      const input = productInputFromBody(req.body);
      const p = await updateProduct(deps.db, writeContext(req, deps), req.params.id, input, expected).catch(
        staleWithCurrent(productToJson),
      );
      return productToJson(p);
    },
  );
  r.delete(
    '/products/:id',
    { schema: { tags: ['products'], params: idParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteProduct(deps.db, writeContext(req, deps), req.params.id);
      return reply.code(204).send(null);
    },
  );
}
