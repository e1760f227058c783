import {
  getConnection,
  setConnectionState,
  storeTokens,
  type ShopifyConnection,
} from '../db/shopify-connections.ts';
import type { Queryable } from '../db/db.ts';
import { PermanentError } from '../errors.ts';
import { refreshTokens } from '../shopify/oauth.ts';
import type { ShopifyDeps } from './shopify-deps.ts';

/** Libraries refresh an expiring token this long before it expires; so do we. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface LiveToken {
  shop: string;
  accessToken: string;
}

const aad = (c: Pick<ShopifyConnection, 'tenantId' | 'shop'>, kind: 'access' | 'refresh') =>
  `${c.tenantId}:${c.shop}:${kind}`;

function needsRefresh(c: ShopifyConnection, now: Date): boolean {
  return c.accessExpiresAt !== null && c.accessExpiresAt.getTime() - now.getTime() <= REFRESH_MARGIN_MS;
}

/**
 * The current access token for a tenant's shop, refreshed first when it expires within five minutes.
 * The refresh runs under the connection row's lock, so concurrent callers (any process) refresh once
 * and the rest read the rotated pair, which is stored atomically. A refused refresh puts the
 * connection in error_auth ("needs reconnect": the merchant must connect again).
 */
export async function liveAccessToken(deps: ShopifyDeps, tenantId: string): Promise<LiveToken | undefined> {
  const now = deps.clock.now();
  const current = await getConnection(deps.db, tenantId);
  if (!current?.accessTokenSealed) return undefined;
  if (!needsRefresh(current, now)) {
    return {
      shop: current.shop,
      accessToken: deps.secretBox.open(current.accessTokenSealed, aad(current, 'access')),
    };
  }
  return needsReconnectOn(deps, tenantId, () =>
    deps.db.transaction(async (tx) => {
      const c = await getConnection(tx, tenantId, true);
      if (!c?.accessTokenSealed) throw new PermanentError('the shop was disconnected', 'disconnected');
      if (!needsRefresh(c, now))
        return { shop: c.shop, accessToken: deps.secretBox.open(c.accessTokenSealed, aad(c, 'access')) };
      return refreshUnderLock(deps, tx, c, 'the access token expired');
    }),
  );
}

/**
 * Shopify refused `refused` (401) although it had not expired by our clock: it expired early or was
 * revoked. Under the row lock, a token another caller stored meanwhile is used as it is; otherwise
 * the pair is refreshed once. When that fails too, the connection goes to error_auth ("needs
 * reconnect") with the reason and this answers undefined, as it does for a disconnected shop: the
 * caller keeps its work pending until the merchant connects again. Network trouble stays transient.
 */
export async function renewRefusedToken(
  deps: ShopifyDeps,
  tenantId: string,
  refused: string,
): Promise<LiveToken | undefined> {
  try {
    return await needsReconnectOn(deps, tenantId, () =>
      deps.db.transaction(async (tx) => {
        const c = await getConnection(tx, tenantId, true);
        if (!c?.accessTokenSealed) return undefined;
        const stored = deps.secretBox.open(c.accessTokenSealed, aad(c, 'access'));
        if (stored !== refused) return { shop: c.shop, accessToken: stored };
        return refreshUnderLock(deps, tx, c, 'Shopify refused the access token (401)');
      }),
    );
  } catch (err) {
    if (err instanceof PermanentError) return undefined; // the connection now says why
    throw err;
  }
}

/** Refreshes the pair of the locked connection row `c` and stores the rotated pair atomically. */
async function refreshUnderLock(
  deps: ShopifyDeps,
  tx: Queryable,
  c: ShopifyConnection,
  why: string,
): Promise<LiveToken> {
  const now = deps.clock.now();
  const box = deps.secretBox;
  if (!c.refreshTokenSealed)
    throw new PermanentError(`${why} and there is no refresh token`, 'token_expired');
  const fresh = await refreshTokens(
    deps.shopifyApp,
    c.shop,
    box.open(c.refreshTokenSealed, aad(c, 'refresh')),
    now,
  );
  const sealed = {
    accessTokenSealed: box.seal(fresh.accessToken, aad(c, 'access')),
    refreshTokenSealed: fresh.refreshToken
      ? box.seal(fresh.refreshToken, aad(c, 'refresh'))
      : c.refreshTokenSealed,
    accessExpiresAt: fresh.accessExpiresAt,
    refreshExpiresAt: fresh.refreshToken ? fresh.refreshExpiresAt : c.refreshExpiresAt,
  };
  await storeTokens(tx, c.tenantId, sealed, fresh.scopes, c.state, now);
  deps.logger.info({ tenantId: c.tenantId, shop: c.shop }, 'shopify access token refreshed');
  return { shop: c.shop, accessToken: fresh.accessToken };
}

/** Runs `fn`; a permanent failure (the refresh was refused) moves the connection to error_auth first. */
async function needsReconnectOn<T>(deps: ShopifyDeps, tenantId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof PermanentError && err.errorClass !== 'disconnected') {
      await setConnectionState(
        deps.db,
        tenantId,
        'error_auth',
        `${err.message}; connect again`,
        deps.clock.now(),
      );
    }
    throw err;
  }
}
