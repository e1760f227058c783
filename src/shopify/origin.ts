import { isValidShop } from '../domain/shop-domain.ts';

/**
 * Every Shopify URL comes from one setting, the shop-origin template: `https://{shop}` for Shopify,
 * `http://127.0.0.1:PORT/shops/{shop}` for the emulator. The shop is checked again here so no code
 * path can build a URL for a host that is not a *.myshopify.com shop.
 */
export function shopUrl(template: string, shop: string, path: string): string {
  if (!isValidShop(shop))
    throw new Error(`refusing to build a URL for ${JSON.stringify(shop)}: not a myshopify.com shop`);
  if (!template.includes('{shop}')) throw new Error('the shop-origin template must contain {shop}');
  return `${template.replace('{shop}', shop).replace(/\/$/, '')}${path}`;
}
