import { beforeAll, describe, expect, it } from 'vitest';
import { listChangesAfter } from '../../db/changes.ts';
import type { Db, Queryable } from '../../db/db.ts';
import { saveGrant } from '../../db/shopify-connections.ts';
import { insertHistory, listHistory } from '../../db/shopify-sync-history.ts';
import { setInventory } from '../../core/inventory.ts';
import { createLocation } from '../../core/locations.ts';
import { createProduct } from '../../core/products.ts';
import type { WriteContext } from '../../core/write-context.ts';
import { useTwoTenants } from '../../../test-support/core-fixture.ts';
import { revertHistoryEntry, type RevertDeps } from './history-revert.ts';

// Issue 16: a revert writes stock and records like a merchant's write, in its own transaction (the core
// write joins it), so it can meet live sync on the same rows in another order and be aborted by Postgres
// (40P01). The aborted transaction changed nothing: the revert runs again, whole, and moves the stock once.
// The abort is staged (the first transaction does all its work, then fails as an abort would, and rolls
// back): a real cycle needs two connections, which PGlite does not have.

const { t, clock, ctx } = useTwoTenants();
let levelId: string;

/** t.db whose first `aborts` transactions run their work and then fail with 40P01 (rolled back). */
function abortingFirst(db: Db, aborts: number): Db & { runs: number } {
  const wrapped = Object.assign(Object.create(db) as Db, { runs: 0 }) as Db & { runs: number };
  wrapped.transaction = <T>(fn: (tx: Queryable) => Promise<T>) => {
    wrapped.runs += 1;
    const abort = wrapped.runs <= aborts;
    return db.transaction(async (tx) => {
      const result = await fn(tx);
      if (abort) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      return result;
    });
  };
  return wrapped;
}

beforeAll(async () => {
  const p = await createProduct(t.db, ctx, { title: 'Mug', variants: [{ sku: 'MUG', price: '8' }] });
  const shop = (await createLocation(t.db, ctx, { name: 'Shop' })).id;
  const level = await setInventory(t.db, ctx, {
    variantId: p.variants[0]!.id,
    locationId: shop,
    available: 7,
    reason: 'count',
  });
  levelId = level.id;
  await saveGrant(t.db, {
    tenantId: ctx.tenantId,
    shop: 'revert-deadlock.myshopify.com',
    apiVersion: '2026-04',
    requestedScopes: ['read_products'],
    grantedScopes: ['read_products'],
    tokens: {
      accessTokenSealed: 'v1.sealed',
      refreshTokenSealed: null,
      accessExpiresAt: null,
      refreshExpiresAt: null,
    },
    state: 'syncing',
    now: clock.now(),
  });
});

/** A webhook that took the level from 5 to 7 available (its revert takes 2 away). */
async function stockEntry(): Promise<number> {
  const [id] = await insertHistory(
    t.db,
    ctx.tenantId,
    [
      {
        entity: 'inventory_level',
        localId: levelId,
        gid: 'gid://shopify/InventoryLevel/1',
        displayName: 'Mug at Shop',
        direction: 'inbound',
        origin: 'webhook',
        action: 'update',
        outcome: 'applied',
        before: { available: 5, onHand: 5 },
        after: { available: 7, onHand: 7 },
        diff: [{ path: 'available', before: 5, after: 7 }],
        conflicts: null,
        error: null,
        searchWords: ['MUG'],
      },
    ],
    clock.now(),
  );
  return id as number;
}

async function available(): Promise<number> {
  const { rows } = await t.db.query<{ available: number }>(
    'select available from inventory_levels where id = $1',
    [levelId],
  );
  return rows[0]!.available;
}

describe('a revert aborted by the database', () => {
  it('runs again after 40P01 and moves the stock once, with one revert entry and one change row', async () => {
    const entryId = await stockEntry();
    const before = {
      available: await available(),
      changes: (await listChangesAfter(t.db, ctx.tenantId, 0)).length,
    };
    let told = 0;
    const merchant: WriteContext = {
      ...ctx,
      changesRecorded: () => {
        told += 1;
        return Promise.resolve();
      },
    };
    const db = abortingFirst(t.db, 2);
    const deps = { db, adapters: {} as RevertDeps['adapters'] };
    const outcome = await revertHistoryEntry(deps, {
      kind: 'revert',
      entryId,
      confirm: false,
      ctx: merchant,
    });

    expect(db.runs).toBe(3);
    expect(outcome.entry).toMatchObject({ origin: 'revert', linkedEntryId: entryId });
    expect(await available()).toBe(before.available - 2);
    expect((await listChangesAfter(t.db, ctx.tenantId, 0)).length).toBe(before.changes + 1);
    const reverts = (await listHistory(t.db, ctx.tenantId, {}, 100)).filter(
      (e) => e.linkedEntryId === entryId,
    );
    expect(reverts).toHaveLength(1);
    expect(told).toBe(1);
  });
});
