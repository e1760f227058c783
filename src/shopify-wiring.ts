import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { ShopifyWiring } from './deps.ts';
import { DEMO_SHOP, startDemoEmulator, type DemoEmulator } from './demo-emulator.ts';
import type { SecretBox } from './shopify/secret-box.ts';
import { requestedScopes } from './sync/shopify-deps.ts';

export interface ShopifySetup {
  wiring: ShopifyWiring | undefined;
  demo: DemoEmulator | undefined;
}

/**
 * Real Shopify when SHOPIFY_API_KEY and SHOPIFY_API_SECRET are set (APP_URL is then required);
 * otherwise, for `start`, the demo emulator. Connector code is the same either way: only the
 * shop-origin template and the app credentials differ.
 */
export async function setUpShopify(
  config: Config,
  logger: Logger,
  secretBox: SecretBox,
  localUrl: string,
  allowDemo: boolean,
): Promise<ShopifySetup> {
  const apiVersion = config.shopifyApiVersion;
  if (config.shopifyApiKey && config.shopifyApiSecret) {
    if (!config.appUrl)
      throw new Error(
        'APP_URL must be set when SHOPIFY_API_KEY is: Shopify redirects and sends webhooks there',
      );
    const app = {
      apiVersion,
      scopes: requestedScopes(config.shopifyReadAllOrders === 'true'),
      apiKey: config.shopifyApiKey,
      apiSecret: config.shopifyApiSecret,
      appUrl: config.appUrl,
      shopOriginTemplate: config.shopifyShopOrigin,
    };
    return { wiring: { app, secretBox }, demo: undefined };
  }
  if (!allowDemo || config.demoShopify === 'off') return { wiring: undefined, demo: undefined };
  const appUrl = config.appUrl ?? localUrl;
  const demo = await startDemoEmulator(logger, `${appUrl}/shopify/callback`);
  // The demo store's orders go back further than 60 days; its app is granted read_all_orders, so a
  // newcomer sees every order unless SHOPIFY_READ_ALL_ORDERS=false says otherwise.
  const app = {
    apiVersion,
    scopes: requestedScopes(config.shopifyReadAllOrders !== 'false'),
    apiKey: demo.apiKey,
    apiSecret: demo.apiSecret,
    appUrl,
    shopOriginTemplate: demo.shopOriginTemplate,
  };
  return { wiring: { app, secretBox, demoShop: DEMO_SHOP }, demo };
}
