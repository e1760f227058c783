import { installApp, subscriptionsForTopic, uninstallApp, type ShopData } from '../store/index.ts';
import type { Delivery } from '../webhooks/delivery-types.ts';
import { targetOf, type DeliveryTarget } from '../webhooks/build-delivery.ts';
import {
  customersRedactPayload,
  dataRequestPayload,
  shopPayload,
  shopRedactPayload,
} from '../webhooks/payloads/shop.ts';
import { ALL_SCOPES, unknownScopes } from '../oauth/scopes.ts';
import type { Emulator } from './emulator.ts';
import { ControlError } from './routes/errors.ts';

/** Installs `apiKey` on the shop with a fixed non-expiring offline token (scripts, `--access-token`). */
export function installWithToken(
  emu: Emulator,
  shop: ShopData,
  apiKey: string,
  token: string,
  scopes: readonly string[] = ALL_SCOPES,
): void {
  if (!emu.apps.get(apiKey)) throw new ControlError(404, 'app_not_found', `unknown app ${apiKey}`);
  const unknown = unknownScopes(scopes);
  if (unknown.length > 0)
    throw new ControlError(422, 'invalid_scope', `unknown scopes: ${unknown.join(', ')}`);
  installApp(emu.store, shop, apiKey, [...scopes]);
  emu.tokens.installToken(shop.domain, apiKey, [...scopes], token);
}

/**
 * Uninstall as Shopify does it: tokens die at once, the app's subscriptions are
 * deleted, and `app/uninstalled` goes to the subscription(s) that had asked for it.
 */
export function uninstall(
  emu: Emulator,
  shop: ShopData,
  apiKey: string,
): { revokedTokens: number; deliveries: Delivery[] } {
  if (!shop.apps.has(apiKey))
    throw new ControlError(404, 'not_installed', `app ${apiKey} is not installed on ${shop.domain}`);
  const targets = subscriptionsForTopic(shop, 'APP_UNINSTALLED')
    .filter((s) => s.appKey === apiKey)
    .map(targetOf);
  const revokedTokens = emu.tokens.revokeAll(shop.domain, apiKey);
  uninstallApp(emu.store, shop, apiKey);
  const deliveries = emu.webhooks.publish(shop.domain, 'app/uninstalled', shopPayload(shop), { targets });
  const complianceUrl = emu.apps.get(apiKey)?.complianceUrl;
  if (complianceUrl) {
    const target = {
      appKey: apiKey,
      uri: complianceUrl,
      apiVersion: targets[0]?.apiVersion ?? '2026-04',
      subscriptionId: null,
      includeFields: [],
      name: null,
    };
    deliveries.push(
      ...emu.webhooks.publish(shop.domain, 'shop/redact', shopRedactPayload(shop), {
        targets: [target],
        delayMs: SHOP_REDACT_DELAY_MS,
      }),
    );
  }
  return { revokedTokens, deliveries };
}

/** Shopify asks to erase shop data 48 hours after uninstall. */
export const SHOP_REDACT_DELAY_MS = 48 * 3600 * 1000;

export const PRIVACY_TOPICS = ['customers/data_request', 'customers/redact', 'shop/redact'] as const;

export interface PrivacyRequest {
  topic: string;
  apiKey: string;
  customerId?: number | undefined;
  url?: string | undefined;
}

/** Sends a compliance webhook to `url`, else the app's compliance URL, else its subscriptions to that topic. */
export function sendPrivacyWebhook(emu: Emulator, shop: ShopData, req: PrivacyRequest): Delivery[] {
  if (!(PRIVACY_TOPICS as readonly string[]).includes(req.topic))
    throw new ControlError(422, 'invalid_topic', `topic must be one of ${PRIVACY_TOPICS.join(', ')}`);
  const app = emu.apps.get(req.apiKey);
  if (!app) throw new ControlError(404, 'app_not_found', `unknown app ${req.apiKey}`);
  const uri = req.url ?? app.complianceUrl;
  const subs = subscriptionsForTopic(shop, req.topic.replace('/', '_').toUpperCase()).filter(
    (s) => s.appKey === app.apiKey,
  );
  const targets: DeliveryTarget[] = uri
    ? [
        {
          appKey: app.apiKey,
          uri,
          apiVersion: subs[0]?.apiVersion ?? '2026-04',
          subscriptionId: null,
          includeFields: [],
          name: null,
        },
      ]
    : subs.map(targetOf);
  if (targets.length === 0)
    throw new ControlError(422, 'no_compliance_url', 'give "url" or set the app\'s complianceUrl');
  return emu.webhooks.publish(shop.domain, req.topic, privacyPayload(emu, shop, req), { targets });
}

function privacyPayload(emu: Emulator, shop: ShopData, req: PrivacyRequest): Record<string, unknown> {
  if (req.topic === 'shop/redact') return shopRedactPayload(shop);
  const customer = req.customerId === undefined ? undefined : shop.customers.get(req.customerId);
  if (!customer)
    throw new ControlError(404, 'customer_not_found', 'customerId of an existing customer is required');
  const orders = shop.ordersByCustomer.get(customer.id) ?? [];
  const who = { id: customer.id, email: customer.email, phone: customer.phone };
  if (req.topic === 'customers/redact') return customersRedactPayload(shop, who, orders);
  return dataRequestPayload(shop, who, orders, Math.floor(emu.clock.nowMs() / 1000));
}
