import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/api-client.ts';
import type { TestSession } from '../../test-support/app.ts';

const t = useTestApp();
let s: TestSession;
beforeAll(async () => {
  s = await t.login(t.a);
});

const tokenCount = async (): Promise<number> => {
  const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from api_tokens');
  return rows[0]?.n ?? -1;
};

const createToken = (headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'ci' }, headers });

describe('session authentication', () => {
  it('GET /api/auth/me answers the caller and the same CSRF token login gave', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: s.headers['cookie'] as string },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: t.a.userId, email: t.a.email, role: 'owner', tenant_id: t.a.tenantId },
      tenant: { id: t.a.tenantId, name: 'Tenant A' },
      via: 'session',
      csrf_token: s.csrfToken,
    });
  });

  it('no credentials, a made-up cookie or an expired session answer 401 unauthenticated', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: 'retailos_session=forged' },
    });
    expect(forged.statusCode).toBe(401);
    const later = await t.login(t.b);
    t.clock.advance(14 * 24 * 3600 * 1000 + 1);
    const expired = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: later.headers });
    expect(expired.statusCode).toBe(401);
    t.clock.advance(-(14 * 24 * 3600 * 1000 + 1));
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  it('a POST without X-CSRF-Token answers 403 csrf_invalid and writes nothing', async () => {
    const before = await tokenCount();
    const res = await createToken({ cookie: s.headers['cookie'] as string });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: { code: 'csrf_invalid', message: 'missing or wrong X-CSRF-Token header' },
    });
    expect(await tokenCount()).toBe(before);
  });

  it('a POST with a wrong token answers 403 csrf_invalid and writes nothing', async () => {
    const before = await tokenCount();
    const other = await t.login(t.b); // a real token, but of another session
    const res = await createToken({ cookie: s.headers['cookie'] as string, 'x-csrf-token': other.csrfToken });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'csrf_invalid' } });
    expect(await tokenCount()).toBe(before);
  });

  it('a POST with the session token passes', async () => {
    const before = await tokenCount();
    const res = await createToken(s.headers);
    expect(res.statusCode).toBe(201);
    expect(await tokenCount()).toBe(before + 1);
  });

  it('a bearer token needs no CSRF token', async () => {
    const before = await tokenCount();
    const res = await createToken(t.bearer(t.a));
    expect(res.statusCode).toBe(201);
    expect(await tokenCount()).toBe(before + 1);
  });
});

describe('POST /api/auth/logout', () => {
  it('needs the CSRF token, then ends the session and clears the cookie', async () => {
    const session = await t.login(t.a);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: session.headers['cookie'] as string },
    });
    expect(noCsrf.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/^retailos_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: session.headers });
    expect(after.statusCode).toBe(401);
    // The other session of the same user is untouched.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode).toBe(
      200,
    );
  });

  it('logging in again with a session cookie ends the previous session', async () => {
    const first = await t.login(t.b);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: t.b.email, password: t.b.password },
      headers: { cookie: first.headers['cookie'] as string },
    });
    expect(res.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: first.headers })).statusCode,
    ).toBe(401);
  });
});
