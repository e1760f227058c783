import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../db/db.ts';
import { joinTransaction } from '../db/joined-transaction.ts';
import { commitWrite, WRITE_ATTEMPTS, type WriteContext } from './write-context.ts';

// A merchant's write aborted by Postgres to break a deadlock with live sync (chaos seed 22: DELETE of a
// product answered 500) changed nothing, so it runs again; any other failure is the caller's at once.

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

/** A Db whose transactions fail with the given errors in turn, then run the work. */
function failingDb(failures: Error[]): Db & { runs: number } {
  const tx = {} as Queryable;
  const db = {
    kind: 'postgres' as const,
    runs: 0,
    async transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      db.runs += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return fn(tx);
    },
    query: () => Promise.reject(new Error('not used')),
    exec: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  };
  return db as unknown as Db & { runs: number };
}

function context(): WriteContext & { told: number } {
  const ctx = {
    tenantId: 't',
    origin: 'api' as const,
    clock: { now: () => new Date(0) } as WriteContext['clock'],
    told: 0,
    changesRecorded: () => {
      ctx.told += 1;
      return Promise.resolve();
    },
  };
  return ctx;
}

describe('commitWrite', () => {
  it.each(['40P01', '40001'])(
    'runs a write aborted with %s again, and tells the listener once',
    async (code) => {
      const db = failingDb([pgError(code), pgError(code)]);
      const ctx = context();
      await expect(commitWrite(db, ctx, () => Promise.resolve('done'))).resolves.toBe('done');
      expect(db.runs).toBe(3);
      expect(ctx.told).toBe(1);
    },
  );

  it(`gives up after ${WRITE_ATTEMPTS} aborted attempts with the database's error`, async () => {
    const db = failingDb(Array.from({ length: WRITE_ATTEMPTS }, () => pgError('40P01')));
    const ctx = context();
    await expect(commitWrite(db, ctx, () => Promise.resolve('done'))).rejects.toMatchObject({
      code: '40P01',
    });
    expect(db.runs).toBe(WRITE_ATTEMPTS);
    expect(ctx.told).toBe(0);
  });

  it('does not run a write again for any other failure', async () => {
    const db = failingDb([pgError('23505')]);
    const ctx = context();
    await expect(commitWrite(db, ctx, () => Promise.resolve('done'))).rejects.toMatchObject({
      code: '23505',
    });
    expect(db.runs).toBe(1);
  });
});

describe('commitWrite over any sequence of failures', () => {
  // Whatever the database throws in turn (aborts, another error, success), the write commits at most once,
  // the listener is told exactly when it committed, and only aborts are run again, at most WRITE_ATTEMPTS.
  it('runs again only after an abort, at most WRITE_ATTEMPTS times, and tells once after a commit', async () => {
    const failure = fc.constantFrom('40P01', '40001', '23505', '57P01');
    await fc.assert(
      fc.asyncProperty(fc.array(failure, { maxLength: WRITE_ATTEMPTS + 2 }), async (codes) => {
        const db = failingDb(codes.map(pgError));
        const ctx = context();
        let committed = 0;
        const outcome = await commitWrite(db, ctx, () => {
          committed += 1;
          return Promise.resolve('done');
        }).then(
          (v) => v,
          (err: { code: string }) => err.code,
        );
        const firstOther = codes.findIndex((c) => c !== '40P01' && c !== '40001');
        const aborts = firstOther === -1 ? codes.length : firstOther;
        if (aborts >= WRITE_ATTEMPTS) {
          expect(outcome).toBe(codes[WRITE_ATTEMPTS - 1]);
          expect(db.runs).toBe(WRITE_ATTEMPTS);
        } else if (firstOther !== -1) {
          expect(outcome).toBe(codes[firstOther]);
          expect(db.runs).toBe(aborts + 1);
        } else {
          expect(outcome).toBe('done');
          expect(db.runs).toBe(aborts + 1);
        }
        expect(committed).toBe(outcome === 'done' ? 1 : 0);
        expect(ctx.told).toBe(committed);
      }),
    );
  });
});

describe('commitWrite inside a joined transaction', () => {
  // A use case run inside its caller's transaction (joinTransaction, as Sync History's revert does): an
  // abort ended the caller's transaction, where a rerun meets only 25P02. The abort goes to the caller.
  it("does not run the write again, and hands the caller the database's 40P01", async () => {
    const failures = [pgError('40P01'), pgError('25P02')];
    let queries = 0;
    const tx: Queryable = {
      query: () => {
        queries += 1;
        return Promise.reject(failures.shift() ?? new Error('no more'));
      },
      exec: () => Promise.reject(new Error('not used')),
    };
    const ctx = context();
    const write = commitWrite(joinTransaction({ kind: 'postgres' }, tx), ctx, async (q) => {
      await q.query('delete from products');
      return 'done';
    });
    await expect(write).rejects.toMatchObject({ code: '40P01' });
    expect(queries).toBe(1);
    expect(ctx.told).toBe(0);
  });
});
