import type { Queryable } from './db.ts';
import type { UserRole } from './users.ts';

export interface ApiToken {
  id: string;
  tenantId: string;
  userId: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

interface TokenRow {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, tenant_id, user_id, name, created_at, last_used_at, revoked_at';
const date = (d: Date | null): Date | null => (d === null ? null : new Date(d));

const toToken = (r: TokenRow): ApiToken => ({
  id: r.id,
  tenantId: r.tenant_id,
  userId: r.user_id,
  name: r.name,
  createdAt: new Date(r.created_at),
  lastUsedAt: date(r.last_used_at),
  revokedAt: date(r.revoked_at),
});

export interface NewApiToken {
  tenantId: string;
  userId: string;
  name: string;
  tokenHash: string;
}

export async function insertApiToken(db: Queryable, t: NewApiToken, now: Date): Promise<ApiToken> {
  const { rows } = await db.query<TokenRow>(
    `insert into api_tokens (tenant_id, user_id, name, token_hash, created_at)
     values ($1, $2, $3, $4, $5) returning ${COLUMNS}`,
    [t.tenantId, t.userId, t.name, t.tokenHash, now],
  );
  return toToken(rows[0] as TokenRow);
}

export interface TokenOwner {
  tokenId: string;
  tenantId: string;
  userId: string;
  role: UserRole;
  lastUsedAt: Date | null;
}

/** The unrevoked token with that hash, with its user's role. */
export async function findActiveToken(db: Queryable, tokenHash: string): Promise<TokenOwner | undefined> {
  const { rows } = await db.query<{
    id: string;
    tenant_id: string;
    user_id: string;
    role: UserRole;
    last_used_at: Date | null;
  }>(
    `select t.id, t.tenant_id, t.user_id, u.role, t.last_used_at
       from api_tokens t join users u on u.id = t.user_id and u.tenant_id = t.tenant_id
      where t.token_hash = $1 and t.revoked_at is null`,
    [tokenHash],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    tokenId: r.id,
    tenantId: r.tenant_id,
    userId: r.user_id,
    role: r.role,
    lastUsedAt: date(r.last_used_at),
  };
}

/** How long a verified token is trusted without asking the database again. */
const VERIFIED_TOKEN_TTL_MS = 5_000;
const VERIFIED_TOKEN_MAX = 1_000;

interface VerifiedTokens {
  byHash: Map<string, { owner: TokenOwner; until: number }>;
  /** Bumped by every revocation, so a lookup that raced one is not cached. */
  revocations: number;
}

/**
 * Recently verified tokens by hash, one bounded map (oldest evicted first) per database handle, so an
 * API request skips the lookup round trip. `revokeApiToken` on the same handle drops the entry at once;
 * another process serving the same database may accept a revoked token for up to the TTL.
 */
const verifiedTokens = new WeakMap<Queryable, VerifiedTokens>();

function verifiedFor(db: Queryable): VerifiedTokens {
  let v = verifiedTokens.get(db);
  if (!v) verifiedTokens.set(db, (v = { byHash: new Map(), revocations: 0 }));
  return v;
}

/** `findActiveToken`, answered from the verified-token cache while the entry is fresh. */
export async function findActiveTokenCached(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<TokenOwner | undefined> {
  const cache = verifiedFor(db);
  const hit = cache.byHash.get(tokenHash);
  if (hit && hit.until > now.getTime()) return hit.owner;
  cache.byHash.delete(tokenHash);
  const revocations = cache.revocations;
  const owner = await findActiveToken(db, tokenHash);
  if (owner && revocations === cache.revocations) {
    if (cache.byHash.size >= VERIFIED_TOKEN_MAX)
      cache.byHash.delete(cache.byHash.keys().next().value as string);
    cache.byHash.set(tokenHash, { owner, until: now.getTime() + VERIFIED_TOKEN_TTL_MS });
  }
  return owner;
}

/** Records use, at most once per `granularityMs`, so every request does not rewrite the row. */
export async function touchApiToken(
  db: Queryable,
  id: string,
  now: Date,
  granularityMs: number,
): Promise<void> {
  await db.query(
    `update api_tokens set last_used_at = $2
      where id = $1 and (last_used_at is null or last_used_at <= $3)`,
    [id, now, new Date(now.getTime() - granularityMs)],
  );
  for (const v of verifiedTokens.get(db)?.byHash.values() ?? []) {
    if (v.owner.tokenId === id) v.owner = { ...v.owner, lastUsedAt: now };
  }
}

/** Tokens of a tenant, newest first; `userId` narrows to one user's tokens. */
export async function listApiTokens(db: Queryable, tenantId: string, userId?: string): Promise<ApiToken[]> {
  const { rows } = await db.query<TokenRow>(
    `select ${COLUMNS} from api_tokens
      where tenant_id = $1 and ($2::uuid is null or user_id = $2::uuid)
      order by created_at desc, id`,
    [tenantId, userId ?? null],
  );
  return rows.map(toToken);
}

/**
 * Revokes a token of the tenant (only `userId`'s when given). Returns false when no such token exists;
 * revoking twice keeps the first revocation time.
 */
export async function revokeApiToken(
  db: Queryable,
  tenantId: string,
  id: string,
  now: Date,
  userId?: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update api_tokens set revoked_at = coalesce(revoked_at, $3)
      where tenant_id = $1 and id = $2 and ($4::uuid is null or user_id = $4::uuid)`,
    [tenantId, id, now, userId ?? null],
  );
  const cache = verifiedFor(db);
  cache.revocations += 1;
  for (const [hash, v] of cache.byHash) if (v.owner.tokenId === id) cache.byHash.delete(hash);
  return rowCount > 0;
}
