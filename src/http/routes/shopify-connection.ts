import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getConnection } from '../../db/shopify-connections.ts';
import type { CoreDeps } from '../../deps.ts';
import { beginConnect, disconnect } from '../../sync/connect.ts';
import { shopifyDeps } from '../../sync/shopify-deps.ts';
import { connectBody, connectionJson, connectionToJson, connectReply } from '../schemas/shopify.ts';

/** /api/shopify/connect, /api/shopify/connection, /api/shopify/disconnect (503 while Shopify is not wired). */
export function shopifyConnectionRoutes(app: FastifyInstance, deps: CoreDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/shopify/connect',
    { schema: { tags: ['shopify'], body: connectBody, response: { 200: connectReply } } },
    async (req) => {
      const started = await beginConnect(shopifyDeps(deps), req.auth, req.body.shop);
      return { authorize_url: started.authorizeUrl, shop: started.shop };
    },
  );
  r.get(
    '/shopify/connection',
    { schema: { tags: ['shopify'], response: { 200: connectionJson } } },
    async (req) => connectionToJson(await getConnection(deps.db, req.auth.tenantId), deps.shopify.demoShop),
  );
  r.post(
    '/shopify/disconnect',
    { schema: { tags: ['shopify'], response: { 200: connectionJson } } },
    async (req) => {
      await disconnect(shopifyDeps(deps), req.auth.tenantId);
      return connectionToJson(await getConnection(deps.db, req.auth.tenantId), deps.shopify.demoShop);
    },
  );
}
