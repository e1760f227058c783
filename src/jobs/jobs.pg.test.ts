import pino from 'pino';
import { PgBoss, TestClock } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { createBoss } from './boss.ts';
import { defineJob, HEARTBEAT } from './define.ts';
import { PermanentError, TransientError } from '../errors.ts';
import { ALL_JOBS } from './index.ts';
import { installQueues, startWorkers } from './install.ts';
import { deadLetterOf, JOBS } from '../job-names.ts';
import { drainQueue, type DeadLetter, type RunnerDeps } from './runner.ts';
import { sessionsCleanupJob } from './sessions-cleanup.ts';
import { dbStatisticsJob } from './db-statistics.ts';
import { shopifyPushJob } from './shopify-sync.ts';

const logger = pino({ level: 'silent' });
let t: TestDb;
let boss: PgBoss;
const clock = new TestClock('2026-05-01T00:00:10Z');
const deps = {
  logger,
  db: undefined as unknown as TestDb['db'],
  clock: { now: () => new Date(clock.now()) },
};

const attempts: Record<string, number> = {};
interface ProbeData {
  key: string;
  failTimes: number;
  permanent?: boolean;
}
const probe = defineJob<ProbeData, RunnerDeps>({
  name: 'test.probe',
  queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true, retryDelayMax: 100 },
  async handle(data) {
    attempts[data.key] = (attempts[data.key] ?? 0) + 1;
    if (data.permanent) throw new PermanentError('Shopify refused: title is blank', 'validation');
    if ((attempts[data.key] ?? 0) <= data.failTimes) throw new TransientError('503 from upstream');
  },
});
const coalesced = defineJob<{ n: number }, RunnerDeps>({
  name: 'test.coalesced',
  queue: { policy: 'stately', retryLimit: 1, retryDelay: 1, retryBackoff: true },
  async handle() {},
});

beforeAll(async () => {
  t = await openTestDb();
  deps.db = t.db;
  boss = createBoss({ db: t.db, databaseUrl: t.url, clock, onError: (err) => logger.error(err) });
  await boss.start();
  await installQueues(boss, [probe, coalesced, sessionsCleanupJob, dbStatisticsJob] as never);
});
afterAll(async () => {
  await boss.stop({ graceful: false });
  await t.close();
});

async function deadLetters(name: string): Promise<DeadLetter[]> {
  const jobs = await boss.findJobs<DeadLetter>(deadLetterOf(name));
  return jobs.map((j) => j.data);
}

describe('jobs on pg-boss', () => {
  it('starts a worker for every job of the build with the options the runtime uses', async () => {
    const own = createBoss({ db: t.db, databaseUrl: t.url, clock, onError: (err) => logger.error(err) });
    await own.start();
    try {
      await installQueues(own, ALL_JOBS as never);
      await startWorkers(own, ALL_JOBS as never, deps as never);
      for (const job of ALL_JOBS) expect(await own.getQueue(job.name)).not.toBeNull();
    } finally {
      await own.stop({ graceful: false });
    }
  });

  it('retries a transient failure with growing delays, then succeeds', async () => {
    await boss.send(probe.name, { key: 'flaky', failTimes: 2 });
    expect(await drainQueue(boss, probe as never, deps)).toBe(1);
    const [job] = await boss.findJobs<ProbeData>(probe.name, { data: { key: 'flaky' } });
    expect(job?.state).toBe('retry');
    const firstDelay = (job!.startAfter.getTime() - clock.now()) / 1000;
    expect(firstDelay).toBeGreaterThan(0);
    expect(await drainQueue(boss, probe as never, deps)).toBe(0); // not due yet
    await clock.tick(firstDelay * 1000 + 1);
    expect(await drainQueue(boss, probe as never, deps)).toBe(1);
    const [again] = await boss.findJobs<ProbeData>(probe.name, { data: { key: 'flaky' } });
    const secondDelay = (again!.startAfter.getTime() - clock.now()) / 1000;
    expect(again?.state).toBe('retry');
    expect(again?.retryCount).toBe(1); // counts claims after the first
    expect(secondDelay).toBeGreaterThanOrEqual(5);
    await clock.tick(secondDelay * 1000 + 1);
    expect(await drainQueue(boss, probe as never, deps)).toBe(1);
    const [done] = await boss.findJobs<ProbeData>(probe.name, { data: { key: 'flaky' } });
    expect(done?.state).toBe('completed');
    expect(attempts['flaky']).toBe(3);
  });

  it('moves a job that keeps failing to its dead-letter queue after the retry limit', async () => {
    await boss.send(probe.name, { key: 'broken', failTimes: 99 });
    for (let i = 0; i < 4; i += 1) {
      await drainQueue(boss, probe as never, deps);
      await clock.tick(101_000);
    }
    const [job] = await boss.findJobs<ProbeData>(probe.name, { data: { key: 'broken' } });
    expect(job?.state).toBe('failed');
    expect(attempts['broken']).toBe(4);
    const dead = await boss.findJobs<ProbeData>(deadLetterOf(probe.name));
    expect(dead.map((d) => d.data)).toContainEqual({ key: 'broken', failTimes: 99 });
  });

  it('parks a permanent error in the dead letter at once, with its reason', async () => {
    await boss.send(probe.name, { key: 'refused', failTimes: 0, permanent: true });
    await drainQueue(boss, probe as never, deps);
    expect(attempts['refused']).toBe(1);
    const letter = (await deadLetters(probe.name)).find((d) => 'errorClass' in d);
    expect(letter).toMatchObject({
      errorClass: 'validation',
      message: 'Shopify refused: title is blank',
      attempts: 1,
    });
    expect(letter?.data).toEqual({ key: 'refused', failTimes: 0, permanent: true });
  });

  // Issue 16: a worker killed mid-push; its push waits for pg-boss to find the heartbeat lost.
  it('retries a push whose worker died 1–2 s after pg-boss finds its heartbeat lost', async () => {
    await installQueues(boss, [shopifyPushJob] as never);
    const data = { tenantId: 'hb-tenant', entity: 'product', localId: 'hb-1' };
    await boss.send(shopifyPushJob.name, data, { singletonKey: 'product:hb-1' });
    const [taken] = await boss.fetch(shopifyPushJob.name); // taken by a worker that dies: no heartbeat
    expect(taken?.data).toEqual(data);
    // Its last heartbeat is older than the heartbeat allows, and the queue is due for a monitor pass
    // (moved in the tables, not by the clock: a tick would let the background pass run mid-jump).
    await t.db.query(
      `update pgboss.job set heartbeat_on = heartbeat_on - make_interval(secs => $2) where id = $1`,
      [taken!.id, HEARTBEAT.heartbeatSeconds + 1],
    );
    await t.db.query(`update pgboss.queue set monitor_claim_on = null, monitor_on = null where name = $1`, [
      shopifyPushJob.name,
    ]);
    await boss.supervise(shopifyPushJob.name);
    const job = await boss.getJobById(shopifyPushJob.name, taken!.id);
    expect(job?.state).toBe('retry');
    expect(job?.output).toMatchObject({ value: { message: 'job heartbeat timeout' } });
    const delay = job!.startAfter.getTime() - clock.now();
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThan(2000);
  });

  it('refreshes a running job’s heartbeat every 2 s, so a killed worker’s job is found lost 8–10 s after', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const beating = defineJob<{ n: number }, RunnerDeps>({
      name: 'test.beating',
      queue: { retryLimit: 0, retryDelay: 0, retryBackoff: false, ...HEARTBEAT },
      async handle() {
        started();
        await finished;
      },
    });
    const own = createBoss({ db: t.db, databaseUrl: t.url, clock, onError: (err) => logger.error(err) });
    await own.start();
    try {
      await installQueues(own, [beating] as never);
      await startWorkers(own, [beating] as never, deps as never);
      const id = await own.send(beating.name, { n: 1 });
      let on = false;
      void running.then(() => (on = true));
      while (!on) await clock.tick(500); // the worker polls on the test clock
      const heartbeatOn = async () =>
        (
          await t.db.query<{ at: Date }>('select heartbeat_on as at from pgboss.job where id = $1', [id])
        ).rows[0]!.at.getTime();
      const first = await heartbeatOn();
      await clock.tick(2000);
      expect(await heartbeatOn()).toBeGreaterThanOrEqual(first + 2000);
    } finally {
      finish();
      await own.stop({ graceful: false });
    }
  });

  it('keeps one queued job per singleton key', async () => {
    const ids = [];
    for (let n = 0; n < 5; n += 1)
      ids.push(await boss.send(coalesced.name, { n }, { singletonKey: 'product:1' }));
    await boss.send(coalesced.name, { n: 9 }, { singletonKey: 'product:2' });
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    const queued = await boss.findJobs(coalesced.name, { queued: true });
    expect(queued.map((j) => j.singletonKey).sort()).toEqual(['product:1', 'product:2']);
  });

  it('runs the hourly clean-up from its cron schedule: expired sessions and day-old login-throttle windows go', async () => {
    const tenantId = await insertTenant(t.db);
    const { rows } = await t.db.query<{ id: string }>(
      `insert into users (tenant_id, email, password_hash) values ($1, 'a@b.c', 'x') returning id`,
      [tenantId],
    );
    const userId = rows[0]!.id;
    await t.db.query(
      `insert into sessions (id_hash, tenant_id, user_id, csrf_secret, expires_at) values
       ('old', $1, $2, 's', '2026-04-30T00:00:00Z'), ('live', $1, $2, 's', '2026-06-01T00:00:00Z')`,
      [tenantId, userId],
    );
    await t.db.query(
      `insert into login_attempts (key_hash, window_start, failures) values
       ('stale', '2026-04-29T00:00:00Z', 3), ('recent', '2026-05-01T00:00:00Z', 1)`,
    );
    const schedules = await boss.getSchedules(JOBS.sessionsCleanup);
    expect(schedules[0]?.cron).toBe('0 * * * *');
    await clock.tick(3_600_000);
    await clock.tick(60_000);
    expect(await drainQueue(boss, sessionsCleanupJob as never, deps)).toBeGreaterThanOrEqual(1);
    const left = await t.db.query<{ id_hash: string }>('select id_hash from sessions order by id_hash');
    expect(left.rows.map((r) => r.id_hash)).toEqual(['live']);
    const attempts = await t.db.query<{ key_hash: string }>(
      'select key_hash from login_attempts order by key_hash',
    );
    expect(attempts.rows.map((r) => r.key_hash)).toEqual(['recent']);
    // Ticking pg-boss's clock through an hour of its cron checks takes 20 s on a quiet machine and
    // passed 60 s once at load 8 (the final suite run of session 12): a slow path, not a hang.
  }, 180_000);

  it('refreshes the planner statistics daily (scheduled at 03:40 UTC), leaving the connection setting as it was', async () => {
    await t.db.query(
      `insert into login_attempts (key_hash, window_start, failures)
       select 'probe-' || n, '2026-05-01T00:00:00Z', 1 from generate_series(1, 300) as n`,
    );
    const rows = async () =>
      Number(
        (
          await t.db.query<{ n: number }>(
            `select reltuples::int as n from pg_class where relname = 'login_attempts'`,
          )
        ).rows[0]?.n,
      );
    const before = await rows();
    const schedules = await boss.getSchedules(JOBS.dbStatistics);
    expect(schedules[0]?.cron).toBe('40 3 * * *');
    // The cron path itself is the clean-up test's; here the scheduled job is sent as cron would.
    await boss.send(JOBS.dbStatistics, {});
    expect(await drainQueue(boss, dbStatisticsJob as never, deps)).toBe(1);
    // The planner now knows the table's size, which nothing had told it since the rows went in.
    const count = Number(
      (await t.db.query<{ n: number }>('select count(*)::int as n from login_attempts')).rows[0]?.n,
    );
    expect(before).not.toBe(count);
    expect(await rows()).toBe(count);
    const target = await t.db.query<{ default_statistics_target: string }>('show default_statistics_target');
    expect(target.rows[0]?.default_statistics_target).toBe('100');
  });
});
