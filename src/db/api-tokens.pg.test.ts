import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { ManualClock } from '../clock.ts';
import { createApiToken, createUser } from '../core/owner-bootstrap.ts';
import { hashSecret } from '../core/auth/secrets.ts';
import { findActiveTokenCached, revokeApiToken } from './api-tokens.ts';

let t: TestDb;
const clock = new ManualClock('2026-03-01T10:00:00Z');
let tenantId: string;
let userId: string;

beforeAll(async () => {
  t = await openTestDb();
  const user = await createUser(
    { db: t.db, clock, randomBytes },
    { email: 'cache@retailos.local', password: 'cache-password-1', role: 'owner', tenantName: 'Cache' },
  );
  tenantId = user.tenantId;
  userId = user.id;
});
afterAll(async () => {
  await t.close();
});

async function issue(name: string) {
  const { token, apiToken } = await createApiToken(
    { db: t.db, clock, randomBytes },
    { tenantId, userId, name },
  );
  return { hash: hashSecret(token), id: apiToken.id };
}

describe('the verified-token cache', () => {
  it('trusts a verified token for five seconds, then asks the database again', async () => {
    const token = await issue('cached');
    expect(await findActiveTokenCached(t.db, token.hash, clock.now())).toMatchObject({ tokenId: token.id });
    // Revoked behind the cache's back (another process): still trusted until the entry expires.
    await t.db.query('update api_tokens set revoked_at = now() where id = $1', [token.id]);
    expect(await findActiveTokenCached(t.db, token.hash, clock.now())).toMatchObject({ tokenId: token.id });
    clock.advance(5_000);
    expect(await findActiveTokenCached(t.db, token.hash, clock.now())).toBeUndefined();
  });

  it('forgets a token revoked through the same database handle at once', async () => {
    const token = await issue('revoked');
    expect(await findActiveTokenCached(t.db, token.hash, clock.now())).toBeDefined();
    expect(await revokeApiToken(t.db, tenantId, token.id, clock.now())).toBe(true);
    expect(await findActiveTokenCached(t.db, token.hash, clock.now())).toBeUndefined();
  });

  it('never caches an unknown token', async () => {
    const token = await issue('late');
    await t.db.query('update api_tokens set revoked_at = now() where id = $1', [token.id]);
    expect(await findActiveTokenCached(t.db, token.hash, clock.now())).toBeUndefined();
    await t.db.query('update api_tokens set revoked_at = null where id = $1', [token.id]);
    expect(await findActiveTokenCached(t.db, token.hash, clock.now())).toBeDefined();
  });
});
