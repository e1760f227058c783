import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { listChangesAfter } from '../db/changes.ts';
import { pgErrorCode, type Db, type Queryable } from '../db/db.ts';
import { failOnIdleError } from '../../test-support/db.ts';
import { useTwoTenants } from '../../test-support/core-fixture.ts';
import { setInventory } from './inventory.ts';
import { createLocation } from './locations.ts';
import { createProduct, deleteProduct } from './products.ts';
import { WRITE_ATTEMPTS, type WriteContext } from './write-context.ts';

// Issue 16, chaos seed 22: DELETE /api/products/:id met live sync on the stock levels its delete cascades
// to. Sync held a level and then wanted the product; the delete held the product and waited for the
// level. Postgres aborts one side with 40P01. Here the cycle is real (two connections on the Postgres
// server), staged in that order without sleeps: sync locks the level, the delete is seen waiting for it
// (pg_blocking_pids), then sync asks for the product row. Whichever side Postgres picks as the victim,
// the delete commits once, with its effects and its change row once, and the listener is told once.

const { t, clock, ctx } = useTwoTenants();

/** The fixture's context for tenant A, counting how often it is told changes were recorded. */
function counting(): WriteContext & { told: number } {
  const counted = {
    tenantId: ctx.tenantId,
    origin: ctx.origin,
    clock,
    told: 0,
    changesRecorded: () => {
      counted.told += 1;
      return Promise.resolve();
    },
  };
  return counted;
}

/** The Db with its transactions counted (a rerun after 40P01 is a second transaction). */
function countingTransactions(db: Db): Db & { runs: number } {
  const counted = Object.assign(Object.create(db) as Db, { runs: 0 }) as Db & { runs: number };
  counted.transaction = <T>(fn: (tx: Queryable) => Promise<T>) => {
    counted.runs += 1;
    return db.transaction(fn);
  };
  return counted;
}

/** A product with two stocked variants; returns its id and its variants' ids. */
async function stockedProduct(title: string) {
  const p = await createProduct(t.db, ctx, {
    title,
    variants: ['S', 'M'].map((s) => ({
      sku: `${title}-${s}`,
      price: '10',
      optionValues: [{ name: 'Size', value: s }],
    })),
  });
  const shop = (await createLocation(t.db, ctx, { name: `${title} shop` })).id;
  for (const v of p.variants)
    await setInventory(t.db, ctx, { variantId: v.id, locationId: shop, available: 3, reason: 'count' });
  return { id: p.id, variantIds: p.variants.map((v) => v.id) };
}

/** What the delete left behind: the product, its levels and its delete change rows. */
async function remains(product: { id: string; variantIds: string[] }) {
  const { rows } = await t.db.query<{ products: number; levels: number }>(
    `select (select count(*)::int from products where id = $1) as products,
            (select count(*)::int from inventory_levels where variant_id = any($2::uuid[])) as levels`,
    [product.id, product.variantIds],
  );
  const changes = await listChangesAfter(t.db, ctx.tenantId, 0, 10_000);
  const deletes = changes.filter((c) => c.entityId === product.id && c.op === 'delete').length;
  return { ...(rows[0] as { products: number; levels: number }), deletes };
}

const holdLevel = `update inventory_levels set available = available + 1 where variant_id = $1`;
const touchProduct = `update products set title = title || ' (synced)' where id = $1`;

// Which engine runs is the suite's choice (see openTestDb); each gets the case that can happen on it.
const onServer = process.env['TEST_DATABASE_URL'] !== undefined;

describe('a merchant delete meeting a sync transaction in the opposite lock order', () => {
  // The sync side's deadlock_timeout decides who checks for the cycle first, and so (as a rule) who is
  // aborted: 10ms makes sync the victim, 10s leaves the check to the delete's session (1s).
  if (onServer)
    it.each([
      ['sync', '10ms'],
      ['the delete', '10s'],
    ])(
      'Postgres server (victim as a rule: %s): the delete commits once, its listener told once',
      async (_victim, syncDeadlockTimeout) => {
        const product = await stockedProduct(`DL${syncDeadlockTimeout}`);
        const db = countingTransactions(t.db);
        const merchant = counting();
        const sync = new pg.Client({ connectionString: t.url });
        sync.on('error', failOnIdleError);
        await sync.connect();
        try {
          await sync.query('begin');
          await sync.query(`set local deadlock_timeout = '${syncDeadlockTimeout}'`);
          const syncPid = (await sync.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
          await sync.query(holdLevel, [product.variantIds[1]]);

          const deleted = deleteProduct(db, merchant, product.id).then(
            () => 'committed',
            (err: unknown) => pgErrorCode(err) ?? err,
          );
          // The delete holds the product row and waits for the level sync holds.
          for (;;) {
            const { rows } = await t.db.query(
              'select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
              [syncPid],
            );
            if (rows.length > 0) break;
          }
          const syncOutcome = await sync.query(touchProduct, [product.id]).then(
            async () => {
              await sync.query('commit');
              return 'committed';
            },
            async (err: unknown) => {
              await sync.query('rollback');
              return pgErrorCode(err);
            },
          );
          expect(await deleted).toBe('committed');
          expect(['committed', '40P01']).toContain(syncOutcome);
          // Sync committed: the delete was aborted at least once and a later run committed. (When the
          // aborted delete's rerun takes the product row before sync, waiting sync wakes, the cycle forms
          // again and the rerun can be aborted too.) Sync aborted: a run of the delete committed.
          expect(db.runs).toBeGreaterThanOrEqual(syncOutcome === 'committed' ? 2 : 1);
          expect(db.runs).toBeLessThanOrEqual(WRITE_ATTEMPTS);
          expect(await remains(product)).toEqual({ products: 0, levels: 0, deletes: 1 });
          expect(merchant.told).toBe(1);
        } finally {
          await sync.end();
        }
      },
    );

  // PGlite is one connection: a transaction waits for the one before it, so no lock cycle can form. What
  // holds there: the delete waits until sync's transaction ends, and then commits once.
  if (!onServer)
    it('PGlite (one connection, no deadlock possible): the delete runs after sync, once, its listener told once', async () => {
      const product = await stockedProduct('DLlite');
      const db = countingTransactions(t.db);
      const merchant = counting();
      let deleted: Promise<void> | undefined;
      const syncSaw = await t.db.transaction(async (tx) => {
        await tx.query(holdLevel, [product.variantIds[1]]);
        deleted = deleteProduct(db, merchant, product.id);
        return (await tx.query(touchProduct, [product.id])).rowCount;
      });
      await deleted;
      expect(syncSaw).toBe(1);
      expect(db.runs).toBe(1);
      expect(await remains(product)).toEqual({ products: 0, levels: 0, deletes: 1 });
      expect(merchant.told).toBe(1);
    });
});
