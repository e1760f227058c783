import fc from 'fast-check';
import type { Db } from '../../src/db/db.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/core/owner-bootstrap.ts';
import { useTestApp } from '../../test-support/api-client.ts';

/**
 * The login limits hold under concurrency: every attempt is counted before the password is hashed, so
 * a burst sent at once gets no more tries than one sent one by one. Limits in this app, per minute:
 * 3 per IP + email (cleared by a success), 5 per email from any IP, 8 per IP across emails.
 */
const POLICY = { maxFailures: 3, maxPerEmail: 5, maxPerIp: 8, windowMs: 60_000 };

/** Every query first waits for the fast-check scheduler, when a property run has set one. */
let scheduler: fc.Scheduler | null = null;
const scheduled = (db: Db): Db => ({
  kind: db.kind,
  query: async (sql, params, options) => {
    if (scheduler) await scheduler.schedule(Promise.resolve(), 'query');
    return db.query(sql, params, options);
  },
  exec: (sql) => db.exec(sql),
  transaction: (fn) => db.transaction(fn),
  close: () => db.close(),
});

const t = useTestApp({ loginThrottle: POLICY, wrapDb: scheduled });

const USERS = ['ann@example.com', 'bob@example.com', 'cat@example.com'];
const passwordOf = (email: string): string => `right-${email}`;

beforeAll(async () => {
  const cheap = { N: 1024, r: 8, p: 1, keyLength: 32 };
  for (const email of USERS) {
    await createUser(
      { ...t.deps, db: t.db, scrypt: cheap },
      { tenantId: t.a.tenantId, email, password: passwordOf(email), role: 'staff' },
    );
  }
});

const login = (email: string, password: string, ip: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });

/** Every window closed: the next attempts start from nothing. */
const freshWindows = (): void => t.clock.advance(POLICY.windowMs + 1);

const count = (statuses: number[], status: number): number => statuses.filter((s) => s === status).length;

describe('login limits under concurrency', () => {
  it('a burst of 40 wrong logins for one email gets 3 password checks; the rest, and then the right password, get 429', async () => {
    freshWindows();
    const [email] = USERS as [string];
    const burst = await Promise.all(
      Array.from({ length: 40 }, () => login(email, 'wrong-password', '203.0.113.1')),
    );
    const statuses = burst.map((r) => r.statusCode);
    expect(count(statuses, 401)).toBe(POLICY.maxFailures);
    expect(count(statuses, 429)).toBe(40 - POLICY.maxFailures);
    const limited = burst.find((r) => r.statusCode === 429);
    expect(limited?.headers['retry-after']).toBe('60');
    expect(limited?.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: 'too many login attempts; try again later',
        details: { retry_after_seconds: 60 },
      },
    });
    const right = await login(email, passwordOf(email), '203.0.113.1');
    expect(right.statusCode).toBe(429);
    expect(right.headers['set-cookie']).toBeUndefined();
  });

  it('one email guessed from many addresses is limited across them, the right password too', async () => {
    freshWindows();
    const [, email] = USERS as [string, string];
    const statuses: number[] = [];
    for (let i = 1; i <= POLICY.maxPerEmail + 1; i++) {
      statuses.push((await login(email, 'wrong-password', `198.51.100.${i}`)).statusCode);
    }
    expect(statuses).toEqual([...Array<number>(POLICY.maxPerEmail).fill(401), 429]);
    const right = await login(email, passwordOf(email), '198.51.100.200');
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(POLICY.windowMs);
    expect((await login(email, passwordOf(email), '198.51.100.200')).statusCode).toBe(200);
  });

  it('one address trying many emails is limited across them, even with a right password', async () => {
    freshWindows();
    const ip = '192.0.2.7';
    const statuses: number[] = [];
    for (let i = 0; i < POLICY.maxPerIp; i++) {
      const email = USERS[i % USERS.length] as string;
      statuses.push((await login(email, `wrong-${i}`, ip)).statusCode);
    }
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const [, , email] = USERS as [string, string, string];
    const right = await login(email, passwordOf(email), ip);
    expect(right.statusCode).toBe(429);
    expect(right.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(right.headers['retry-after']).toBe('60');
    // Another address is not affected.
    expect((await login(email, passwordOf(email), '192.0.2.8')).statusCode).toBe(200);
  });

  it('in any interleaving, no key gets more password checks than its limit, and attempts within every limit all get one', async () => {
    const attempt = fc.record({
      ip: fc.integer({ min: 1, max: 2 }),
      user: fc.integer({ min: 0, max: 1 }),
      // Mostly guesses, sometimes the owner logging in meanwhile.
      right: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(attempt, { minLength: 1, maxLength: 20 }),
        async (s, attempts) => {
          freshWindows();
          scheduler = s;
          let responses;
          try {
            responses = await s.waitFor(
              Promise.all(
                attempts.map((a) => {
                  const email = USERS[a.user] as string;
                  return login(email, a.right ? passwordOf(email) : 'wrong-password', `10.9.8.${a.ip}`);
                }),
              ),
            );
          } finally {
            scheduler = null;
          }
          const rows = attempts.map((a, i) => ({ ...a, status: responses[i]?.statusCode ?? 0 }));
          for (const r of rows) {
            expect([200, 401, 429]).toContain(r.status);
            if (r.right) expect(r.status).not.toBe(401);
          }
          const checked = (r: { status: number }): boolean => r.status === 200 || r.status === 401;
          const group = <K>(key: (r: (typeof rows)[number]) => K) => {
            const m = new Map<K, typeof rows>();
            for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
            return [...m.values()];
          };
          for (const pair of group((r) => `${r.ip}/${r.user}`)) {
            if (pair.every((r) => !r.right))
              expect(pair.filter(checked).length).toBeLessThanOrEqual(POLICY.maxFailures);
          }
          for (const byEmail of group((r) => r.user)) {
            const successes = byEmail.filter((r) => r.status === 200).length;
            expect(byEmail.filter(checked).length).toBeLessThanOrEqual(POLICY.maxPerEmail + successes);
          }
          for (const byIp of group((r) => r.ip)) {
            expect(byIp.filter(checked).length).toBeLessThanOrEqual(POLICY.maxPerIp);
          }
          // Not over-limiting: a burst within every limit is checked in full.
          const within =
            group((r) => `${r.ip}/${r.user}`).every((g) => g.length <= POLICY.maxFailures) &&
            group((r) => r.user).every((g) => g.length <= POLICY.maxPerEmail) &&
            group((r) => r.ip).every((g) => g.length <= POLICY.maxPerIp);
          if (within) expect(rows.filter((r) => r.status === 429)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
