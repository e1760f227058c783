import { z } from 'zod';
import { PermanentError, TransientError } from '../errors.ts';
import { shopUrl } from './origin.ts';

export interface OAuthApp {
  shopOriginTemplate: string;
  apiKey: string;
  apiSecret: string;
}

/** The consent screen URL (authorization code grant, offline token). */
export function authorizeUrl(
  app: OAuthApp,
  shop: string,
  o: { scopes: readonly string[]; redirectUri: string; state: string },
): string {
  const q = new URLSearchParams({
    client_id: app.apiKey,
    scope: o.scopes.join(','),
    redirect_uri: o.redirectUri,
    state: o.state,
  });
  return `${shopUrl(app.shopOriginTemplate, shop, '/admin/oauth/authorize')}?${q.toString()}`;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  scope: z.string(),
  expires_in: z.number().int().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  refresh_token_expires_in: z.number().int().positive().optional(),
});

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | null;
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
  scopes: string[];
}

async function postToken(
  app: OAuthApp,
  shop: string,
  body: Record<string, string>,
  now: Date,
): Promise<IssuedTokens> {
  const url = shopUrl(app.shopOriginTemplate, shop, '/admin/oauth/access_token');
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ client_id: app.apiKey, client_secret: app.apiSecret, ...body }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new TransientError(`could not reach ${shop} for a token: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const text = await res.text();
  if (res.status >= 500 || res.status === 429)
    throw new TransientError(`token endpoint answered ${res.status}`);
  if (!res.ok)
    throw new PermanentError(
      `Shopify refused the token request (${res.status}): ${text.slice(0, 200)}`,
      'token_refused',
    );
  const parsed = tokenResponse.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new PermanentError('Shopify sent a token response we do not understand', 'token_malformed');
  const t = parsed.data;
  const at = (seconds: number | undefined) =>
    seconds === undefined ? null : new Date(now.getTime() + seconds * 1000);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    accessExpiresAt: at(t.expires_in),
    refreshExpiresAt: at(t.refresh_token_expires_in),
    scopes: t.scope
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** Exchanges the callback's code for an expiring offline token pair. */
export function exchangeCode(app: OAuthApp, shop: string, code: string, now: Date): Promise<IssuedTokens> {
  return postToken(app, shop, { code, expiring: '1' }, now);
}

/** Rotates the pair: Shopify returns a new access token and a new refresh token. */
export function refreshTokens(
  app: OAuthApp,
  shop: string,
  refreshToken: string,
  now: Date,
): Promise<IssuedTokens> {
  return postToken(app, shop, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
}

/** Scopes requested but not granted (write_x implies read_x, as on Shopify). */
export function missingScopes(requested: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted);
  for (const g of granted) if (g.startsWith('write_')) have.add(`read_${g.slice(6)}`);
  return requested.filter((s) => !have.has(s));
}
