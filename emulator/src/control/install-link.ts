import { hostParam } from '../oauth/authorize.ts';
import { signQuery } from '../oauth/hmac.ts';
import type { ShopData } from '../store/index.ts';
import type { Emulator } from './emulator.ts';
import { ControlError } from './routes/errors.ts';

/** Ways to spoil the install request, to test the app's guards. */
export type InstallTamper = 'none' | 'hmac' | 'stale-timestamp' | 'hostile-shop';

export interface InstallLinkRequest {
  apiKey: string;
  appUrl?: string | undefined;
  tamper?: InstallTamper | undefined;
  /** With `hostile-shop`: the shop value to send (default `evil.test/x.myshopify.com`). */
  hostileShop?: string | undefined;
}

const TAMPERS: readonly InstallTamper[] = ['none', 'hmac', 'stale-timestamp', 'hostile-shop'];

/**
 * The request Shopify sends the merchant's browser to when an install starts:
 * `GET {App URL}?hmac&host&shop&timestamp`, signed like the OAuth callback.
 */
export function installLink(emu: Emulator, shop: ShopData, req: InstallLinkRequest): string {
  const app = emu.apps.get(req.apiKey);
  if (!app) throw new ControlError(404, 'app_not_found', `unknown app ${req.apiKey}`);
  const base = req.appUrl ?? app.appUrl;
  if (!base) throw new ControlError(422, 'no_app_url', 'give "appUrl" or set the app\'s appUrl');
  const tamper = req.tamper ?? 'none';
  if (!TAMPERS.includes(tamper))
    throw new ControlError(422, 'invalid_request', `tamper must be one of ${TAMPERS.join(', ')}`);
  const nowSec = Math.floor(emu.clock.nowMs() / 1000);
  const params: Record<string, string> = {
    host: hostParam(shop.domain),
    shop: tamper === 'hostile-shop' ? (req.hostileShop ?? 'evil.test/x.myshopify.com') : shop.domain,
    timestamp: String(tamper === 'stale-timestamp' ? nowSec - 24 * 3600 : nowSec),
  };
  const hmac = signQuery(params, app.apiSecret);
  const url = new URL(base);
  url.searchParams.set('hmac', tamper === 'hmac' ? flip(hmac) : hmac);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function flip(hex: string): string {
  const last = hex.at(-1) === '0' ? '1' : '0';
  return `${hex.slice(0, -1)}${last}`;
}
