import type { FastifyInstance } from 'fastify';
import { CoreError } from '../../core/errors.ts';
import type { CoreDeps } from '../../deps.ts';
import { cancelConnect, completeConnect } from '../../sync/connect.ts';
import { shopifyDeps } from '../../sync/shopify-deps.ts';
import { PermanentError, TransientError } from '../../errors.ts';
import { resultPage } from '../pages/result-page.ts';

/**
 * GET /shopify/callback — where Shopify's consent screen returns the browser. Runs in the
 * session-authenticated browser scope (the session cookie is SameSite=Lax, sent on this top-level
 * navigation). Every refusal is a clear page with nothing changed and no outbound request.
 */
export function shopifyCallbackRoute(app: FastifyInstance, deps: CoreDeps): void {
  app.get('/shopify/callback', async (req, reply) => {
    if (!deps.shopify.isSet)
      return reply
        .code(503)
        .type('text/html')
        .send(
          resultPage('Shopify is not configured', 'Set SHOPIFY_API_KEY, SHOPIFY_API_SECRET and APP_URL.'),
        );
    const s = shopifyDeps(deps);
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    if (query.has('error')) {
      // Cancel on Shopify's consent screen (error=access_denied): nothing to check, nothing changes.
      const message = await cancelConnect(s, req.auth, query);
      return reply.code(200).type('text/html').send(resultPage('Connecting was cancelled', message));
    }
    try {
      const done = await completeConnect(s, req.auth, query);
      const scopes = done.missingScopes.length
        ? ` Shopify did not grant: ${done.missingScopes.join(', ')}.`
        : '';
      return reply.redirect(
        `/app/shopify?connected=${encodeURIComponent(done.shop)}${scopes ? '&missing_scopes=1' : ''}`,
        302,
      );
    } catch (err) {
      if (err instanceof CoreError) {
        return reply
          .code(err.kind === 'conflict' ? 409 : 400)
          .type('text/html')
          .send(resultPage('Could not connect to Shopify', err.message, err.code));
      }
      if (err instanceof PermanentError || err instanceof TransientError) {
        req.log.warn({ err }, 'shopify connect failed');
        return reply
          .code(502)
          .type('text/html')
          .send(resultPage('Shopify refused the connection', err.message, 'shopify_error'));
      }
      throw err;
    }
  });
}
