import type { Queryable } from './db.ts';

export interface OAuthState {
  tenantId: string;
  userId: string;
  shop: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export async function insertOAuthState(
  q: Queryable,
  s: { nonceHash: string; tenantId: string; userId: string; shop: string; now: Date; expiresAt: Date },
): Promise<void> {
  await q.query(
    `insert into shopify_oauth_states (nonce_hash, tenant_id, user_id, shop, created_at, expires_at) values ($1, $2, $3, $4, $5, $6)`,
    [s.nonceHash, s.tenantId, s.userId, s.shop, s.now, s.expiresAt],
  );
}

/**
 * Marks the state used and returns it, in one statement: a replayed state finds it already used and
 * gets nothing, so it is single-use even under concurrent callbacks.
 */
export async function consumeOAuthState(
  q: Queryable,
  nonceHash: string,
  now: Date,
): Promise<OAuthState | undefined> {
  const { rows } = await q.query<{
    tenant_id: string;
    user_id: string;
    shop: string;
    expires_at: Date;
    used_at: Date | null;
  }>(
    `update shopify_oauth_states set used_at = $2 where nonce_hash = $1 and used_at is null
     returning tenant_id, user_id, shop, expires_at, used_at`,
    [nonceHash, now],
  );
  const r = rows[0];
  return r
    ? { tenantId: r.tenant_id, userId: r.user_id, shop: r.shop, expiresAt: r.expires_at, usedAt: r.used_at }
    : undefined;
}

/**
 * Drops the caller's pending attempt with this state (the merchant cancelled on Shopify): marked used,
 * so its link can no longer complete. Another user's state is left alone.
 */
export async function dropOAuthState(
  q: Queryable,
  nonceHash: string,
  caller: { tenantId: string; userId: string },
  now: Date,
): Promise<void> {
  await q.query(
    `update shopify_oauth_states set used_at = $4
     where nonce_hash = $1 and tenant_id = $2 and user_id = $3 and used_at is null`,
    [nonceHash, caller.tenantId, caller.userId, now],
  );
}

export async function deleteExpiredOAuthStates(q: Queryable, now: Date): Promise<number> {
  const { rowCount } = await q.query('delete from shopify_oauth_states where expires_at < $1', [now]);
  return rowCount;
}
