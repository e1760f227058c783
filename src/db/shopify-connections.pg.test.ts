import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { pgConstraint, pgErrorCode, PG_UNIQUE_VIOLATION } from './db.ts';
import {
  getConnection,
  recordUnusableGrant,
  saveGrant,
  shopHeldByAnotherTenant,
} from './shopify-connections.ts';

/**
 * A shop is taken only by a completed grant (a connection holding tokens): concurrent grants of one
 * shop by several workspaces leave exactly one holder, whatever the order, and the others are refused
 * by the unique index by name (the connect callback turns that into 409 shop_taken). Rows without
 * tokens (an error, an old 'connecting') reserve nothing.
 */
let t: TestDb;
let shops = 0;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t?.close();
});

const grant = (tenantId: string, shop: string) =>
  saveGrant(t.db, {
    tenantId,
    shop,
    apiVersion: '2026-04',
    requestedScopes: ['read_products'],
    grantedScopes: ['read_products'],
    tokens: {
      accessTokenSealed: `v1.sealed-${tenantId}`,
      refreshTokenSealed: null,
      accessExpiresAt: null,
      refreshExpiresAt: null,
    },
    state: 'importing',
    now: new Date(),
  });

const unusable = (tenantId: string, shop: string) =>
  recordUnusableGrant(t.db, {
    tenantId,
    shop,
    apiVersion: '2026-04',
    requestedScopes: ['read_products'],
    reason: 'Shopify did not grant read_products',
    now: new Date(),
  });

describe('who holds a shop', () => {
  it('in any order of concurrent grants, exactly one workspace holds the shop and the rest are refused by the index', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 5 }),
        async (s, hadError) => {
          const shop = `race-${(shops += 1)}.myshopify.com`;
          const tenants = await Promise.all(hadError.map((_h, i) => insertTenant(t.db, `T${i}`)));
          // Some had tried the shop before and failed: rows without tokens, which reserve nothing.
          for (const [i, id] of tenants.entries()) if (hadError[i]) await unusable(id, shop);
          const results = await s.waitFor(
            Promise.allSettled(
              tenants.map((id) => s.schedule(Promise.resolve(id)).then((x) => grant(x, shop))),
            ),
          );
          const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [tenants[i] as string] : []));
          expect(won).toHaveLength(1);
          for (const r of results) {
            if (r.status === 'rejected') {
              expect(pgErrorCode(r.reason)).toBe(PG_UNIQUE_VIOLATION);
              expect(pgConstraint(r.reason)).toBe('shopify_connections_live_shop_key');
            }
          }
          const holder = won[0] as string;
          for (const id of tenants) {
            expect(await shopHeldByAnotherTenant(t.db, shop, id)).toBe(id !== holder);
            const c = await getConnection(t.db, id);
            if (id === holder) expect(c).toMatchObject({ shop, state: 'importing' });
            else if (c) expect(c).toMatchObject({ state: 'error', accessTokenSealed: null });
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('an unusable grant leaves a connection that holds a grant as it was', async () => {
    const id = await insertTenant(t.db);
    await grant(id, 'kept.myshopify.com');
    const before = await getConnection(t.db, id);
    await unusable(id, 'kept.myshopify.com');
    expect(await getConnection(t.db, id)).toEqual(before);
  });
});
