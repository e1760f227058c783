import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi, type Shopify } from '@shopify/shopify-api';

/** Shopify's own Node library, configured for the emulator's app credentials. */
export function shopifyLib(apiKey: string, apiSecretKey: string): Shopify {
  return shopifyApi({
    apiKey,
    apiSecretKey,
    scopes: ['read_products'],
    hostName: 'retailos.test',
    hostScheme: 'https',
    apiVersion: ApiVersion.April26,
    isEmbeddedApp: false,
    logger: { level: 0 },
  });
}
