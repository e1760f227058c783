import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createProduct,
  deleteProduct,
  findProduct,
  searchProducts,
  updateProduct,
} from '../../core/products.ts';
import type { CoreDeps } from '../../deps.ts';
import { writeContext } from '../write-context.ts';
import { decodeCursor, invalidCursor, nextCursor } from '../cursor.ts';
import { idParams, pageOf } from '../schemas/common.ts';
import {
  productCreateBody,
  productInputFromBody,
  productJson,
  productListQuery,
  productToJson,
  productUpdateBody,
} from '../schemas/product.ts';

/** /api/products: list and search, create, read, update writable fields, delete. */
export function productRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/products',
    { schema: { tags: ['products'], querystring: productListQuery, response: { 200: pageOf(productJson) } } },
    async (req) => {
      const q = req.query;
      const after = q.cursor === undefined ? undefined : (decodeCursor(q.cursor) ?? invalidCursor());
      const filter = {
        text: q.q,
        sku: q.sku,
        status: q.status,
        updatedSince: q.updated_since ? new Date(q.updated_since) : undefined,
      };
      const items = await searchProducts(deps.db, req.auth.tenantId, filter, q.limit, after);
      return { items: items.map(productToJson), next_cursor: nextCursor(items, q.limit, (p) => p.createdAt) };
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
    async (req) =>
      productToJson(
        await updateProduct(deps.db, writeContext(req, deps), req.params.id, productInputFromBody(req.body)),
      ),
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
