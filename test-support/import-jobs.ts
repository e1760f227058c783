import pino from 'pino';
import { TestClock, type PgBoss } from 'pg-boss';
import type { PostgresDb } from '../src/db/pg-db.ts';
import { getLatestImport, type ImportRun } from '../src/db/shopify-imports.ts';
import { createBoss } from '../src/jobs/boss.ts';
import { installQueues } from '../src/jobs/install.ts';
import { drainQueue } from '../src/jobs/runner.ts';
import { shopifyImportJob } from '../src/jobs/shopify-import.ts';
import { shopifyApplyWebhooksJob, shopifyOutboxJob } from '../src/jobs/shopify-sync.ts';
import type { ImportOptions } from '../src/sync/import/options.ts';
import type { TestApp, TestTenant } from './app.ts';

export interface ImportJobs {
  boss: PgBoss;
  clock: TestClock;
  /** The import's tuning for the next jobs (batch size, lanes, afterBatch hooks…). */
  setOptions(options: ImportOptions): void;
  /**
   * Drains the import job until the tenant's import settles (completed or failed); between rounds the
   * queue's clock moves `tickMs` (past a paced wait, a polled export, the retry backoff).
   */
  drainImport(tenant: TestTenant, rounds?: number, tickMs?: number): Promise<ImportRun>;
  stop(): Promise<void>;
}

/**
 * pg-boss on the test app's database with a controlled clock, the import job's queue (and the sync
 * queues a finished import wakes, which nothing here drains), wired as the app's `enqueue`.
 */
export async function startImportJobs(t: TestApp): Promise<ImportJobs> {
  const clock = new TestClock(new Date().toISOString());
  const url =
    t.db.kind === 'postgres' ? ((t.db as PostgresDb).pool.options.connectionString as string) : undefined;
  const boss = createBoss({
    db: t.db,
    databaseUrl: url,
    clock,
    onError: (err) => pino().error(err),
    supervise: false,
  });
  await boss.start();
  await installQueues(boss, [shopifyImportJob, shopifyApplyWebhooksJob, shopifyOutboxJob] as never);
  Object.assign(t.deps, {
    enqueue: async (job: string, data: object, opts?: { singletonKey?: string; startAfter?: number }) => {
      await boss.send(job, data, opts ?? {});
    },
  });
  return {
    boss,
    clock,
    setOptions: (importOptions) => Object.assign(t.deps, { importOptions }),
    async drainImport(tenant, rounds = 300, tickMs = 30_000) {
      for (let i = 0; i < rounds; i += 1) {
        await drainQueue(boss, shopifyImportJob as never, t.deps);
        const run = await getLatestImport(t.db, tenant.tenantId);
        if (run && (run.state === 'completed' || run.state === 'failed')) return run;
        await clock.tick(tickMs);
      }
      throw new Error('the import did not settle');
    },
    stop: () => boss.stop({ graceful: false }),
  };
}
