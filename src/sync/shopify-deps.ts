import type { CoreDeps } from '../deps.ts';
import type { ShopifyApp } from '../shopify/app.ts';
import type { SecretBox } from '../shopify/secret-box.ts';

export interface ShopifyDeps extends CoreDeps {
  shopifyApp: ShopifyApp;
  secretBox: SecretBox;
}

/**
 * The deps with Shopify's app and secret box in hand. Throws ShopifyNotWiredError (transient: a job
 * retries, HTTP answers 503) when this process has no Shopify wiring, not yet or not at all.
 */
export function shopifyDeps(deps: CoreDeps): ShopifyDeps {
  const wiring = deps.shopify.get();
  return { ...deps, shopifyApp: wiring.app, secretBox: wiring.secretBox };
}

export const BASE_SCOPES = [
  'read_products',
  'write_products',
  'read_orders',
  'write_orders',
  'read_customers',
  'write_customers',
  'read_inventory',
  'write_inventory',
  'read_locations',
] as const;

/** Scopes the sync works without (read_all_orders: orders older than 60 days). */
export const OPTIONAL_SCOPES: readonly string[] = ['read_all_orders'];

export function requestedScopes(readAllOrders: boolean): string[] {
  return readAllOrders ? [...BASE_SCOPES, 'read_all_orders'] : [...BASE_SCOPES];
}

export const callbackUrl = (app: ShopifyApp): string => `${app.appUrl.replace(/\/$/, '')}/shopify/callback`;
export const webhookUrl = (app: ShopifyApp): string => `${app.appUrl.replace(/\/$/, '')}/webhooks/shopify`;
