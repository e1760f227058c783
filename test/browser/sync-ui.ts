import Fastify, { type FastifyInstance } from 'fastify';
import { registerWebUi } from '../../src/http/plugins/web-ui.ts';
import type { SyncHarness } from '../../test-support/sync.ts';

/** Request headers the UI sends that the API reads; response headers the browser needs back. */
const FORWARD_IN = ['accept', 'content-type', 'cookie', 'x-csrf-token'];
const FORWARD_OUT = ['content-type', 'set-cookie', 'retry-after', 'cache-control'];

/**
 * The web UI of a fresh build, served on its own loopback port, in front of a sync harness's app
 * (connected, imported, with queues drained by the test): /api and /webhooks are passed through to the
 * harness's server byte for byte, so the browser talks to one origin, as with `retailos start`.
 */
export async function serveUiFor(
  h: SyncHarness,
  distDir: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const address = h.t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the sync harness is not listening');
  const api = `http://127.0.0.1:${address.port}`;
  const ui: FastifyInstance = Fastify({ logger: false });
  ui.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  ui.removeContentTypeParser('application/json');
  ui.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const pass = async (
    req: { method: string; url: string; headers: Record<string, unknown>; body: unknown },
    reply: import('fastify').FastifyReply,
  ) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARD_IN) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const res = await fetch(`${api}${req.url}`, {
      method: req.method,
      headers,
      ...(req.body instanceof Buffer && req.method !== 'GET' ? { body: req.body } : {}),
    });
    for (const name of FORWARD_OUT) {
      const v = name === 'set-cookie' ? res.headers.getSetCookie() : res.headers.get(name);
      if (v !== null && !(Array.isArray(v) && v.length === 0)) void reply.header(name, v);
    }
    return reply.code(res.status).send(Buffer.from(await res.arrayBuffer()));
  };
  ui.all('/api/*', pass);
  registerWebUi(ui, { distDir });
  await ui.listen({ port: 0, host: '127.0.0.1' });
  const own = ui.server.address();
  if (!own || typeof own === 'string') throw new Error('the UI server is not listening');
  return { url: `http://127.0.0.1:${own.port}`, close: () => ui.close() };
}
