import type { FastifyInstance } from 'fastify';

/** GET /healthz: the process is up and serving (no dependencies checked). */
export function registerHealthRoute(app: FastifyInstance): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
}
