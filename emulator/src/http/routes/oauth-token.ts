import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../../control/emulator.ts';
import { handleTokenRequest } from '../../oauth/access-token.ts';
import { installApp } from '../../store/index.ts';
import { asRecord, isMalformed } from '../body.ts';
import { shopOr404 } from '../shop-param.ts';

/** `POST /admin/oauth/access_token`: code exchange, refresh, token exchange, client credentials. */
export function registerOauthToken(app: FastifyInstance, emu: Emulator): void {
  app.post<{ Params: { shop: string }; Querystring: Record<string, unknown> }>(
    '/shops/:shop/admin/oauth/access_token',
    (req, reply) => {
      const shop = shopOr404(emu, req.params.shop, reply);
      if (!shop) return reply;
      if (isMalformed(req.body)) {
        return reply
          .code(400)
          .send({ error: 'invalid_request', error_description: 'The request body is not valid JSON' });
      }
      const body = { ...asRecord(req.query), ...asRecord(req.body) };
      const result = handleTokenRequest(
        {
          apps: emu.apps,
          tokens: emu.tokens,
          onInstall: (domain, apiKey, scopes) => void installApp(emu.store, shop, apiKey, scopes),
          isInstalled: (_domain, apiKey) => shop.apps.has(apiKey),
          installedScopes: (_domain, apiKey) => shop.apps.get(apiKey)?.scopes ?? [],
        },
        shop.domain,
        body,
      );
      return reply.code(result.status).send(result.body);
    },
  );
}
