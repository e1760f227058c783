import type { FastifyInstance } from 'fastify';
import type { Emulator } from '../emulator.ts';
import { installLink, type InstallTamper } from '../install-link.ts';
import { installWithToken, sendPrivacyWebhook, uninstall } from '../lifecycle.ts';
import { parseScopes } from '../../oauth/scopes.ts';
import { ControlError, optionalString, requireNumber } from './errors.ts';
import { action, shopAction } from './helpers.ts';

/** App lifecycle: install with a token, uninstall, app settings, compliance webhooks. */
export function registerAppRoutes(app: FastifyInstance, emu: Emulator): void {
  const apiKeyOf = (body: Record<string, unknown>): string =>
    optionalString(body['apiKey'], 'apiKey') ?? emu.options.apiKey;
  app.post(
    '/_emulator/shops/:shop/install',
    shopAction(
      emu,
      ({ shop, body }) => {
        const token = optionalString(body['accessToken'], 'accessToken');
        if (!token) throw new ControlError(422, 'invalid_request', 'accessToken is required');
        const scopes =
          body['scopes'] === undefined
            ? undefined
            : parseScopes(Array.isArray(body['scopes']) ? body['scopes'].join(',') : String(body['scopes']));
        installWithToken(emu, shop, apiKeyOf(body), token, scopes);
        return {
          installed: true,
          shop: shop.domain,
          apiKey: apiKeyOf(body),
          scopes: shop.apps.get(apiKeyOf(body))?.scopes,
        };
      },
      201,
    ),
  );
  app.post(
    '/_emulator/shops/:shop/uninstall',
    shopAction(emu, ({ shop, body }) => {
      const result = uninstall(emu, shop, apiKeyOf(body));
      return {
        uninstalled: true,
        revokedTokens: result.revokedTokens,
        webhooks: result.deliveries.map((d) => d.webhookId),
      };
    }),
  );
  app.post(
    '/_emulator/shops/:shop/privacy',
    shopAction(emu, ({ shop, body }) => {
      const deliveries = sendPrivacyWebhook(emu, shop, {
        topic: optionalString(body['topic'], 'topic') ?? '',
        apiKey: apiKeyOf(body),
        customerId:
          body['customerId'] === undefined ? undefined : requireNumber(body['customerId'], 'customerId'),
        url: optionalString(body['url'], 'url'),
      });
      return { webhooks: deliveries.map((d) => ({ webhookId: d.webhookId, uri: d.uri, topic: d.topic })) };
    }),
  );
  app.post(
    '/_emulator/shops/:shop/install-link',
    shopAction(emu, ({ shop, body }) => ({
      url: installLink(emu, shop, {
        apiKey: apiKeyOf(body),
        appUrl: optionalString(body['appUrl'], 'appUrl'),
        tamper: optionalString(body['tamper'], 'tamper') as InstallTamper | undefined,
        hostileShop: optionalString(body['hostileShop'], 'hostileShop'),
      }),
    })),
  );
  app.get(
    '/_emulator/apps',
    action(() => ({ apps: emu.apps.list() })),
  );
  app.patch('/_emulator/apps/:apiKey', (req, reply) => {
    const key = (req.params as { apiKey: string }).apiKey;
    return action((body) => {
      const current = emu.apps.get(key);
      if (!current) throw new ControlError(404, 'app_not_found', `unknown app ${key}`);
      const next = { ...current };
      if (Array.isArray(body['redirectUrls'])) next.redirectUrls = body['redirectUrls'].map(String);
      if (body['appUrl'] !== undefined) next.appUrl = body['appUrl'] === null ? null : String(body['appUrl']);
      if (body['withheldScopes'] !== undefined)
        next.withheldScopes = parseScopes(
          Array.isArray(body['withheldScopes'])
            ? body['withheldScopes'].join(',')
            : String(body['withheldScopes']),
        );
      if (body['complianceUrl'] !== undefined)
        next.complianceUrl = body['complianceUrl'] === null ? null : String(body['complianceUrl']);
      if (body['name'] !== undefined) next.name = String(body['name']);
      emu.apps.put(next);
      return next;
    })(req as never, reply);
  });
}
