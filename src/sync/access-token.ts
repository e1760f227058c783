import {
  getConnection,
  setConnectionState,
  storeTokens,
  type ShopifyConnection,
} from '../db/shopify-connections.ts';
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
 * connection in error_auth (the merchant must connect again).
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
  try {
    return await deps.db.transaction(async (tx) => {
      const c = await getConnection(tx, tenantId, true);
      if (!c?.accessTokenSealed) throw new PermanentError('the shop was disconnected', 'disconnected');
      const box = deps.secretBox;
      if (!needsRefresh(c, now))
        return { shop: c.shop, accessToken: box.open(c.accessTokenSealed, aad(c, 'access')) };
      if (!c.refreshTokenSealed)
        throw new PermanentError('the access token expired and there is no refresh token', 'token_expired');
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
      await storeTokens(tx, tenantId, sealed, fresh.scopes, c.state, now);
      deps.logger.info({ tenantId, shop: c.shop }, 'shopify access token refreshed');
      return { shop: c.shop, accessToken: fresh.accessToken };
    });
  } catch (err) {
    if (err instanceof PermanentError) {
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
