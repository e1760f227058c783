import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../../control/emulator.ts';
import {
  approvalRedirect,
  cancelRedirect,
  checkAuthorizeRequest,
  grantedScopes,
  type AuthorizeParams,
} from '../../oauth/authorize.ts';
import { renderConsentPage, renderOauthError } from '../../oauth/consent-page.ts';
import { asRecord } from '../body.ts';
import { shopOr404 } from '../shop-param.ts';

type Params = { shop: string };

function paramsOf(source: Record<string, unknown>): AuthorizeParams {
  const text = (k: string): string | undefined =>
    typeof source[k] === 'string' ? (source[k] as string) : undefined;
  return {
    client_id: text('client_id'),
    scope: text('scope'),
    redirect_uri: text('redirect_uri'),
    state: text('state'),
    'grant_options[]': text('grant_options[]'),
  };
}

/**
 * `GET /admin/oauth/authorize` shows the consent screen; the screen's form
 * posts back here with `decision=approve|cancel`. Every POST is re-validated,
 * so forged fields get the same errors as a forged link.
 */
export function registerOauthAuthorize(app: FastifyInstance, emu: Emulator): void {
  app.get<{ Params: Params; Querystring: Record<string, unknown> }>(
    '/shops/:shop/admin/oauth/authorize',
    (req, reply) => {
      const shop = shopOr404(emu, req.params.shop, reply);
      if (!shop) return reply;
      const params = paramsOf(req.query);
      const check = checkAuthorizeRequest(emu.apps, params);
      if (!check.ok)
        return reply.code(400).type('text/html').send(renderOauthError(check.kind, check.message));
      return reply.type('text/html').send(
        renderConsentPage({
          shop: shop.domain,
          appName: check.app.name,
          apiKey: check.app.apiKey,
          scopes: check.scopes,
          redirectUri: check.redirectUri,
          state: check.state,
          grantOptions: params['grant_options[]'] ?? '',
          action: `/shops/${shop.domain}/admin/oauth/authorize`,
        }),
      );
    },
  );

  app.post<{ Params: Params }>('/shops/:shop/admin/oauth/authorize', (req, reply) => {
    const shop = shopOr404(emu, req.params.shop, reply);
    if (!shop) return reply;
    const body = asRecord(req.body);
    const check = checkAuthorizeRequest(emu.apps, paramsOf(body));
    if (!check.ok) return reply.code(400).type('text/html').send(renderOauthError(check.kind, check.message));
    if (body['decision'] !== 'approve')
      return reply.redirect(cancelRedirect(check.redirectUri, shop.domain, check.state), 302);
    const scopes = grantedScopes(check.app, check.scopes);
    const code = emu.tokens.issueCode(shop.domain, check.app.apiKey, scopes, check.perUser);
    const timestampSec = Math.floor(emu.clock.nowMs() / 1000);
    return reply.redirect(
      approvalRedirect(check.app, check.redirectUri, {
        code: code.code,
        shop: shop.domain,
        state: check.state,
        timestampSec,
      }),
      302,
    );
  });
}
