import type { PgBoss } from 'pg-boss';

/** Why the jobs are failed, as pg-boss stores it in each job's output. */
export const ABANDONED = 'the process running this job ended before it finished (found at start-up)';

/**
 * Embedded PGlite is owned by one process at a time, so at start-up every job still `active` was taken
 * by this data folder's previous process, which is gone (kill -9, a crash, a power cut): fails each
 * at once through pg-boss, which retries it with its queue's backoff (or dead-letters it past its
 * retry limit), instead of leaving it active until its heartbeat or expiry is noticed. Run before the
 * workers start; never on a shared Postgres server, where another live process may hold those jobs
 * (there the heartbeat notices a dead one). Returns the number of jobs failed per queue.
 */
export async function failAbandonedJobs(boss: PgBoss): Promise<Record<string, number>> {
  const { rows } = await boss
    .getDb()
    .executeSql(`select name, id from pgboss.job where state = 'active' order by name`);
  const byQueue = new Map<string, string[]>();
  for (const r of rows as { name: string; id: string }[])
    byQueue.set(r.name, [...(byQueue.get(r.name) ?? []), r.id]);
  const failed: Record<string, number> = {};
  for (const [name, ids] of byQueue) {
    await boss.fail(name, ids, { message: ABANDONED });
    failed[name] = ids.length;
  }
  return failed;
}
