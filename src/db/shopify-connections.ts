import type { Queryable } from './db.ts';

export type ConnectionState =
  'disconnected' | 'connecting' | 'importing' | 'syncing' | 'error_auth' | 'error';

export interface ShopifyConnection {
  id: string;
  tenantId: string;
  shop: string;
  state: ConnectionState;
  stateReason: string | null;
  accessTokenSealed: string | null;
  refreshTokenSealed: string | null;
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
  requestedScopes: string[];
  grantedScopes: string[];
  apiVersion: string;
  connectedAt: Date | null;
  updatedAt: Date;
  version: number;
}

interface Row {
  id: string;
  tenant_id: string;
  shop: string;
  state: ConnectionState;
  state_reason: string | null;
  access_token_sealed: string | null;
  refresh_token_sealed: string | null;
  access_expires_at: Date | null;
  refresh_expires_at: Date | null;
  requested_scopes: string[];
  granted_scopes: string[];
  api_version: string;
  connected_at: Date | null;
  updated_at: Date;
  version: number;
}

const toConnection = (r: Row): ShopifyConnection => ({
  id: r.id,
  tenantId: r.tenant_id,
  shop: r.shop,
  state: r.state,
  stateReason: r.state_reason,
  accessTokenSealed: r.access_token_sealed,
  refreshTokenSealed: r.refresh_token_sealed,
  accessExpiresAt: r.access_expires_at,
  refreshExpiresAt: r.refresh_expires_at,
  requestedScopes: r.requested_scopes,
  grantedScopes: r.granted_scopes,
  apiVersion: r.api_version,
  connectedAt: r.connected_at,
  updatedAt: r.updated_at,
  version: r.version,
});

export async function getConnection(
  q: Queryable,
  tenantId: string,
  forUpdate = false,
): Promise<ShopifyConnection | undefined> {
  const { rows } = await q.query<Row>(
    `select * from shopify_connections where tenant_id = $1${forUpdate ? ' for update' : ''}`,
    [tenantId],
  );
  return rows[0] ? toConnection(rows[0]) : undefined;
}

export interface TokenPair {
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
}

/** Stores a token pair atomically (both or neither) and moves the connection to `state`. */
export async function storeTokens(
  q: Queryable,
  tenantId: string,
  tokens: TokenPair,
  grantedScopes: readonly string[],
  state: ConnectionState,
  now: Date,
): Promise<void> {
  await q.query(
    `update shopify_connections set access_token_sealed = $2, refresh_token_sealed = $3, access_expires_at = $4,
       refresh_expires_at = $5, granted_scopes = $6, state = $7, state_reason = null,
       connected_at = coalesce(connected_at, $8), updated_at = $8, version = version + 1
     where tenant_id = $1`,
    [
      tenantId,
      tokens.accessTokenSealed,
      tokens.refreshTokenSealed,
      tokens.accessExpiresAt,
      tokens.refreshExpiresAt,
      grantedScopes,
      state,
      now,
    ],
  );
}

/**
 * A completed grant: the tenant's row (created if it has none) takes this shop, the sealed token pair
 * and `state`. The shop must not be held by another tenant's grant: the unique index
 * shopify_connections_live_shop_key refuses it (a unique violation the caller turns into a conflict).
 */
export async function saveGrant(
  q: Queryable,
  g: {
    tenantId: string;
    shop: string;
    apiVersion: string;
    requestedScopes: readonly string[];
    grantedScopes: readonly string[];
    tokens: TokenPair;
    state: ConnectionState;
    now: Date;
  },
): Promise<void> {
  await q.query(
    `insert into shopify_connections (tenant_id, shop, state, requested_scopes, granted_scopes, api_version,
       access_token_sealed, refresh_token_sealed, access_expires_at, refresh_expires_at, connected_at, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11)
     on conflict (tenant_id) do update set shop = excluded.shop, state = excluded.state, state_reason = null,
       requested_scopes = excluded.requested_scopes, granted_scopes = excluded.granted_scopes,
       api_version = excluded.api_version, access_token_sealed = excluded.access_token_sealed,
       refresh_token_sealed = excluded.refresh_token_sealed, access_expires_at = excluded.access_expires_at,
       refresh_expires_at = excluded.refresh_expires_at,
       connected_at = coalesce(shopify_connections.connected_at, excluded.connected_at),
       updated_at = excluded.updated_at, version = shopify_connections.version + 1`,
    [
      g.tenantId,
      g.shop,
      g.state,
      g.requestedScopes,
      g.grantedScopes,
      g.apiVersion,
      g.tokens.accessTokenSealed,
      g.tokens.refreshTokenSealed,
      g.tokens.accessExpiresAt,
      g.tokens.refreshExpiresAt,
      g.now,
    ],
  );
}

/**
 * A grant that could not be used (scopes missing) for a tenant holding no grant: the row says `error`
 * with the reason, for this shop, without tokens, so it reserves nothing. A row that holds a grant is
 * left as it is (its sync goes on).
 */
export async function recordUnusableGrant(
  q: Queryable,
  c: {
    tenantId: string;
    shop: string;
    apiVersion: string;
    requestedScopes: readonly string[];
    reason: string;
    now: Date;
  },
): Promise<void> {
  await q.query(
    `insert into shopify_connections (tenant_id, shop, state, state_reason, requested_scopes, api_version, created_at, updated_at)
     values ($1, $2, 'error', $3, $4, $5, $6, $6)
     on conflict (tenant_id) do update set shop = excluded.shop, state = 'error', state_reason = excluded.state_reason,
       requested_scopes = excluded.requested_scopes, api_version = excluded.api_version,
       updated_at = excluded.updated_at, version = shopify_connections.version + 1
     where shopify_connections.access_token_sealed is null`,
    [c.tenantId, c.shop, c.reason, c.requestedScopes, c.apiVersion, c.now],
  );
}

/** Whether another tenant holds a grant for `shop` (the only thing that takes a shop). */
export async function shopHeldByAnotherTenant(
  q: Queryable,
  shop: string,
  tenantId: string,
): Promise<boolean> {
  const { rows } = await q.query(
    `select 1 from shopify_connections where shop = $1 and tenant_id <> $2 and access_token_sealed is not null`,
    [shop, tenantId],
  );
  return rows.length > 0;
}

export async function setConnectionState(
  q: Queryable,
  tenantId: string,
  state: ConnectionState,
  reason: string | null,
  now: Date,
): Promise<void> {
  await q.query(
    `update shopify_connections set state = $2, state_reason = $3, updated_at = $4, version = version + 1 where tenant_id = $1`,
    [tenantId, state, reason, now],
  );
}

/** Disconnect: forget the tokens, keep the row (and all merchant data) for history. */
export async function forgetTokens(q: Queryable, tenantId: string, reason: string, now: Date): Promise<void> {
  await q.query(
    `update shopify_connections set state = 'disconnected', state_reason = $2, access_token_sealed = null,
       refresh_token_sealed = null, access_expires_at = null, refresh_expires_at = null, connected_at = null,
       updated_at = $3, version = version + 1
     where tenant_id = $1`,
    [tenantId, reason, now],
  );
}
