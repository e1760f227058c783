import pino from 'pino';
import { TestClock, type PgBoss } from 'pg-boss';
import type { PostgresDb } from '../src/db/pg-db.ts';
import { getLatestImport, type ImportRun } from '../src/db/shopify-imports.ts';
import { bossEnqueue, createBoss } from '../src/jobs/boss.ts';
import { installQueues } from '../src/jobs/install.ts';
import { drainQueue } from '../src/jobs/runner.ts';
import { shopifyImportJob } from '../src/jobs/shopify-import.ts';
import { shopifyApplyWebhooksJob, shopifyOutboxJob } from '../src/jobs/shopify-sync.ts';
import type { ImportOptions } from '../src/sync/import/options.ts';
import type { TestApp, TestTenant } from './app.ts';

export interface DrainOptions {
  /** Rounds before giving up (default 300). */
  rounds?: number;
  /** How far the queue's clock moves between rounds (default 30 s). */
  tickMs?: number;
  between?: () => Promise<unknown>;
}

export interface ImportJobs {
  boss: PgBoss;
  clock: TestClock;
  /** The import's tuning for the next jobs (batch size, lanes, afterBatch hooks…). */
  setOptions(options: ImportOptions): void;
  /**
   * Drains the import job until the tenant's import settles (completed or failed). Between rounds
   * `between` runs (e.g. the emulator's clock moves on) and the queue's clock moves `tickMs` (past a
   * paced wait, a polled export, the retry backoff).
   */
  drainImport(tenant: TestTenant, opts?: DrainOptions): Promise<ImportRun>;
  stop(): Promise<void>;
}

/**
 * pg-boss on the test app's database with a controlled clock and the given queues, wired as the app's
 * `enqueue`.
 */
export async function startTestBoss(
  t: TestApp,
  queues: readonly unknown[],
  { schedule = false }: { schedule?: boolean } = {},
): Promise<{ boss: PgBoss; clock: TestClock }> {
  const clock = new TestClock(new Date().toISOString());
  const url =
    t.db.kind === 'postgres' ? ((t.db as PostgresDb).pool.options.connectionString as string) : undefined;
  const boss = createBoss({
    db: t.db,
    databaseUrl: url,
    clock,
    onError: (err) => pino().error(err),
    // Cron schedules fire only when asked (a test of a schedule); maintenance never runs here.
    supervise: schedule,
  });
  await boss.start();
  await installQueues(boss, queues as never);
  t.deps.enqueue = bossEnqueue(boss);
  return { boss, clock };
}

/**
 * The import job's queue (and the sync queues a finished import wakes, which nothing here drains) on
 * a test boss, and a drain that runs the import to its end.
 */
export async function startImportJobs(t: TestApp): Promise<ImportJobs> {
  const { boss, clock } = await startTestBoss(t, [
    shopifyImportJob,
    shopifyApplyWebhooksJob,
    shopifyOutboxJob,
  ]);
  return {
    boss,
    clock,
    setOptions: (importOptions) => Object.assign(t.deps, { importOptions }),
    async drainImport(tenant, { rounds = 300, tickMs = 30_000, between } = {}) {
      for (let i = 0; i < rounds; i += 1) {
        await drainQueue(boss, shopifyImportJob as never, t.deps);
        const run = await getLatestImport(t.db, tenant.tenantId);
        if (run && (run.state === 'completed' || run.state === 'failed')) return run;
        await between?.();
        await clock.tick(tickMs);
      }
      throw new Error('the import did not settle');
    },
    stop: () => boss.stop({ graceful: false }),
  };
}
