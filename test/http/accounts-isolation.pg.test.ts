import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test-support/api-client.ts';

/** The auth and token routes never show or touch another tenant's users and tokens. */
const t = useTestApp();

describe('tenant isolation of accounts and tokens', () => {
  it('each tenant sees only itself in /api/auth/me, by token and by session', async () => {
    for (const tenant of [t.a, t.b]) {
      const byToken = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: t.bearer(tenant) });
      expect(byToken.json()).toMatchObject({ user: { id: tenant.userId }, tenant: { id: tenant.tenantId } });
      const session = await t.login(tenant);
      const bySession = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: session.headers });
      expect(bySession.json()).toMatchObject({
        user: { id: tenant.userId },
        tenant: { id: tenant.tenantId },
      });
    }
  });

  it("a tenant's token list holds only its own tokens", async () => {
    const listA = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.bearer(t.a) });
    const listB = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.bearer(t.b) });
    expect(listA.json().items.map((i: { id: string }) => i.id)).toEqual([t.a.tokenId]);
    expect(listB.json().items.map((i: { id: string }) => i.id)).toEqual([t.b.tokenId]);
  });

  it("revoking another tenant's token answers 404 and leaves it working", async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${t.a.tokenId}`,
      headers: t.bearer(t.b),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: t.bearer(t.a) })).statusCode,
    ).toBe(200);
  });

  it('a token created by a tenant belongs to that tenant', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      payload: { name: 'b2' },
      headers: t.bearer(t.b),
    });
    const { rows } = await t.db.query<{ tenant_id: string }>(
      'select tenant_id from api_tokens where id = $1',
      [created.json().id],
    );
    expect(rows).toEqual([{ tenant_id: t.b.tenantId }]);
  });
});
