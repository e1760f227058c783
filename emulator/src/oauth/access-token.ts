import type { AppRegistry } from './apps.ts';
import { safeEqual } from './hmac.ts';
import type { TokenStore } from './token-store.ts';

export const GRANT_REFRESH = 'refresh_token';
export const GRANT_TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const GRANT_CLIENT_CREDENTIALS = 'client_credentials';
export const OFFLINE_TOKEN_TYPE = 'urn:shopify:params:oauth:token-type:offline-access-token';

export interface TokenRequestDeps {
  apps: AppRegistry;
  tokens: TokenStore;
  /** Records the install (scopes granted) when a code is redeemed. */
  onInstall(shop: string, apiKey: string, scopes: string[]): void;
  isInstalled(shop: string, apiKey: string): boolean;
  installedScopes(shop: string, apiKey: string): string[];
}

export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (status: number, error: string, description: string): TokenReply => ({
  status,
  body: { error, error_description: description },
});

/** `POST /admin/oauth/access_token` for one shop; `body` is the parsed JSON or form body. */
export function handleTokenRequest(
  deps: TokenRequestDeps,
  shop: string,
  body: Record<string, unknown>,
): TokenReply {
  const field = (name: string): string => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const app = deps.apps.get(field('client_id'));
  if (!app || !safeEqual(field('client_secret'), app.apiSecret)) {
    return oauthError(
      401,
      'invalid_client',
      'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    );
  }
  const grantType = field('grant_type');
  const expiring = field('expiring') === '1' || body['expiring'] === 1 || body['expiring'] === true;
  if (grantType === GRANT_REFRESH) return refreshGrant(deps, shop, app.apiKey, field('refresh_token'));
  if (grantType === GRANT_TOKEN_EXCHANGE) return tokenExchangeGrant(deps, shop, app.apiKey, body, expiring);
  if (grantType === GRANT_CLIENT_CREDENTIALS) return clientCredentialsGrant(deps, shop, app.apiKey);
  if (grantType !== '' && grantType !== 'authorization_code') {
    return oauthError(400, 'unsupported_grant_type', `The grant type ${grantType} is not supported`);
  }
  const code = deps.tokens.redeemCode(field('code'), shop, app.apiKey);
  if (!code)
    return oauthError(400, 'invalid_request', 'The authorization code was not found or was already used');
  deps.onInstall(shop, app.apiKey, code.scopes);
  if (code.perUser)
    return { status: 200, body: { ...deps.tokens.issueOnline(shop, app.apiKey, code.scopes) } };
  return { status: 200, body: { ...deps.tokens.issue(shop, app.apiKey, code.scopes, expiring) } };
}

function refreshGrant(
  deps: TokenRequestDeps,
  shop: string,
  apiKey: string,
  refreshToken: string,
): TokenReply {
  if (!deps.isInstalled(shop, apiKey))
    return oauthError(400, 'invalid_grant', 'The app is not installed on this shop');
  const result = deps.tokens.refresh(shop, apiKey, refreshToken);
  if (!result.ok)
    return oauthError(
      400,
      'invalid_grant',
      `The refresh token is ${result.reason === 'unknown' ? 'invalid' : result.reason}`,
    );
  return { status: 200, body: { ...result.response } };
}

/** Migrates a non-expiring offline token to an expiring one (one-time, irreversible). */
function tokenExchangeGrant(
  deps: TokenRequestDeps,
  shop: string,
  apiKey: string,
  body: Record<string, unknown>,
  expiring: boolean,
): TokenReply {
  const subject = typeof body['subject_token'] === 'string' ? body['subject_token'] : '';
  const check = deps.tokens.check(subject, shop);
  if (!check.ok || check.token.shop !== shop || check.token.apiKey !== apiKey) {
    return oauthError(400, 'invalid_subject_token', 'The subject token is invalid');
  }
  if (body['subject_token_type'] !== OFFLINE_TOKEN_TYPE || check.token.expiresAt !== null || !expiring) {
    return oauthError(
      400,
      'invalid_request',
      'Only a non-expiring offline access token can be exchanged for an expiring one (expiring=1)',
    );
  }
  check.token.revoked = true;
  return { status: 200, body: { ...deps.tokens.issue(shop, apiKey, check.token.scopes, true) } };
}

function clientCredentialsGrant(deps: TokenRequestDeps, shop: string, apiKey: string): TokenReply {
  if (!deps.isInstalled(shop, apiKey))
    return oauthError(400, 'invalid_request', 'The app is not installed on this shop');
  const issued = deps.tokens.issue(shop, apiKey, deps.installedScopes(shop, apiKey), true);
  return {
    status: 200,
    body: { access_token: issued.access_token, scope: issued.scope, expires_in: issued.expires_in },
  };
}
