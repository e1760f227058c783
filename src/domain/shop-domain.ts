/**
 * A shop is accepted only as a bare `<name>.myshopify.com` hostname (anchored; letters, digits and
 * hyphens in the name). Anything else — paths, ports, userinfo, other suffixes, IPs, unicode — is
 * refused before any outbound request or lookup, so a forged value can never receive our secret or a
 * token.
 */
const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const MAX_SHOP_LENGTH = 255;

export type ShopCheck = { ok: true; shop: string } | { ok: false; reason: string };

/** Accepts "name", "Name.myshopify.com" or "https://name.myshopify.com/" and returns the bare host. */
export function normaliseShop(input: string): ShopCheck {
  let s = input.trim().toLowerCase();
  if (s.length === 0) return { ok: false, reason: 'shop is empty' };
  if (s.length > MAX_SHOP_LENGTH) return { ok: false, reason: 'shop is too long' };
  if (/[^\x21-\x7e]/.test(s))
    return { ok: false, reason: 'shop may only contain ASCII letters, digits and hyphens' };
  s = s.replace(/^https:\/\//, '');
  if (s.endsWith('/')) s = s.slice(0, -1);
  if (/^[a-z0-9][a-z0-9-]*$/.test(s)) s = `${s}.myshopify.com`;
  if (!SHOP.test(s)) return { ok: false, reason: 'shop must look like your-store.myshopify.com' };
  return { ok: true, shop: s };
}

export function isValidShop(shop: string): boolean {
  return SHOP.test(shop);
}
