import { PgBoss, fromPglite, type Clock as BossClock } from 'pg-boss';
import type { Db } from '../db/db.ts';
import type { Enqueue } from '../deps.ts';
import type { PgliteDb } from '../db/pglite-db.ts';

export interface BossOptions {
  db: Db;
  /** Connection string when db is Postgres (pg-boss keeps its own small pool). */
  databaseUrl?: string | undefined;
  /** A pg-boss TestClock in tests; the system clock otherwise. */
  clock?: BossClock;
  /** Run maintenance and cron scheduling in this process (workers do; a pure web process may not). */
  supervise?: boolean;
  onError: (err: Error) => void;
}

/** Seconds between pg-boss supervisor (and monitor) passes on a Postgres server. */
export const SERVER_SUPERVISE_SECONDS = 2;

/** pg-boss on our own database: the PGlite instance in embedded mode, the same server otherwise. */
export function createBoss(opts: BossOptions): PgBoss {
  const common = {
    schema: 'pgboss',
    ...(opts.clock ? { clock: opts.clock } : {}),
    supervise: opts.supervise ?? true,
    // The supervisor fails a job whose heartbeat stopped (its process died) on its monitor pass, so on a
    // server a dead worker's job waits up to one pass more than the heartbeat (10 s, pg-boss's minimum):
    // passes 2 s apart (issue 16: 5 s cost a push killed mid-way up to 5 s more). A pass is a claim
    // per queue and one stats aggregate over the job table per interval, whichever instance claims it,
    // so the load does not grow with workers. Embedded PGlite has one process, whose jobs left active
    // are failed at start-up (failAbandonedJobs), so its passes can be rarer.
    superviseIntervalSeconds: opts.db.kind === 'pglite' ? 15 : SERVER_SUPERVISE_SECONDS,
    monitorIntervalSeconds: opts.db.kind === 'pglite' ? 15 : SERVER_SUPERVISE_SECONDS,
    schedule: opts.supervise ?? true,
    // Queues created with `notify` wake their workers at once (LISTEN/NOTIFY); polling stays the fallback.
    useListenNotify: true,
  };
  const boss =
    opts.db.kind === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite((opts.db as PgliteDb).pglite) })
      : new PgBoss({ ...common, connectionString: requireUrl(opts.databaseUrl), max: 4 });
  boss.on('error', opts.onError);
  return boss;
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('pg-boss on Postgres needs the DATABASE_URL connection string');
  return url;
}

/** `deps.enqueue` over a pg-boss instance; a `tx` option inserts the job in the caller's transaction. */
export function bossEnqueue(boss: PgBoss): Enqueue {
  return async (job, data, options) => {
    const { tx, wake, ...rest } = options ?? {};
    if (wake && rest.singletonKey !== undefined) {
      // Edits the queued job of that key (created or retry, not active) to start now, or inserts one.
      await boss.upsert(job, data, {
        singletonKey: rest.singletonKey,
        startAfter: 0,
        ...(tx ? { db: { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) } } : {}),
      });
      return;
    }
    await boss.send(job, data, {
      ...rest,
      ...(tx ? { db: { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) } } : {}),
    });
  };
}
