import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { migrateToLatest, openDb } from './db/open.ts';
import { ShopifySlot, type CoreDeps } from './deps.ts';
import { buildApp, type AppDeps } from './http/app.ts';
import { createSecretBox } from './shopify/secret-box.ts';
import { setUpShopify } from './shopify-wiring.ts';
import type { DemoEmulator } from './demo-emulator.ts';
import { createShopLimiter } from './shopify/limiter.ts';
import { bossEnqueue, createBoss } from './jobs/boss.ts';
import { failAbandonedJobs } from './jobs/abandoned.ts';
import { ALL_JOBS } from './jobs/index.ts';
import { installQueues, startWorkers } from './jobs/install.ts';
import { loadOrCreateSecretKey } from './secret-key.ts';
import { wakeRelayOnChanges } from './sync/continuous/outbox-relay.ts';
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
  /** The demo Shopify emulator, when `start` runs without Shopify credentials. */
  demo: DemoEmulator | undefined;
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
  const secretKey = loadOrCreateSecretKey(config.secretKey, config.dataDir, randomBytes);
  const boss = createBoss({
    db,
    databaseUrl: config.databaseUrl,
    supervise: mode.workers,
    onError: (err) => logger.error({ err }, 'job queue error'),
  });
  await boss.start(); // jobs can be sent from here on; workers start only at the end
  // The server listens before the Shopify wiring exists (the demo store needs its address), so
  // /readyz answers 503 until every part is ready: the Shopify wiring set, then the workers started.
  const started = { shopify: false, workers: !mode.workers };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const enqueue = bossEnqueue(boss);
  const shopifySlot = new ShopifySlot();
  const deps: AppDeps = {
    db,
    logger,
    clock: systemClock,
    config,
    randomBytes,
    enqueue,
    changesRecorded: wakeRelayOnChanges({ enqueue, logger, shopify: shopifySlot }),
    shopify: shopifySlot,
    queueDepths: async () => {
      const queues = await boss.getQueues(ALL_JOBS.map((j) => j.name));
      return Object.fromEntries(
        queues.map((q) => [q.name, { queued: q.queuedCount, active: q.activeCount }]),
      );
    },
    limiter: createShopLimiter({ db, clock: systemClock, sleep }),
    ...(config.shopifyPushQuietMs > 0
      ? {
          pushQuiet: {
            ms: config.shopifyPushQuietMs,
            maxMs: Math.max(2_000, 10 * config.shopifyPushQuietMs),
            sleep,
          },
        }
      : {}),
    ...(mode.web
      ? {
          readiness: {
            queue: () => checkQueue(boss),
            shopify: () => startedYet(started.shopify, 'the Shopify app is not wired yet'),
            workers: () => startedYet(started.workers, 'the job workers have not started yet'),
          },
        }
      : {}),
  };
  await installQueues(boss, ALL_JOBS); // idempotent; web processes enqueue into these queues too
  const owner = mode.web ? await bootstrapOwner(deps, config) : ({ created: false } as const);
  let app: FastifyInstance | undefined;
  if (mode.web) {
    app = buildApp(deps);
    await app.listen({ port: config.port, host: config.host });
  }
  const local = localUrl(app, config);
  const shopify = await setUpShopify(
    config,
    logger,
    createSecretBox(secretKey, randomBytes),
    local,
    mode.web && mode.workers,
  );
  shopifySlot.set(shopify.wiring); // routes and jobs read the slot at call time
  started.shopify = true;
  // Workers take jobs only now that everything a job needs is wired (db, queue, limiter, Shopify).
  if (mode.workers) {
    if (db.kind === 'pglite') {
      const failed = await failAbandonedJobs(boss);
      if (Object.keys(failed).length > 0)
        logger.warn({ failed }, 'jobs the previous process left running were failed, to be retried');
    }
    await startWorkers(boss, ALL_JOBS, deps);
    started.workers = true;
  }
  const demo = shopify.demo;
  return {
    deps,
    boss,
    app,
    secretKey,
    owner,
    demo,
    async stop() {
      const deadline = config.shutdownTimeoutMs;
      await app?.close();
      await boss.stop({ graceful: true, timeout: deadline });
      await demo?.stop();
      await db.close();
    },
  };
}

async function startedYet(done: boolean, why: string): Promise<void> {
  if (!done) throw new Error(why);
}

async function checkQueue(boss: PgBoss): Promise<void> {
  if (!(await boss.isInstalled())) throw new Error('job queue schema is not installed');
}

function localUrl(app: FastifyInstance | undefined, config: Config): string {
  const address = app?.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return `http://${config.host}:${port}`;
}
