import type { Clock } from '../clock.ts';
import type { Db } from '../db/db.ts';
import { deleteExpiredSessions, pruneLoginAttempts } from '../db/sessions.ts';
import { defineJob } from './define.ts';
import { JOBS } from '../job-names.ts';
import type { RunnerDeps } from './runner.ts';

export interface SessionsCleanupDeps extends RunnerDeps {
  db: Db;
  clock: Clock;
}

/** Login-throttle windows older than this are of no use any more. */
const LOGIN_ATTEMPTS_KEPT_MS = 24 * 3600_000;

/** Hourly: deletes expired login sessions and stale login-throttle windows. */
export const sessionsCleanupJob = defineJob<object, SessionsCleanupDeps>({
  name: JOBS.sessionsCleanup,
  cron: '0 * * * *',
  queue: { policy: 'stately', retryLimit: 5, retryDelay: 30, retryBackoff: true, retryDelayMax: 600 },
  async handle(_data, deps) {
    const now = deps.clock.now();
    const sessions = await deleteExpiredSessions(deps.db, now);
    const attempts = await pruneLoginAttempts(deps.db, new Date(now.getTime() - LOGIN_ATTEMPTS_KEPT_MS));
    if (sessions + attempts > 0)
      deps.logger.info({ sessions, loginAttempts: attempts }, 'expired sessions deleted');
  },
});
