import { createHash } from 'node:crypto';
import { CoreError } from '../core/errors.ts';
import {
  forgetTokens,
  getConnection,
  markConnecting,
  storeTokens,
  setConnectionState,
} from '../db/shopify-connections.ts';
import { PermanentError } from '../errors.ts';
import { liveAccessToken, type LiveToken } from './access-token.ts';
import { stopLiveImport } from '../db/shopify-imports.ts';
import { consumeOAuthState, insertOAuthState } from '../db/shopify-oauth-states.ts';
import { normaliseShop } from '../domain/shop-domain.ts';
import { verifyQueryHmac } from '../shopify/hmac.ts';
import { authorizeUrl, exchangeCode, missingScopes, type IssuedTokens } from '../shopify/oauth.ts';
import { callbackUrl, OPTIONAL_SCOPES, type ShopifyDeps } from './shopify-deps.ts';
import { startImport } from './import/start.ts';
import { forgetWebhooks, registerWebhooks, unregisterWebhooks } from './webhook-registration.ts';

const STATE_TTL_MS = 10 * 60_000;
/** How far the callback's timestamp may be from our clock. */
const CALLBACK_SKEW_S = 300;

export interface Caller {
  tenantId: string;
  userId: string;
}

const hashNonce = (nonce: string): string => createHash('sha256').update(nonce).digest('hex');
const refuse = (code: string, message: string): CoreError => new CoreError('invalid', code, message);

/** Step 1: validate the shop, store a single-use state bound to the user, return the consent URL. */
export async function beginConnect(
  deps: ShopifyDeps,
  caller: Caller,
  shopInput: string,
): Promise<{ authorizeUrl: string; shop: string }> {
  const check = normaliseShop(shopInput);
  if (!check.ok) throw refuse('invalid_shop', check.reason);
  const now = deps.clock.now();
  const nonce = deps.randomBytes(32).toString('hex');
  const app = deps.shopifyApp;
  await deps.db.transaction(async (tx) => {
    const current = await getConnection(tx, caller.tenantId, true);
    if (
      current &&
      current.state !== 'disconnected' &&
      current.state !== 'connecting' &&
      current.shop !== check.shop
    ) {
      throw new CoreError(
        'conflict',
        'already_connected',
        `this workspace is connected to ${current.shop}; disconnect it first`,
      );
    }
    await markConnecting(tx, caller.tenantId, check.shop, app.apiVersion, app.scopes, now);
    const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
    await insertOAuthState(tx, { nonceHash: hashNonce(nonce), ...caller, shop: check.shop, now, expiresAt });
  });
  const url = authorizeUrl(app, check.shop, {
    scopes: app.scopes,
    redirectUri: callbackUrl(app),
    state: nonce,
  });
  return { authorizeUrl: url, shop: check.shop };
}

/** Every check on the callback, before any outbound request. Returns the shop and the code. */
async function checkCallback(
  deps: ShopifyDeps,
  caller: Caller,
  q: URLSearchParams,
): Promise<{ shop: string; code: string }> {
  const rawShop = q.get('shop') ?? '';
  const shop = normaliseShop(rawShop);
  if (!shop.ok || shop.shop !== rawShop)
    throw refuse('invalid_shop', 'the shop in the callback is not a myshopify.com shop');
  if (!verifyQueryHmac(q, [deps.shopifyApp.apiSecret]))
    throw refuse('invalid_hmac', 'the callback signature does not match');
  const ts = Number(q.get('timestamp'));
  const nowS = deps.clock.now().getTime() / 1000;
  if (!Number.isFinite(ts) || Math.abs(nowS - ts) > CALLBACK_SKEW_S)
    throw refuse('stale_callback', 'the callback is too old; connect again');
  const code = q.get('code');
  const nonce = q.get('state');
  if (!code || !nonce) throw refuse('invalid_callback', 'the callback has no code or state');
  const state = await consumeOAuthState(deps.db, hashNonce(nonce), deps.clock.now());
  if (!state)
    throw refuse('invalid_state', 'this connect link was already used or never issued; connect again');
  if (state.expiresAt < deps.clock.now())
    throw refuse('expired_state', 'the connect attempt expired; connect again');
  if (state.userId !== caller.userId || state.tenantId !== caller.tenantId || state.shop !== shop.shop) {
    throw refuse('foreign_state', 'this connect link belongs to another user or shop');
  }
  return { shop: shop.shop, code };
}

export interface ConnectResult {
  shop: string;
  missingScopes: string[];
  webhooks: number;
}

/** Step 2 (the OAuth callback): check everything, exchange the code, seal the tokens, subscribe webhooks. */
export async function completeConnect(
  deps: ShopifyDeps,
  caller: Caller,
  q: URLSearchParams,
): Promise<ConnectResult> {
  const { shop, code } = await checkCallback(deps, caller, q);
  const now = deps.clock.now();
  let tokens: IssuedTokens;
  try {
    tokens = await exchangeCode(deps.shopifyApp, shop, code, now);
  } catch (err) {
    await setConnectionState(
      deps.db,
      caller.tenantId,
      'error',
      `token exchange failed: ${(err as Error).message}`,
      now,
    );
    throw err;
  }
  // The sync cannot run on part of the store: a required scope Shopify did not grant (the merchant
  // declined it, or the app's configured scopes are narrower) stops here, before any subscription or
  // import, with the scopes named. read_all_orders is optional: without it the import reads 60 days.
  const lacking = missingScopes(deps.shopifyApp.scopes, tokens.scopes).filter(
    (s) => !OPTIONAL_SCOPES.includes(s),
  );
  if (lacking.length > 0) {
    const reason = `Shopify did not grant ${lacking.join(', ')}, which the sync needs; connect again and approve every scope`;
    await setConnectionState(deps.db, caller.tenantId, 'error', reason, now);
    deps.logger.warn({ tenantId: caller.tenantId, shop, lacking }, 'shopify connect: scopes not granted');
    throw new PermanentError(reason, 'scopes_not_granted');
  }
  const box = deps.secretBox;
  const sealed = {
    accessTokenSealed: box.seal(tokens.accessToken, `${caller.tenantId}:${shop}:access`),
    refreshTokenSealed: tokens.refreshToken
      ? box.seal(tokens.refreshToken, `${caller.tenantId}:${shop}:refresh`)
      : null,
    accessExpiresAt: tokens.accessExpiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
  };
  await storeTokens(deps.db, caller.tenantId, sealed, tokens.scopes, 'importing', now);
  let webhooks: number;
  try {
    webhooks = await registerWebhooks(deps.db, deps.shopifyApp, {
      tenantId: caller.tenantId,
      shop,
      accessToken: tokens.accessToken,
    });
  } catch (err) {
    // No import starts without its subscriptions (a change made meanwhile would be lost). Connecting
    // again reuses the subscriptions already made.
    const reason = `webhook registration failed: ${(err as Error).message}; connect again`;
    await setConnectionState(deps.db, caller.tenantId, 'error', reason, deps.clock.now());
    throw err;
  }
  deps.logger.info({ tenantId: caller.tenantId, shop, webhooks }, 'shopify connected');
  await startImport(deps, caller.tenantId); // webhooks first: nothing changed during the import is lost
  return { shop, missingScopes: missingScopes(deps.shopifyApp.scopes, tokens.scopes), webhooks };
}

/**
 * The current access token in clear, for outbound calls (never logged, never returned by the API),
 * refreshed first when it is about to expire.
 */
export function accessTokenFor(deps: ShopifyDeps, tenantId: string): Promise<LiveToken | undefined> {
  return liveAccessToken(deps, tenantId);
}

/** Disconnect: delete our subscriptions on Shopify, forget the tokens, keep every Retailos record. */
export async function disconnect(
  deps: ShopifyDeps,
  tenantId: string,
  reason = 'disconnected by the merchant',
): Promise<void> {
  const live = await accessTokenFor(deps, tenantId).catch((err: unknown) => {
    if (err instanceof PermanentError) return undefined; // the token is dead: forget locally, call nothing
    throw err;
  });
  if (live) await unregisterWebhooks(deps.db, deps.shopifyApp, { tenantId, ...live });
  else await forgetWebhooks(deps.db, tenantId);
  await stopSync(deps, tenantId, reason);
}

/**
 * Forgets the tokens and stops the import still running, if any, in one transaction: the import's
 * next batch finds it stopped and rolls back, so nothing more is read from the store. The merchant's
 * data stays.
 */
export async function stopSync(
  deps: Pick<ShopifyDeps, 'db' | 'clock'>,
  tenantId: string,
  reason: string,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await forgetTokens(tx, tenantId, reason, now);
    await stopLiveImport(tx, tenantId, reason, now);
  });
}
