import type { EmulatorClock } from '../control/clock.ts';
import type { Random } from '../control/random.ts';

export const ACCESS_TOKEN_TTL_S = 3600;
export const REFRESH_TOKEN_TTL_S = 90 * 24 * 3600;
/** The previous refresh token stays usable at most this long after its first use. */
export const REFRESH_GRACE_MS = 30 * 24 * 3600 * 1000;
export const AUTH_CODE_TTL_MS = 10 * 60 * 1000;
export const ONLINE_TOKEN_TTL_S = 24 * 3600;

/** The shop's one staff member, who approves installs. */
export interface StaffUser {
  id: number;
  first_name: string;
  last_name: string;
  email: string;
  email_verified: boolean;
  account_owner: boolean;
  locale: string;
  collaborator: boolean;
}

export function staffUser(shop: string): StaffUser {
  return {
    id: 1,
    first_name: 'Shop',
    last_name: 'Owner',
    email: `owner@${shop}`,
    email_verified: true,
    account_owner: true,
    locale: 'en',
    collaborator: false,
  };
}

export interface AccessToken {
  token: string;
  shop: string;
  apiKey: string;
  scopes: string[];
  expiresAt: number | null;
  revoked: boolean;
}

export interface RefreshToken {
  token: string;
  shop: string;
  apiKey: string;
  scopes: string[];
  expiresAt: number;
  /** The refresh token this one replaced (rotation chain). */
  parent: string | null;
  firstUsedAt: number | null;
  retired: boolean;
}

export interface AuthCode {
  code: string;
  shop: string;
  apiKey: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
  /** `grant_options[]=per-user`: the exchange gives an online (user) token. */
  perUser: boolean;
}

/** Token response body, field names as Shopify's `/admin/oauth/access_token`. */
export interface TokenResponse {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

export type AccessCheck =
  { ok: true; token: AccessToken } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

export type RefreshResult = { ok: true; response: TokenResponse } | { ok: false; reason: string };

export interface TokenStore {
  issueCode(shop: string, apiKey: string, scopes: string[], perUser?: boolean): AuthCode;
  /** Marks the code used; undefined when unknown, used, expired or for another app/shop. */
  redeemCode(code: string, shop: string, apiKey: string): AuthCode | undefined;
  issue(shop: string, apiKey: string, scopes: string[], expiring: boolean): TokenResponse;
  /** Online token for the shop's staff user: 24 h, no refresh token. */
  issueOnline(
    shop: string,
    apiKey: string,
    scopes: string[],
  ): TokenResponse & { associated_user_scope: string; associated_user: StaffUser };
  /** Install with a fixed non-expiring token (CLI / control API). */
  installToken(shop: string, apiKey: string, scopes: string[], token: string): AccessToken;
  refresh(shop: string, apiKey: string, refreshToken: string): RefreshResult;
  /** Is `token` a live access token for `shop`? (Tokens are per shop.) */
  check(token: string, shop: string): AccessCheck;
  /** Revokes every access and refresh token of (shop, app); returns how many. */
  revokeAll(shop: string, apiKey: string): number;
  list(): AccessToken[];
  clear(): void;
}

export function createTokenStore(clock: EmulatorClock, random: Random): TokenStore {
  const access = new Map<string, AccessToken>();
  const refresh = new Map<string, RefreshToken>();
  const codes = new Map<string, AuthCode>();

  const issue = (
    shop: string,
    apiKey: string,
    scopes: string[],
    expiring: boolean,
    parent: string | null = null,
  ): TokenResponse => {
    const now = clock.nowMs();
    const token = `shpat_${random.hex(16)}`;
    access.set(keyOf(shop, token), {
      token,
      shop,
      apiKey,
      scopes,
      expiresAt: expiring ? now + ACCESS_TOKEN_TTL_S * 1000 : null,
      revoked: false,
    });
    if (!expiring) return { access_token: token, scope: scopes.join(',') };
    const rt = `shprt_${random.hex(16)}`;
    refresh.set(rt, {
      token: rt,
      shop,
      apiKey,
      scopes,
      expiresAt: now + REFRESH_TOKEN_TTL_S * 1000,
      parent,
      firstUsedAt: null,
      retired: false,
    });
    return {
      access_token: token,
      scope: scopes.join(','),
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: rt,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
    };
  };

  return {
    issueCode(shop, apiKey, scopes, perUser = false) {
      const code: AuthCode = {
        code: random.hex(16),
        shop,
        apiKey,
        scopes,
        expiresAt: clock.nowMs() + AUTH_CODE_TTL_MS,
        used: false,
        perUser,
      };
      codes.set(code.code, code);
      return code;
    },
    redeemCode(value, shop, apiKey) {
      const code = codes.get(value);
      if (!code || code.used || code.shop !== shop || code.apiKey !== apiKey) return undefined;
      code.used = true;
      return code.expiresAt > clock.nowMs() ? code : undefined;
    },
    issue: (shop, apiKey, scopes, expiring) => issue(shop, apiKey, scopes, expiring),
    issueOnline(shop, apiKey, scopes) {
      const token = `shpua_${random.hex(16)}`;
      access.set(keyOf(shop, token), {
        token,
        shop,
        apiKey,
        scopes,
        expiresAt: clock.nowMs() + ONLINE_TOKEN_TTL_S * 1000,
        revoked: false,
      });
      const scope = scopes.join(',');
      return {
        access_token: token,
        scope,
        expires_in: ONLINE_TOKEN_TTL_S,
        associated_user_scope: scope,
        associated_user: staffUser(shop),
      };
    },
    installToken(shop, apiKey, scopes, token) {
      const record: AccessToken = { token, shop, apiKey, scopes, expiresAt: null, revoked: false };
      access.set(keyOf(shop, token), record);
      return record;
    },
    refresh(shop, apiKey, value) {
      const rt = refresh.get(value);
      const verdict =
        rt && rt.shop === shop && rt.apiKey === apiKey ? refreshVerdict(rt, clock.nowMs()) : 'unknown';
      if (verdict !== 'ok' || !rt) return { ok: false, reason: verdict };
      rt.firstUsedAt ??= clock.nowMs();
      if (rt.parent) retireChain(refresh, rt.parent);
      return { ok: true, response: issue(shop, apiKey, rt.scopes, true, rt.token) };
    },
    check(token, shop) {
      const record = access.get(keyOf(shop, token));
      if (!record) return { ok: false, reason: 'unknown' };
      if (record.revoked) return { ok: false, reason: 'revoked' };
      if (record.expiresAt !== null && record.expiresAt <= clock.nowMs())
        return { ok: false, reason: 'expired' };
      return { ok: true, token: record };
    },
    revokeAll(shop, apiKey) {
      let n = 0;
      for (const t of access.values())
        if (t.shop === shop && t.apiKey === apiKey && !t.revoked) {
          t.revoked = true;
          n++;
        }
      for (const r of refresh.values()) if (r.shop === shop && r.apiKey === apiKey) r.retired = true;
      return n;
    },
    list: () => [...access.values()],
    clear() {
      access.clear();
      refresh.clear();
      codes.clear();
    },
  };
}

const keyOf = (shop: string, token: string): string => `${shop}\u0000${token}`;

function refreshVerdict(rt: RefreshToken, now: number): 'ok' | 'unknown' | 'expired' | 'revoked' {
  if (rt.retired) return 'revoked';
  if (rt.expiresAt <= now) return 'expired';
  if (rt.firstUsedAt !== null && now - rt.firstUsedAt > REFRESH_GRACE_MS) return 'expired';
  return 'ok';
}

/** Using a replacement retires the token it replaced (and that one's ancestors). */
function retireChain(refresh: Map<string, RefreshToken>, token: string): void {
  let current = refresh.get(token);
  while (current && !current.retired) {
    current.retired = true;
    current = current.parent ? refresh.get(current.parent) : undefined;
  }
}
