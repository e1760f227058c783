import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

describe('a named query', () => {
  it('answers like an unnamed one, run after run on the same connection', async () => {
    const sql = 'select $1::int + 1 as n';
    const answers = await t.db.transaction(async (tx) => {
      const ns: number[] = [];
      for (let i = 0; i < 7; i++) {
        const { rows } = await tx.query<{ n: number }>(sql, [i], { name: 'db_test_add_one' });
        ns.push(rows[0]!.n);
      }
      return ns;
    });
    expect(answers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await t.db.query<{ n: number }>(sql, [41])).rows).toEqual([{ n: 42 }]);
  });

  it('is prepared once per connection on Postgres, and ignored by PGlite', async () => {
    const prepared = await t.db.transaction(async (tx) => {
      await tx.query('select 1 as one', [], { name: 'db_test_one' });
      await tx.query('select 1 as one', [], { name: 'db_test_one' });
      const { rows } = await tx.query<{ name: string }>(
        `select name from pg_prepared_statements where name = 'db_test_one'`,
      );
      return rows.map((r) => r.name);
    });
    expect(prepared).toEqual(t.db.kind === 'postgres' ? ['db_test_one'] : []);
  });
});
