import { createHash } from 'node:crypto';
import { CoreError } from '../core/errors.ts';
import { pgConstraint, pgErrorCode, PG_UNIQUE_VIOLATION } from '../db/db.ts';
import {
  forgetTokens,
  getConnection,
  recordUnusableGrant,
  saveGrant,
  shopHeldByAnotherTenant,
  type ShopifyConnection,
} from '../db/shopify-connections.ts';
import { PermanentError } from '../errors.ts';
import { liveAccessToken } from './access-token.ts';
import { stopLiveImport } from '../db/shopify-imports.ts';
import { consumeOAuthState, dropOAuthState, insertOAuthState } from '../db/shopify-oauth-states.ts';
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

/** A connection holding Shopify's tokens: a completed grant, the only thing that takes a shop. */
const holdsGrant = (c: ShopifyConnection | undefined): c is ShopifyConnection =>
  c !== undefined && c.accessTokenSealed !== null;

const alreadyConnected = (c: ShopifyConnection): CoreError =>
  new CoreError(
    'conflict',
    'already_connected',
    `this workspace is connected to ${c.shop}; disconnect it first`,
  );

/**
 * Step 1: validate the shop, store a single-use state bound to the user, return the consent URL. The
 * attempt lives in that state only: the connection (and a sync it runs) is untouched until a grant
 * completes, and the shop is not reserved, so an attempt never approved blocks nobody. Whether another
 * workspace holds the shop is not looked at here (that would tell anyone who asks).
 */
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
  const current = await getConnection(deps.db, caller.tenantId);
  if (holdsGrant(current) && current.shop !== check.shop) throw alreadyConnected(current);
  const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
  await insertOAuthState(deps.db, {
    nonceHash: hashNonce(nonce),
    ...caller,
    shop: check.shop,
    now,
    expiresAt,
  });
  const url = authorizeUrl(app, check.shop, {
    scopes: app.scopes,
    redirectUri: callbackUrl(app),
    state: nonce,
  });
  return { authorizeUrl: url, shop: check.shop };
}

/** What stays as it was after an attempt that did not complete, in the merchant's words. */
function unchanged(c: ShopifyConnection | undefined): string {
  if (holdsGrant(c)) return `Nothing changed: ${c.shop} stays connected (${c.state}).`;
  return 'Nothing changed: no store is connected.';
}

/**
 * The merchant pressed Cancel on Shopify's consent screen: Shopify sends the browser back with
 * `error=access_denied` and the state, unsigned. The caller's pending attempt with that state is
 * dropped (its link can no longer complete); nothing else changes. Returns the message to show.
 */
export async function cancelConnect(deps: ShopifyDeps, caller: Caller, q: URLSearchParams): Promise<string> {
  const nonce = q.get('state');
  if (nonce) await dropOAuthState(deps.db, hashNonce(nonce), caller, deps.clock.now());
  const current = await getConnection(deps.db, caller.tenantId);
  return `Connecting was cancelled on Shopify. ${unchanged(current)}`;
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

/**
 * A callback refused after its checks: the page says why and that nothing changed. The live
 * connection, if any, goes on as it was.
 */
function failedAttempt(
  reason: string,
  code: string,
  current: ShopifyConnection | undefined,
  cause?: unknown,
) {
  return new PermanentError(
    `${reason}. ${unchanged(current)}`,
    code,
    cause === undefined ? undefined : { cause },
  );
}

/** The shop is held by another workspace's grant; the same words whatever the workspace. */
const shopTaken = (shop: string): CoreError =>
  new CoreError(
    'conflict',
    'shop_taken',
    `${shop} is already connected to another Retailos workspace; it must be disconnected there first`,
  );

/**
 * Registers every webhook topic for the new grant (reusing any already there) before it is kept. No
 * import starts without its subscriptions (a change made meanwhile would be lost). On failure a live
 * grant goes on as it was; a workspace without one shows `error` with the reason. Connecting again
 * reuses the subscriptions already made.
 */
async function subscribe(
  deps: ShopifyDeps,
  caller: Caller,
  shop: string,
  accessToken: string,
  current: ShopifyConnection | undefined,
): Promise<number> {
  try {
    return await registerWebhooks(deps.db, deps.shopifyApp, { tenantId: caller.tenantId, shop, accessToken });
  } catch (err) {
    const reason = `webhook registration failed: ${(err as Error).message}; connect again`;
    if (holdsGrant(current)) throw failedAttempt(reason, 'webhook_registration_failed', current, err);
    await recordUnusableGrant(deps.db, {
      tenantId: caller.tenantId,
      shop,
      apiVersion: deps.shopifyApp.apiVersion,
      requestedScopes: deps.shopifyApp.scopes,
      reason,
      now: deps.clock.now(),
    });
    throw err;
  }
}

/** Seals the issued tokens and keeps the grant: the connection now imports from this shop. */
async function keepGrant(
  deps: ShopifyDeps,
  caller: Caller,
  shop: string,
  tokens: IssuedTokens,
  now: Date,
): Promise<void> {
  const aad = (kind: string) => `${caller.tenantId}:${shop}:${kind}`;
  const sealed = {
    accessTokenSealed: deps.secretBox.seal(tokens.accessToken, aad('access')),
    refreshTokenSealed: tokens.refreshToken ? deps.secretBox.seal(tokens.refreshToken, aad('refresh')) : null,
    accessExpiresAt: tokens.accessExpiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
  };
  try {
    await saveGrant(deps.db, {
      tenantId: caller.tenantId,
      shop,
      apiVersion: deps.shopifyApp.apiVersion,
      requestedScopes: deps.shopifyApp.scopes,
      grantedScopes: tokens.scopes,
      tokens: sealed,
      state: 'importing',
      now,
    });
  } catch (err) {
    // Another workspace's grant for this shop completed between the check before the exchange and now.
    if (pgErrorCode(err) === PG_UNIQUE_VIOLATION && pgConstraint(err) === 'shopify_connections_live_shop_key')
      throw shopTaken(shop);
    throw err;
  }
}

/**
 * Step 2 (the OAuth callback): check everything, exchange the code, seal the tokens, subscribe
 * webhooks. A grant replaces the live connection only once it is complete and usable: a refused
 * exchange or missing scopes leave a connection that holds a grant as it was (its sync goes on).
 */
export async function completeConnect(
  deps: ShopifyDeps,
  caller: Caller,
  q: URLSearchParams,
): Promise<ConnectResult> {
  const { shop, code } = await checkCallback(deps, caller, q);
  const current = await getConnection(deps.db, caller.tenantId);
  if (holdsGrant(current) && current.shop !== shop) throw alreadyConnected(current);
  // The signed callback proves the merchant granted this shop; only now may they learn it is taken.
  // Checked before the exchange, so the other workspace's tokens are left alone.
  if (await shopHeldByAnotherTenant(deps.db, shop, caller.tenantId)) throw shopTaken(shop);
  const now = deps.clock.now();
  let tokens: IssuedTokens;
  try {
    tokens = await exchangeCode(deps.shopifyApp, shop, code, now);
  } catch (err) {
    throw failedAttempt(
      `Shopify refused the token exchange: ${(err as Error).message}`,
      'exchange_failed',
      current,
      err,
    );
  }
  // The sync cannot run on part of the store: a required scope Shopify did not grant (the merchant
  // declined it, or the app's configured scopes are narrower) stops here, before any subscription or
  // import, with the scopes named. read_all_orders is optional: without it the import reads 60 days.
  const lacking = missingScopes(deps.shopifyApp.scopes, tokens.scopes).filter(
    (s) => !OPTIONAL_SCOPES.includes(s),
  );
  if (lacking.length > 0) {
    const reason = `Shopify did not grant ${lacking.join(', ')}, which the sync needs; connect again and approve every scope`;
    await recordUnusableGrant(deps.db, {
      tenantId: caller.tenantId,
      shop,
      apiVersion: deps.shopifyApp.apiVersion,
      requestedScopes: deps.shopifyApp.scopes,
      reason,
      now,
    });
    deps.logger.warn({ tenantId: caller.tenantId, shop, lacking }, 'shopify connect: scopes not granted');
    throw holdsGrant(current)
      ? failedAttempt(reason, 'scopes_not_granted', current)
      : new PermanentError(reason, 'scopes_not_granted');
  }
  // Subscriptions first, with the new token: a grant that cannot subscribe replaces nothing.
  const webhooks = await subscribe(deps, caller, shop, tokens.accessToken, current);
  await keepGrant(deps, caller, shop, tokens, now);
  deps.logger.info({ tenantId: caller.tenantId, shop, webhooks }, 'shopify connected');
  await startImport(deps, caller.tenantId); // webhooks first: nothing changed during the import is lost
  return { shop, missingScopes: missingScopes(deps.shopifyApp.scopes, tokens.scopes), webhooks };
}

/** Disconnect: delete our subscriptions on Shopify, forget the tokens, keep every Retailos record. */
export async function disconnect(
  deps: ShopifyDeps,
  tenantId: string,
  reason = 'disconnected by the merchant',
): Promise<void> {
  const live = await liveAccessToken(deps, tenantId).catch((err: unknown) => {
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
