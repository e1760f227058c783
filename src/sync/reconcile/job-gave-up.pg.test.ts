import type { PgBoss, TestClock } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.ts';
import { saveGrant } from '../../db/shopify-connections.ts';
import { getRun, type ReconcileRun } from '../../db/shopify-reconcile.ts';
import { failAbandonedJobs } from '../../jobs/abandoned.ts';
import type { AnyJobDefinition } from '../../jobs/define.ts';
import { startWorkers } from '../../jobs/install.ts';
import { drainDeadLetters, drainQueue } from '../../jobs/runner.ts';
import { shopifyReconcileJob } from '../../jobs/shopify-reconcile.ts';
import { deadLetterOf, JOBS } from '../../job-names.ts';
import { createTestApp, type TestApp } from '../../../test-support/app.ts';
import { startTestBoss } from '../../../test-support/import-jobs.ts';
import { syncHealth } from '../continuous/health.ts';
import { requestRun } from './start.ts';

/**
 * A run whose job fails for good ends as failed with the reason, so it does not block the shop's next
 * run: pg-boss moves the job to its dead-letter queue past its retry limit (whichever way its last
 * attempt ended: a thrown error, a process killed — failed at start-up or by its lapsed heartbeat), and
 * the dead letter's handler fails a run still `running`. Retries are set through the queue's own
 * configuration (retryLimit 0 or 1); the queue's clock is moved, never slept on.
 */
let t: TestApp;
let boss: PgBoss;
let clock: TestClock;
let retryLimit = 0;

/** The reconcile job as installed, with the test's retry limit (its queue's configuration). */
const job = (): AnyJobDefinition<never> =>
  ({
    ...shopifyReconcileJob,
    queue: { ...shopifyReconcileJob.queue, retryLimit, retryDelay: 1, retryDelayMax: 2 },
  }) as never;

beforeAll(async () => {
  t = await createTestApp();
  ({ boss, clock } = await startTestBoss(t, [job()]));
  await saveGrant(t.db, {
    tenantId: t.a.tenantId,
    shop: 'gave-up.myshopify.com',
    apiVersion: '2026-04',
    requestedScopes: ['read_products'],
    grantedScopes: ['read_products'],
    tokens: {
      accessTokenSealed: 'v1.never-unsealed', // this app has no Shopify wiring
      refreshTokenSealed: null,
      accessExpiresAt: null,
      refreshExpiresAt: null,
    },
    state: 'syncing',
    now: new Date(),
  });
}, 120_000);
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.close();
});

/** Sets the queue's retry limit for the test. */
async function limit(n: number): Promise<void> {
  retryLimit = n;
  await boss.updateQueue(JOBS.shopifyReconcile, { retryLimit: n });
}
/** Each test starts with no run going and no job queued (the last test's next run and its job). */
beforeEach(async () => {
  await boss.deleteAllJobs(JOBS.shopifyReconcile);
  await t.db.query(
    `update shopify_reconcile_runs set state = 'failed', reason = 'test reset' where state = 'running'`,
  );
});

const deps = () => t.deps as never;
const run = async (id: string): Promise<ReconcileRun> =>
  (await getRun(t.db, t.a.tenantId, id)) as ReconcileRun;
const open = () => requestRun(t.deps, t.a.tenantId, { dryRun: false, trigger: 'demand' });

/**
 * A job inserted in our own transaction starts at the database's now(): the queue's test clock (which
 * only moves forward) must not lag behind it.
 */
async function catchUp(): Promise<void> {
  const lag = Date.now() - clock.now();
  if (lag > 0) await clock.tick(lag + 1);
}

/** Takes the run's job as a worker would, and lets the worker die with it (nothing runs). */
async function takeAndDie(): Promise<void> {
  await catchUp();
  const jobs = await boss.fetch(JOBS.shopifyReconcile);
  expect(jobs).toHaveLength(1);
}

async function blocked(): Promise<void> {
  await expect(open()).rejects.toSatisfy((e) => e instanceof CoreError && e.code === 'reconcile_running');
}

describe('a reconciliation run whose job gives up', () => {
  it('retryLimit 0, the worker killed (its job failed at start-up): the run fails with the reason and the next run can start', async () => {
    await limit(0);
    const first = await open();
    await takeAndDie();
    expect(await failAbandonedJobs(boss)).toEqual({ [JOBS.shopifyReconcile]: 1 });
    await blocked(); // the job is dead but its run still reads running until its dead letter is handled
    expect(await drainDeadLetters(boss, job(), deps())).toBe(1);
    const ended = await run(first.id);
    expect(ended.state).toBe('failed');
    expect(ended.reason).toBe(
      "the run's job gave up after 1 attempt: the process running this job ended before it finished (found at start-up)",
    );
    expect(ended.finishedAt).not.toBeNull();
    // Sync Health and the API say why.
    const health = await syncHealth(t.deps, t.a.tenantId);
    expect(health.reconciliation.last).toMatchObject({ id: first.id, state: 'failed', reason: ended.reason });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/shopify/reconcile/runs/${first.id}`,
      headers: t.bearer(t.a),
    });
    expect(res.json()).toMatchObject({ state: 'failed', reason: ended.reason });
    const next = await open();
    expect(next.id).not.toBe(first.id);
    expect((await run(next.id)).state).toBe('running');
  });

  it('retryLimit 0, the worker gone silent (its heartbeat lapsed): the supervisor fails the job, the run fails with pg-boss`s reason', async () => {
    await limit(0);
    const first = await open();
    await takeAndDie();
    await clock.tick(11_000); // past the queue's heartbeatSeconds (10)
    await boss.supervise(JOBS.shopifyReconcile);
    expect(await drainDeadLetters(boss, job(), deps())).toBe(1);
    expect(await run(first.id)).toMatchObject({
      state: 'failed',
      reason: "the run's job gave up after 1 attempt: job heartbeat timeout",
    });
    await open();
  });

  it('retryLimit 1: a first attempt killed is retried (the run stays running); the second killed ends it', async () => {
    await limit(1);
    const first = await open();
    await takeAndDie();
    await failAbandonedJobs(boss);
    expect(await drainDeadLetters(boss, job(), deps())).toBe(0);
    expect((await run(first.id)).state).toBe('running'); // its retry will take it up
    await clock.tick(3_000); // past the retry's delay (retryDelayMax 2 s)
    await takeAndDie();
    await failAbandonedJobs(boss);
    expect(await drainDeadLetters(boss, job(), deps())).toBe(1);
    expect(await run(first.id)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(
        /^the run's job gave up after 2 attempts: the process running this job ended/,
      ),
    });
    await open();
  });

  it('an attempt that fails on its own marks the run failed with its error; the dead letter leaves that reason', async () => {
    await limit(0);
    const first = await open();
    // This app has no Shopify wiring: the attempt throws (a transient error), the run records it.
    await catchUp();
    expect(await drainQueue(boss, job(), deps())).toBe(1);
    const failed = await run(first.id);
    expect(failed.state).toBe('failed');
    expect(failed.reason).toMatch(/Shopify/);
    expect(await drainDeadLetters(boss, job(), deps())).toBe(1);
    expect(await run(first.id)).toMatchObject({ state: 'failed', reason: failed.reason });
    await open();
  });

  it('the worker `retailos start` runs on the dead-letter queue hands it the failure (metadata included)', async () => {
    await limit(0);
    const first = await open();
    await takeAndDie();
    await failAbandonedJobs(boss);
    let told: (reason: string) => void = () => {};
    const handled = new Promise<string>((resolve) => (told = resolve));
    const def = {
      ...job(),
      async onDeadLetter(letter: {
        data: { tenantId: string; runId: string };
        reason: string;
        attempts: number;
      }) {
        await shopifyReconcileJob.onDeadLetter?.(letter, t.deps);
        told(letter.reason);
      },
    } as AnyJobDefinition<never>;
    await startWorkers(boss, [def], deps());
    try {
      expect(await handled).toMatch(/^the process running this job ended/);
    } finally {
      await boss.offWork(JOBS.shopifyReconcile);
      await boss.offWork(deadLetterOf(JOBS.shopifyReconcile));
    }
    expect((await run(first.id)).state).toBe('failed');
  });
});
