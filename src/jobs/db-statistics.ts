import type { Clock } from '../clock.ts';
import type { Db } from '../db/db.ts';
import { refreshPlannerStatistics } from '../db/statistics.ts';
import { defineJob } from './define.ts';
import { JOBS } from '../job-names.ts';
import type { RunnerDeps } from './runner.ts';

export interface DbStatisticsDeps extends RunnerDeps {
  db: Db;
  clock: Clock;
}

/**
 * Daily: refreshes the planner statistics of every table. Embedded Postgres (PGlite) has no
 * autovacuum, so without this the statistics stay as the import left them while webhooks and local
 * edits grow the tables, and tables filled after it (sync history, the webhook inbox) have none; a
 * planner that believes a table is tiny reads all of it for a lookup by key. On a server whose
 * autovacuum runs it is a cheap repeat (a few seconds at 170k records).
 */
export const dbStatisticsJob = defineJob<object, DbStatisticsDeps>({
  name: JOBS.dbStatistics,
  cron: '40 3 * * *',
  queue: { policy: 'stately', retryLimit: 5, retryDelay: 60, retryBackoff: true, retryDelayMax: 3600 },
  async handle(_data, deps) {
    const started = deps.clock.now().getTime();
    await refreshPlannerStatistics(deps.db);
    deps.logger.info({ ms: deps.clock.now().getTime() - started }, 'planner statistics refreshed');
  },
});
