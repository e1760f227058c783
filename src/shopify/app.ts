/** The Shopify app this Retailos talks as, and where Shopify lives (configuration only). */
export interface ShopifyApp {
  apiKey: string;
  apiSecret: string;
  /** Public URL of this server: the OAuth redirect and the webhook address hang off it. */
  appUrl: string;
  shopOriginTemplate: string;
  apiVersion: string;
  scopes: readonly string[];
}
