import { isAllowedRedirect, type App, type AppRegistry } from './apps.ts';
import { signQuery } from './hmac.ts';
import { parseScopes, unknownScopes } from './scopes.ts';

export interface AuthorizeParams {
  client_id?: string | undefined;
  scope?: string | undefined;
  redirect_uri?: string | undefined;
  state?: string | undefined;
  'grant_options[]'?: string | undefined;
}

export type AuthorizeCheck =
  | { ok: true; app: App; scopes: string[]; redirectUri: string; state: string; perUser: boolean }
  | { ok: false; kind: string; message: string };

/** Validates an authorize request the way Shopify's grant screen does. */
export function checkAuthorizeRequest(apps: AppRegistry, params: AuthorizeParams): AuthorizeCheck {
  const apiKey = params.client_id ?? '';
  const app = apps.get(apiKey);
  if (!app) {
    return {
      ok: false,
      kind: 'invalid_request',
      message: `Could not find Shopify API application with api_key ${apiKey}`,
    };
  }
  const redirectUri = params.redirect_uri ?? '';
  if (!redirectUri || !isAllowedRedirect(app, redirectUri)) {
    return { ok: false, kind: 'invalid_request', message: 'The redirect_uri is not whitelisted' };
  }
  const scopes = parseScopes(params.scope);
  const unknown = unknownScopes(scopes);
  if (unknown.length > 0) {
    return {
      ok: false,
      kind: 'invalid_scope',
      message: `Scope undefined for API access: ${unknown.join(',')}`,
    };
  }
  return {
    ok: true,
    app,
    scopes,
    redirectUri,
    state: params.state ?? '',
    perUser: params['grant_options[]'] === 'per-user',
  };
}

/** Scopes the merchant grants: requested minus the app's withheld-scope knob. */
export function grantedScopes(app: App, requested: readonly string[]): string[] {
  return requested.filter((s) => !app.withheldScopes.includes(s));
}

/** `host` parameter: base64 of the shop's admin host path. */
export function hostParam(shop: string): string {
  const name = shop.replace(/\.myshopify\.com$/, '');
  return Buffer.from(`admin.shopify.com/store/${name}`).toString('base64').replace(/=+$/, '');
}

/** The callback URL after approval: code, hmac (hex), host, shop, state, timestamp. */
export function approvalRedirect(
  app: App,
  redirectUri: string,
  fields: { code: string; shop: string; state: string; timestampSec: number },
): string {
  const params: Record<string, string> = {
    code: fields.code,
    host: hostParam(fields.shop),
    shop: fields.shop,
    state: fields.state,
    timestamp: String(fields.timestampSec),
  };
  const hmac = signQuery(params, app.apiSecret);
  return appendQuery(redirectUri, { ...params, hmac });
}

/** The callback URL after the merchant cancels. */
export function cancelRedirect(redirectUri: string, shop: string, state: string): string {
  return appendQuery(redirectUri, {
    error: 'access_denied',
    error_description: 'The merchant declined the installation',
    shop,
    state,
  });
}

function appendQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
