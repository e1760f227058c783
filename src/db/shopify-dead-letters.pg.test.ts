import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import {
  deadLetterAttempts,
  getDeadLetter,
  listDeadLetters,
  recordDeadLetter,
  settleDeadLetters,
  type DeadLetterWrite,
} from './shopify-dead-letters.ts';
import { insertHistory } from './shopify-sync-history.ts';

let t: TestDb;
let tenantId: string;
const at = (minute: number): Date => new Date(Date.UTC(2026, 2, 1, 10, minute));

beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
});
afterAll(async () => t.close());

async function insertCustomer(email: string, first: string, last: string): Promise<string> {
  const { rows } = await t.db.query<{ id: string }>(
    'insert into customers (tenant_id, email, first_name, last_name) values ($1, $2, $3, $4) returning id',
    [tenantId, email, first, last],
  );
  return (rows[0] as { id: string }).id;
}

const pushFailure = (localId: string, error: string, attempts: number): DeadLetterWrite => ({
  direction: 'outbound',
  entity: 'customer',
  localId,
  gid: null,
  displayName: 'refused@example.com',
  job: 'shopify.push',
  payload: { tenantId, entity: 'customer', localId },
  errorClass: 'user_error',
  error,
  attempts,
});

const lettersOf = async (localId: string) =>
  (await listDeadLetters(t.db, tenantId, { entity: 'customer' }, 100)).filter((l) => l.localId === localId);

const synced = {
  entity: 'customer' as const,
  gid: null,
  displayName: 'Synced',
  direction: 'outbound' as const,
  origin: 'push' as const,
  action: 'update' as const,
  outcome: 'applied' as const,
  before: null,
  after: null,
  diff: [],
  conflicts: [],
  error: null,
  searchWords: [],
};

describe('dead letters', () => {
  it('a replay that fails again keeps the same letter open, attempts counted on, with the new message', async () => {
    const id = await insertCustomer('a@example.com', 'Ada', 'Lovelace');
    const first = await recordDeadLetter(t.db, tenantId, pushFailure(id, 'Email is invalid', 3), at(0));
    expect((await settleDeadLetters(t.db, tenantId, [first], 'replayed', at(1))).map((l) => l.id)).toEqual([
      first,
    ]);
    const again = await recordDeadLetter(
      t.db,
      tenantId,
      pushFailure(id, 'Email has already been taken', 1),
      at(2),
    );
    expect(again).toBe(first);
    const letters = await lettersOf(id);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      id: first,
      state: 'open',
      settledAt: null,
      attempts: 4,
      firstError: 'Email is invalid',
      lastError: 'Email has already been taken',
      firstFailedAt: at(0),
      lastFailedAt: at(2),
    });
  });

  it('a failure after the replay synced opens a new letter, and the replayed one stays closed', async () => {
    const id = await insertCustomer('b@example.com', 'Grace', 'Hopper');
    const first = await recordDeadLetter(t.db, tenantId, pushFailure(id, 'first', 1), at(0));
    await settleDeadLetters(t.db, tenantId, [first], 'replayed', at(1));
    await insertHistory(
      t.db,
      tenantId,
      [
        {
          entity: 'customer',
          localId: id,
          gid: 'gid://shopify/Customer/2',
          displayName: 'Grace Hopper',
          direction: 'outbound',
          origin: 'push',
          action: 'update',
          outcome: 'applied',
          before: null,
          after: null,
          diff: [],
          conflicts: [],
          error: null,
          searchWords: [],
        },
      ],
      at(2),
    );
    const next = await recordDeadLetter(t.db, tenantId, pushFailure(id, 'later', 1), at(3));
    expect(next).not.toBe(first);
    expect((await getDeadLetter(t.db, tenantId, first))?.state).toBe('replayed');
    expect(await getDeadLetter(t.db, tenantId, next)).toMatchObject({
      state: 'open',
      attempts: 1,
      lastError: 'later',
    });
  });

  it('a discarded letter is not reopened by a later failure', async () => {
    const id = await insertCustomer('c@example.com', 'Alan', 'Turing');
    const first = await recordDeadLetter(t.db, tenantId, pushFailure(id, 'first', 1), at(0));
    await settleDeadLetters(t.db, tenantId, [first], 'discarded', at(1));
    const next = await recordDeadLetter(t.db, tenantId, pushFailure(id, 'again', 1), at(2));
    expect(next).not.toBe(first);
    expect((await getDeadLetter(t.db, tenantId, first))?.state).toBe('discarded');
  });

  it("a customer's letter names the customer, not the refused e-mail; the e-mail only when there is no name", async () => {
    const named = await insertCustomer('refused@example.com', 'Mary', 'Somerville');
    const letter = await recordDeadLetter(t.db, tenantId, pushFailure(named, 'Email is invalid', 1), at(0));
    expect((await getDeadLetter(t.db, tenantId, letter))?.displayName).toBe('Mary Somerville');
    const nameless = await insertCustomer('only@example.com', '', '');
    const other = await recordDeadLetter(
      t.db,
      tenantId,
      { ...pushFailure(nameless, 'Email is invalid', 1), displayName: 'only@example.com' },
      at(0),
    );
    expect((await getDeadLetter(t.db, tenantId, other))?.displayName).toBe('only@example.com');
  });

  it('over any run of failures (some at once), replays, discards and syncs: one open letter, no attempt lost, every failure logged', async () => {
    type Op = { kind: 'fail'; attempts: number[] } | { kind: 'replay' | 'discard' | 'synced' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constant('fail' as const),
        attempts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ kind: fc.constantFrom('replay' as const, 'discard' as const, 'synced' as const) }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        run += 1;
        const id = await insertCustomer(`p${run}@example.com`, 'Prop', `Run ${run}`);
        let minute = 0;
        let letters = 0;
        let attempts = 0;
        let failures = 0;
        let open = false;
        let replayedPending = false;
        for (const o of ops) {
          minute += 1;
          const now = at(minute);
          if (o.kind === 'fail') {
            await Promise.all(
              o.attempts.map((n) =>
                recordDeadLetter(t.db, tenantId, pushFailure(id, `fail ${minute}`, n), now),
              ),
            );
            if (!open && !replayedPending) letters += 1;
            attempts += o.attempts.reduce((a, b) => a + b, 0);
            failures += o.attempts.length;
            open = true;
            replayedPending = false;
          } else if (o.kind === 'synced') {
            await insertHistory(t.db, tenantId, [{ ...synced, localId: id }], now);
            replayedPending = false;
          } else {
            const openIds = (await lettersOf(id)).filter((l) => l.state === 'open').map((l) => l.id);
            await settleDeadLetters(
              t.db,
              tenantId,
              openIds,
              o.kind === 'replay' ? 'replayed' : 'discarded',
              now,
            );
            if (open) replayedPending = o.kind === 'replay';
            open = false;
          }
          const now_ = await lettersOf(id);
          expect(now_.filter((l) => l.state === 'open')).toHaveLength(open ? 1 : 0);
          expect(now_).toHaveLength(letters);
          expect(now_.reduce((n, l) => n + l.attempts, 0)).toBe(attempts);
          // Every failure is in its letter's attempts log, the last one at the letter's count.
          const logs = await Promise.all(now_.map((l) => deadLetterAttempts(t.db, tenantId, l.id)));
          expect(logs.reduce((n, log) => n + log.length, 0)).toBe(failures);
          now_.forEach((l, i) => expect(Math.max(...(logs[i] ?? []).map((a) => a.attempt))).toBe(l.attempts));
        }
      }),
      { numRuns: 40 },
    );
  });
});
