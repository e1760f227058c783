import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A server-rendered page (the OAuth callback's outcomes): nothing but its inline style, never framed,
 * and no Referer carrying the callback's query (code, hmac) to wherever its link leads.
 */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

function securityHeaders(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.header('x-content-type-options', 'nosniff');
  const type = reply.getHeader('content-type');
  // Answers under /api are per user: never stored by a browser or a proxy.
  if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
    reply.header('cache-control', 'no-store');
  if (typeof type === 'string' && type.startsWith('text/html')) {
    // Without a charset a browser may read the UTF-8 page as Latin-1 ("—" shows as "â€”").
    if (!/charset=/i.test(type)) reply.header('content-type', 'text/html; charset=utf-8');
    for (const [name, value] of Object.entries(PAGE_HEADERS)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
  }
  return Promise.resolve(payload);
}

/**
 * Headers every answer carries, set once here rather than route by route: nosniff on everything,
 * no-store under /api, and for HTML a charset and the page policy above (the web UI sets its own,
 * which are kept).
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', securityHeaders);
}
