import { beforeAll } from 'vitest';
import { ManualClock } from '../src/clock.ts';
import type { WriteContext } from '../src/core/write-context.ts';
import type { ChangesRecorded } from '../src/deps.ts';
import { listChangesAfter } from '../src/db/changes.ts';
import type { Db, Queryable } from '../src/db/db.ts';
import { openTestDb, type TestDb } from './db.ts';
import { openForFile } from './open-for-file.ts';
import { insertTenant } from './tenant.ts';

export interface TwoTenants {
  /** The file's fresh database, there from the first beforeAll to the last afterAll. */
  t: TestDb;
  /** Starts at 2026-03-01T10:00:00Z; both contexts write with it. */
  clock: ManualClock;
  /** Tenant "A" writing as a user (its tenantId is set in beforeAll). */
  ctx: WriteContext;
  /** Tenant "B" writing as a user, to prove A's writes and refusals never reach it. */
  other: WriteContext;
  /** How many change rows the tenant has. */
  changeCount(tenantId: string): Promise<number>;
}

/** Core tests' `changesRecorded`: nobody listens (the relay wake-up has tests of its own). */
export const noListener: ChangesRecorded = async () => undefined;

/**
 * Registers beforeAll/afterAll that open a fresh, migrated database for the file (see openTestDb) and
 * close it, and returns it, there for the file's tests and for hooks registered after this call.
 */
export function useTestDb(): TestDb {
  return openForFile(
    () => openTestDb(),
    (db) => db.close(),
  );
}

/**
 * useTestDb, with two tenants, A and B, inserted in beforeAll; core tests write as A through `ctx` and
 * as B through `other`:
 *
 *   const { t, clock, ctx, other, changeCount } = useTwoTenants();
 */
export function useTwoTenants(): TwoTenants {
  const t = useTestDb();
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const ctx: WriteContext = { tenantId: '', origin: 'user', clock, changesRecorded: noListener };
  const other: WriteContext = { tenantId: '', origin: 'user', clock, changesRecorded: noListener };
  beforeAll(async () => {
    ctx.tenantId = await insertTenant(t.db, 'A');
    other.tenantId = await insertTenant(t.db, 'B');
  });
  return {
    t,
    clock,
    ctx,
    other,
    changeCount: async (tenantId) => (await listChangesAfter(t.db, tenantId, 0, 10_000)).length,
  };
}

/** A Db whose transactions run the work and then fail, as a later step in the same transaction would. */
export function failingAfterWrite(db: Db): Db {
  return {
    ...db,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) =>
      db.transaction(async (tx) => {
        await fn(tx);
        throw new Error('boom after the write');
      }),
  };
}
