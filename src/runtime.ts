import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { migrateToLatest, openDb } from './db/open.ts';
import type { CoreDeps } from './deps.ts';
import { buildApp } from './http/app.ts';
import { createBoss } from './jobs/boss.ts';
import { ALL_JOBS } from './jobs/index.ts';
import { installQueues, startWorkers } from './jobs/install.ts';
import { loadOrCreateSecretKey } from './secret-key.ts';
import { bootstrapOwner, type BootstrapResult } from './core/owner-bootstrap.ts';

export interface RuntimeMode {
  web: boolean;
  workers: boolean;
}

export interface Runtime {
  deps: CoreDeps;
  boss: PgBoss;
  app: FastifyInstance | undefined;
  secretKey: Buffer;
  /** The first owner, when this start created it (its generated password is printed once). */
  owner: BootstrapResult;
  /** Drains: stops taking requests and jobs, waits for in-flight ones (bounded), closes the db. */
  stop(): Promise<void>;
}

export async function openDatabase(config: Config, logger: Logger): Promise<Db> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'db'),
    onIdleError: (err) => logger.error({ err }, 'idle database connection failed'),
  });
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  return db;
}

export async function startRuntime(config: Config, logger: Logger, mode: RuntimeMode): Promise<Runtime> {
  const db = await openDatabase(config, logger);
  const deps: CoreDeps = { db, logger, clock: systemClock, config, randomBytes };
  const secretKey = loadOrCreateSecretKey(config.secretKey, config.dataDir, randomBytes);
  const boss = createBoss({
    db,
    databaseUrl: config.databaseUrl,
    supervise: mode.workers,
    onError: (err) => logger.error({ err }, 'job queue error'),
  });
  await boss.start();
  if (mode.workers) {
    await installQueues(boss, ALL_JOBS);
    await startWorkers(boss, ALL_JOBS, deps);
  }
  const owner = mode.web ? await bootstrapOwner(deps, config) : ({ created: false } as const);
  let app: FastifyInstance | undefined;
  if (mode.web) {
    app = await buildApp({ ...deps, readiness: { queue: () => checkQueue(boss) } });
    await app.listen({ port: config.port, host: config.host });
  }
  return {
    deps,
    boss,
    app,
    secretKey,
    owner,
    async stop() {
      const deadline = config.shutdownTimeoutMs;
      await app?.close();
      await boss.stop({ graceful: true, timeout: deadline });
      await db.close();
    },
  };
}

async function checkQueue(boss: PgBoss): Promise<void> {
  if (!(await boss.isInstalled())) throw new Error('job queue schema is not installed');
}
