import { randomBytes } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { verifyPassword } from './auth/password.ts';
import { hashSecret } from './auth/secrets.ts';
import { useTestDb } from '../../test-support/core-fixture.ts';
import { bootstrapOwner, createApiToken, createUser, type AccountDeps } from './owner-bootstrap.ts';
import { CoreError } from './errors.ts';

const t = useTestDb();
let deps: AccountDeps;
beforeAll(() => {
  deps = {
    db: t.db,
    clock: new ManualClock('2026-03-01T00:00:00Z'),
    randomBytes,
    scrypt: { N: 1024, r: 8, p: 1, keyLength: 32 },
  };
});
beforeEach(async () => {
  await t.db.exec('delete from api_tokens; delete from sessions; delete from users; delete from tenants;');
});

const count = async (table: 'users' | 'tenants'): Promise<number> => {
  const { rows } = await t.db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return rows[0]?.n ?? -1;
};

const storedHash = async (email: string): Promise<string> => {
  const { rows } = await t.db.query<{ password_hash: string }>(
    'select password_hash from users where email = $1',
    [email],
  );
  return rows[0]?.password_hash ?? '';
};

describe('bootstrapOwner', () => {
  it('creates a tenant and owner with the configured password on first start, then never again', async () => {
    const first = await bootstrapOwner(deps, {
      adminEmail: 'boss@example.com',
      adminPassword: 'configured-password',
    });
    expect(first).toMatchObject({ created: true, email: 'boss@example.com', generatedPassword: undefined });
    expect(await verifyPassword('configured-password', await storedHash('boss@example.com'))).toBe(true);
    const { rows } = await t.db.query<{ role: string; name: string }>(
      'select u.role, t.name from users u join tenants t on t.id = u.tenant_id',
    );
    expect(rows).toEqual([{ role: 'owner', name: 'Default' }]);
    expect(
      await bootstrapOwner(deps, { adminEmail: 'other@example.com', adminPassword: 'another-password' }),
    ).toEqual({
      created: false,
    });
    expect(await count('users')).toBe(1);
  });

  it('generates a strong password when none is configured and returns it once', async () => {
    const res = await bootstrapOwner(deps, { adminEmail: 'boss@example.com' });
    if (!res.created) throw new Error('expected the owner to be created');
    expect(res.generatedPassword).toMatch(/^[\w-]{24}$/);
    expect(await verifyPassword(res.generatedPassword as string, await storedHash('boss@example.com'))).toBe(
      true,
    );
  });

  it('two processes starting together create exactly one owner', async () => {
    const results = await Promise.all([
      bootstrapOwner(deps, { adminEmail: 'boss@example.com', adminPassword: 'configured-password' }),
      bootstrapOwner(deps, { adminEmail: 'boss@example.com', adminPassword: 'configured-password' }),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await count('users')).toBe(1);
    expect(await count('tenants')).toBe(1);
  });
});

describe('createUser and createApiToken (CLI)', () => {
  it('creates a user in a new tenant, then a second one in the same tenant', async () => {
    const owner = await createUser(deps, {
      tenantName: 'Shop',
      email: 'a@example.com',
      password: 'long-enough-pw',
      role: 'owner',
    });
    const staff = await createUser(deps, {
      tenantId: owner.tenantId,
      email: 'b@example.com',
      password: 'long-enough-pw',
      role: 'staff',
    });
    expect(staff).toMatchObject({ tenantId: owner.tenantId, role: 'staff', email: 'b@example.com' });
    expect(staff.createdAt.toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('refuses a duplicate email (any case), a short password, a bad email and an unknown tenant', async () => {
    await createUser(deps, {
      tenantName: 'Shop',
      email: 'a@example.com',
      password: 'long-enough-pw',
      role: 'owner',
    });
    const attempts = [
      { tenantName: 'X', email: 'A@Example.com', password: 'long-enough-pw', role: 'owner' as const },
      { tenantName: 'X', email: 'c@example.com', password: 'short', role: 'owner' as const },
      { tenantName: 'X', email: 'not an email', password: 'long-enough-pw', role: 'owner' as const },
      {
        tenantId: '00000000-0000-4000-8000-000000000000',
        email: 'd@example.com',
        password: 'long-enough-pw',
        role: 'staff' as const,
      },
    ];
    const codes = [];
    for (const input of attempts) {
      const err = await createUser(deps, input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoreError);
      codes.push((err as CoreError).code);
    }
    expect(codes).toEqual(['duplicate_email', 'validation_failed', 'validation_failed', 'not_found']);
    expect(await count('tenants')).toBe(1); // the refused ones left no tenant behind
  });

  it('issues a token by email; only its hash is stored', async () => {
    const user = await createUser(deps, {
      tenantName: 'Shop',
      email: 'a@example.com',
      password: 'long-enough-pw',
      role: 'owner',
    });
    const issued = await createApiToken(deps, { email: 'A@example.com', name: 'cli' });
    expect(issued.token).toMatch(/^rtl_/);
    expect(issued.apiToken).toMatchObject({
      userId: user.id,
      tenantId: user.tenantId,
      name: 'cli',
      revokedAt: null,
    });
    const { rows } = await t.db.query<{ token_hash: string }>('select token_hash from api_tokens');
    expect(rows).toEqual([{ token_hash: hashSecret(issued.token) }]);
    await expect(createApiToken(deps, { email: 'nobody@example.com', name: 'x' })).rejects.toThrow(
      'no user with email',
    );
  });
});
