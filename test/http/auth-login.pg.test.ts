import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/core/owner-bootstrap.ts';
import { hashSecret } from '../../src/core/auth/secrets.ts';
import { useTestApp } from '../../test-support/api-client.ts';
import { sessionFromSetCookie } from '../../test-support/app.ts';

const t = useTestApp({ loginThrottle: { maxFailures: 3, windowMs: 60_000 } });

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers });

describe('POST /api/auth/login', () => {
  it('a right password opens a session and returns the user, tenant and CSRF token', async () => {
    const res = await login(t.a.email, t.a.password);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      user: { id: t.a.userId, email: t.a.email, role: 'owner', tenant_id: t.a.tenantId },
      tenant: { id: t.a.tenantId, name: 'Tenant A' },
      via: 'session',
    });
    expect(body.csrf_token).toMatch(/^[\w-]{40,}$/);
    const sessionId = sessionFromSetCookie(res.headers['set-cookie']);
    const { rows } = await t.db.query<{ n: number }>(
      'select count(*)::int as n from sessions where user_id = $1',
      [t.a.userId],
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(1);
    // Only the hash is stored, never the id itself.
    const byHash = await t.db.query('select user_id from sessions where id_hash = $1', [
      hashSecret(sessionId),
    ]);
    expect(byHash.rows).toEqual([{ user_id: t.a.userId }]);
    const raw = await t.db.query('select 1 from sessions where id_hash = $1 or csrf_secret = $1', [
      sessionId,
    ]);
    expect(raw.rows).toEqual([]);
  });

  it('the email is matched case-insensitively', async () => {
    expect((await login(t.a.email.toUpperCase(), t.a.password)).statusCode).toBe(200);
  });

  it('a wrong password and an unknown email get the same 401 and no cookie', async () => {
    const wrong = await login(t.b.email, 'not-the-password');
    const unknown = await login('nobody@example.com', 'not-the-password');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toEqual({
      error: { code: 'invalid_credentials', message: 'wrong email or password' },
    });
  });
});

describe('session cookie', () => {
  const cookieOf = async (app: FastifyInstance, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: t.a.email, password: t.a.password },
      headers,
    });
    expect(res.statusCode).toBe(200);
    return String(res.headers['set-cookie']);
  };

  it('is HttpOnly, SameSite=Lax, Path=/, expiring, and not Secure over plain http', async () => {
    const cookie = await cookieOf(t.app);
    expect(cookie).toMatch(/^retailos_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).toMatch(/Max-Age=1209600/);
    expect(cookie).not.toContain('Secure');
  });

  it('ignores X-Forwarded-Proto unless the proxy is trusted', async () => {
    expect(await cookieOf(t.app, { 'x-forwarded-proto': 'https' })).not.toContain('Secure');
  });

  it('is Secure behind a trusted proxy that saw https', async () => {
    const proxied = await t.variant({ config: { trustProxy: 'true' } });
    expect(await cookieOf(proxied, { 'x-forwarded-proto': 'https' })).toContain('Secure');
    expect(await cookieOf(proxied, { 'x-forwarded-proto': 'http' })).not.toContain('Secure');
  });

  it('is always Secure when configured so', async () => {
    const secure = await t.variant({ config: { secureCookies: 'true' } });
    expect(await cookieOf(secure)).toContain('Secure');
  });
});

describe('login rate limit (3 failures per minute in this app)', () => {
  const email = 'throttled@example.com';
  const password = 'throttled-password';
  beforeAll(async () => {
    const cheap = { N: 1024, r: 8, p: 1, keyLength: 32 };
    await createUser(
      { ...t.deps, scrypt: cheap },
      { tenantId: t.a.tenantId, email, password, role: 'staff' },
    );
  });

  it('after the allowed failures even the right password answers 429 with Retry-After, per IP and email', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.9' }; // not trusted here: every inject comes from 127.0.0.1
    for (let i = 0; i < 3; i++) expect((await login(email, 'wrong-password', ip)).statusCode).toBe(401);
    const blocked = await login(email, password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('60');
    expect(blocked.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Another email from the same IP is not affected.
    expect((await login(t.a.email, t.a.password)).statusCode).toBe(200);
    t.clock.advance(30_000);
    expect((await login(email, password)).headers['retry-after']).toBe('30');
    t.clock.advance(30_001);
    expect((await login(email, password)).statusCode).toBe(200);
  });

  it('a successful login clears the failures', async () => {
    for (let i = 0; i < 2; i++) expect((await login(email, 'wrong-password')).statusCode).toBe(401);
    expect((await login(email, password)).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login(email, 'wrong-password')).statusCode).toBe(401);
    expect((await login(email, password)).statusCode).toBe(200);
  });
});
