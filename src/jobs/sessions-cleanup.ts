import type { Clock } from '../clock.ts';
import type { Db } from '../db/db.ts';
import { defineJob } from './define.ts';
import { JOBS } from './names.ts';
import type { RunnerDeps } from './runner.ts';

export interface SessionsCleanupDeps extends RunnerDeps {
  db: Db;
  clock: Clock;
}

/** Hourly: deletes expired login sessions. */
export const sessionsCleanupJob = defineJob<object, SessionsCleanupDeps>({
  name: JOBS.sessionsCleanup,
  cron: '0 * * * *',
  queue: { policy: 'stately', retryLimit: 5, retryDelay: 30, retryBackoff: true, retryDelayMax: 600 },
  async handle(_data, deps) {
    const { rowCount } = await deps.db.query('delete from sessions where expires_at < $1', [deps.clock.now()]);
    if (rowCount > 0) deps.logger.info({ deleted: rowCount }, 'expired sessions deleted');
  },
});
