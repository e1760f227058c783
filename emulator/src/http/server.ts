import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { resolveBulkDownload } from '../bulk/index.ts';
import { ADMIN_PAGE } from '../control/admin-page.ts';
import type { Emulator } from '../control/emulator.ts';
import { registerAppRoutes } from '../control/routes/apps.ts';
import { registerBulkRoutes } from '../control/routes/bulk.ts';
import { registerMerchantInventory } from '../control/routes/merchant-inventory.ts';
import { registerMerchantOrders } from '../control/routes/merchant-orders.ts';
import { registerMerchantProducts } from '../control/routes/merchant-products.ts';
import { registerSystemRoutes } from '../control/routes/system.ts';
import { registerBodyParsers } from './body.ts';
import { registerGraphQL } from './routes/graphql.ts';
import { registerOauthAuthorize } from './routes/oauth-authorize.ts';
import { registerOauthToken } from './routes/oauth-token.ts';
import { registerStagedUpload } from './routes/staged-upload.ts';

export interface ServerOptions {
  onError(err: unknown): void;
}

/** The emulator's HTTP surface: Shopify's paths under `/shops/<shop>`, the control API under `/_emulator`. */
export async function buildServer(emu: Emulator, options: ServerOptions): Promise<FastifyInstance> {
  // Closing ends every connection, busy keep-alive ones included: a stopped emulator must never hang.
  const app = Fastify({
    logger: false,
    bodyLimit: 20 * 1024 * 1024,
    genReqId: () => randomUUID(),
    forceCloseConnections: true,
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.url.startsWith('/shops/')) void reply.header('x-request-id', req.id);
    done(null, payload);
  });
  registerBodyParsers(app);
  await app.register(formbody);
  registerOauthAuthorize(app, emu);
  registerOauthToken(app, emu);
  registerGraphQL(app, emu);
  registerStagedUpload(app, emu);
  registerSystemRoutes(app, emu);
  registerBulkRoutes(app, emu);
  registerAppRoutes(app, emu);
  registerMerchantProducts(app, emu);
  registerMerchantOrders(app, emu);
  registerMerchantInventory(app, emu);
  app.get('/_emulator/admin', (_req, reply) => reply.type('text/html').send(ADMIN_PAGE));
  app.get('/_emulator/bulk/:file', (req, reply) => {
    const r = resolveBulkDownload(emu.bulk, emu.bulkSigningSecret, req.url);
    return reply.code(r.status).headers(r.headers).send(r.body);
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ errors: 'Not Found' }));
  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    const status =
      typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500
        ? err.statusCode
        : 500;
    if (status === 500) options.onError(err);
    return reply
      .code(status)
      .send({ errors: status === 500 ? 'Internal Server Error' : (err.message ?? 'Bad Request') });
  });
  return app;
}
