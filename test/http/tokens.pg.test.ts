import { describe, expect, it } from 'vitest';
import { createUser } from '../../src/core/owner-bootstrap.ts';
import { hashSecret } from '../../src/core/auth/secrets.ts';
import { useTestApp } from '../../test-support/api-client.ts';

const t = useTestApp();

const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers });
const create = (headers: Record<string, string>, name: string) =>
  t.app.inject({ method: 'POST', url: '/api/tokens', payload: { name }, headers });

describe('API tokens', () => {
  it('a bearer token authenticates as its user with via token and no CSRF token', async () => {
    const res = await me(t.bearer(t.b));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { id: t.b.userId },
      tenant: { id: t.b.tenantId },
      via: 'token',
      csrf_token: null,
    });
  });

  it('POST /api/tokens shows the token once and stores only its hash', async () => {
    const res = await create(t.bearer(t.a), '  deploy bot ');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      name: 'deploy bot',
      user_id: t.a.userId,
      last_used_at: null,
      revoked_at: null,
    });
    expect(body.token).toMatch(/^rtl_[\w-]{43}$/);
    const { rows } = await t.db.query<{ token_hash: string }>(
      'select token_hash from api_tokens where id = $1',
      [body.id],
    );
    expect(rows[0]?.token_hash).toBe(hashSecret(body.token));
    const listed = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.bearer(t.a) });
    expect(JSON.stringify(listed.json())).not.toContain(body.token);
    expect(listed.json().items.map((i: { id: string }) => i.id)).toContain(body.id);
  });

  it('records last_used_at from the clock, at most once a minute', async () => {
    const token = (await create(t.bearer(t.a), 'usage')).json();
    t.clock.set('2026-02-01T10:00:00Z');
    expect((await me(t.bearer(token.token))).statusCode).toBe(200);
    t.clock.set('2026-02-01T10:00:30Z');
    expect((await me(t.bearer(token.token))).statusCode).toBe(200);
    const { rows } = await t.db.query<{ last_used_at: Date }>(
      'select last_used_at from api_tokens where id = $1',
      [token.id],
    );
    expect(new Date(rows[0]?.last_used_at as Date).toISOString()).toBe('2026-02-01T10:00:00.000Z');
  });

  it('a revoked token answers 401 at once', async () => {
    const token = (await create(t.bearer(t.a), 'short-lived')).json();
    expect((await me(t.bearer(token.token))).statusCode).toBe(200);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${token.id}`,
      headers: t.bearer(t.a),
    });
    expect(del.statusCode).toBe(204);
    const after = await me(t.bearer(token.token));
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const listed = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.bearer(t.a) });
    const entry = listed.json().items.find((i: { id: string }) => i.id === token.id);
    expect(entry.revoked_at).not.toBeNull();
  });

  it('malformed or unknown bearer tokens answer 401', async () => {
    for (const authorization of ['Bearer nope', 'Basic abc', `Bearer rtl_${'x'.repeat(43)}`]) {
      const res = await me({ authorization });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('staff see and revoke only their own tokens; owners see the whole tenant', async () => {
    const staff = await createUser(t.deps, {
      tenantId: t.a.tenantId,
      email: 'staff-a@example.com',
      password: 'staff-password-1',
      role: 'staff',
    });
    const staffSession = await t.login({ email: staff.email, password: 'staff-password-1' });
    const own = (await create(staffSession.headers, 'staff own')).json();
    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: staffSession.headers });
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([own.id]);
    const ownerTokenDel = await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${t.a.tokenId}`,
      headers: staffSession.headers,
    });
    expect(ownerTokenDel.statusCode).toBe(404);
    const ownerList = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.bearer(t.a) });
    expect(ownerList.json().items.map((i: { id: string }) => i.id)).toContain(own.id);
  });
});
