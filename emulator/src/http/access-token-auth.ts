import type { Emulator } from '../control/emulator.ts';
import type { ShopData } from '../store/index.ts';
import type { AccessToken } from '../oauth/token-store.ts';

/** Shopify's 401 body for a missing, unknown, expired or revoked token. */
export const INVALID_TOKEN_BODY = {
  errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
};

/** The live token for this shop whose app is still installed, or null. */
export function authenticate(
  emu: Emulator,
  shop: ShopData,
  header: string | string[] | undefined,
): AccessToken | null {
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) return null;
  const check = emu.tokens.check(token, shop.domain);
  if (!check.ok || !shop.apps.has(check.token.apiKey)) return null;
  return check.token;
}
