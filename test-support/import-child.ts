/**
 * A worker process for test/e2e/import-kill.test.ts, which SIGKILLs it at chosen points and starts it
 * again. It opens the test's database (Postgres by URL, or the PGlite data folder, which only one
 * process may hold), starts pg-boss and drains the `shopify.import` job until the import settles.
 *
 *   IMPORT_CHILD='{"tenantId":…,"dataDir":…}' node --import tsx test-support/import-child.ts
 *
 * It prints one event per stdout line (pipes are written synchronously on Linux, so a line is out
 * before the child goes on):
 *   RESUME [[resource, n], …]  the checkpoints (lines done) this life starts from
 *   READY                      deps, queue and the import job are set up
 *   DL <n> <bytes>             the n-th slice of a bulk result download is handed on (this life)
 *   BATCH_OPEN <n>             the n-th import batch transaction began (this life)
 *   WRITE <file> <line> <n>   inside batch n, its rows are written and its checkpoint is set
 *   COMMIT <file> <line> <n>  batch n's transaction committed
 * Batches of different resources may be open at once (`ingestLanes`), so WRITE and COMMIT name their
 * file: the resource (`orders`), or the resource and range of a ranged export (`orders#2`). RESUME
 * names files the same way.
 *   HOLD <what>                the child stopped for good where `hold` asked (the parent kills it)
 *   DONE <state>               the import completed (or failed); the child exits 0
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import type { Db, Queryable } from '../src/db/db.ts';
import { openDb } from '../src/db/open.ts';
import { ShopifySlot } from '../src/deps.ts';
import { listRanges } from '../src/db/shopify-import-ranges.ts';
import { getLatestImport } from '../src/db/shopify-imports.ts';
import { bossEnqueue, createBoss } from '../src/jobs/boss.ts';
import { installQueues } from '../src/jobs/install.ts';
import { drainQueue } from '../src/jobs/runner.ts';
import { shopifyImportJob } from '../src/jobs/shopify-import.ts';
import { createSecretBox } from '../src/shopify/secret-box.ts';
import { startImport } from '../src/sync/import/start.ts';
import type { ShopifyApp } from '../src/shopify/app.ts';

export interface ImportChildConfig {
  tenantId: string;
  /** Postgres; or else `dataDir`, a PGlite data folder. */
  databaseUrl?: string;
  dataDir?: string;
  /** Hex of the secret-box key the parent's app encrypted the access token with. */
  secretKey: string;
  app: ShopifyApp;
  batchSize: number;
  maxBatchesPerStep: number;
  /** Result files written at once (ImportOptions.ingestLanes). */
  ingestLanes: number;
  /** Records in the last id range of a ranged export (ImportOptions.rangeTail). */
  rangeTail?: number;
  /** Stop for good at the n-th batch checkpoint write (transaction still open) or download slice. */
  hold?: { at: 'write' | 'download'; n: number };
}

const cfg = JSON.parse(process.env['IMPORT_CHILD'] ?? '') as ImportChildConfig;
const emit = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function holdForever(what: string): Promise<never> {
  emit(`HOLD ${what}`);
  setInterval(() => undefined, 1 << 30); // keeps the process alive until the parent kills it
  return new Promise<never>(() => undefined);
}

const CHECKPOINT = /^\s*update shopify_import_resources set lines_done = \$3/;
const RANGE_CHECKPOINT = /^\s*with r as \(update shopify_import_ranges set lines_done = \$4/;

/** The file and line a checkpoint statement sets (a resource's, or one range's), else undefined. */
function checkpointOf(sql: string, params: readonly unknown[] | undefined): string | undefined {
  if (CHECKPOINT.test(sql)) return `${String(params?.[1])} ${String(params?.[2])}`;
  if (RANGE_CHECKPOINT.test(sql))
    return `${String(params?.[1])}#${String(params?.[2])} ${String(params?.[3])}`;
  return undefined;
}

/** The import's batch transactions (those opened by ingestFile) report themselves; others pass through. */
function instrument(db: Db): Db {
  let opened = 0;
  let writes = 0;
  return {
    ...db,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      // ingestFile's batches only (not `ingestFiles`, whose lanes also complete a range in a transaction).
      if (!/\bingestFile\b/.test(new Error().stack ?? '')) return db.transaction(fn);
      opened += 1;
      const n = opened;
      emit(`BATCH_OPEN ${n}`);
      let wrote = '';
      const out = await db.transaction((tx) =>
        fn({
          exec: (sql) => tx.exec(sql),
          async query<R>(sql: string, params?: readonly unknown[]) {
            const res = await tx.query<R>(sql, params);
            const checkpoint = checkpointOf(sql, params);
            if (checkpoint) {
              wrote = checkpoint;
              writes += 1;
              emit(`WRITE ${wrote} ${n}`);
              if (cfg.hold?.at === 'write' && cfg.hold.n === writes) await holdForever(`write ${wrote}`);
            }
            return res;
          },
        }),
      );
      // Loud, not vacuous, if the import stops setting its checkpoint the way this instrument reads it.
      if (!wrote) throw new Error('an import batch committed without a recognised checkpoint write');
      emit(`COMMIT ${wrote} ${n}`);
      return out;
    },
  };
}

/**
 * fetch for the bulk result downloads, handing the body on in slices of 4 KiB (the emulator's files
 * arrive in one piece), so a file is read bit by bit between batches; reports (and maybe holds at)
 * each slice.
 */
function countingFetch(): typeof fetch {
  let slices = 0;
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!res.body) return res;
    const reader = res.body.getReader();
    let rest = new Uint8Array(0);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (rest.byteLength === 0) {
          const next = await reader.read();
          if (next.done) {
            controller.close();
            return;
          }
          rest = next.value;
        }
        const slice = rest.subarray(0, 4096);
        rest = rest.subarray(slice.byteLength);
        slices += 1;
        emit(`DL ${slices} ${slice.byteLength}`);
        if (cfg.hold?.at === 'download' && cfg.hold.n === slices) await holdForever(`download ${slices}`);
        controller.enqueue(slice);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

async function run(): Promise<void> {
  const logger = pino({ level: 'silent' });
  const fail = (err: Error): void => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(1);
  };
  const raw = await openDb({
    databaseUrl: cfg.databaseUrl,
    dataDir: cfg.dataDir,
    poolSize: 4,
    onIdleError: fail,
  });
  const db = instrument(raw);
  const boss = createBoss({ db: raw, databaseUrl: cfg.databaseUrl, supervise: false, onError: fail });
  await boss.start();
  await installQueues(boss, [shopifyImportJob] as never);
  // The killed process's job is still `active` (pg-boss would expire it only after expireInSeconds):
  // a restarted worker cancels it, and startImport resumes the unfinished run and enqueues its job.
  const stale = await raw.query<{ id: string }>(
    `select id from pgboss.job where name = $1 and state = 'active'`,
    [shopifyImportJob.name],
  );
  if (stale.rows.length > 0)
    await boss.cancel(
      shopifyImportJob.name,
      stale.rows.map((r) => r.id),
    );
  const deps = {
    db,
    logger,
    clock: systemClock,
    // This test is about the bulk-operation JSONL path: never let `auto` pick page-by-page reads.
    config: loadConfig({ SHOPIFY_IMPORT_MODE: 'bulk' }, {}),
    randomBytes,
    enqueue: bossEnqueue(boss),
    changesRecorded: async () => undefined, // the import writes no `changes` that Shopify is to hear of
    shopify: new ShopifySlot({
      app: cfg.app,
      secretBox: createSecretBox(Buffer.from(cfg.secretKey, 'hex'), randomBytes),
    }),
    importOptions: {
      batchSize: cfg.batchSize,
      maxBatchesPerStep: cfg.maxBatchesPerStep,
      ingestLanes: cfg.ingestLanes,
      ...(cfg.rangeTail === undefined ? {} : { rangeTail: cfg.rangeTail }),
      pollDelayMs: 0,
      fetch: countingFetch(),
    },
  };
  const before = await getLatestImport(raw, cfg.tenantId);
  const ranges = before ? await listRanges(raw, before.id) : [];
  const files = [
    ...(before?.resources.map((r) => [r.resource, r.linesDone]) ?? []),
    ...ranges.map((r) => [`${r.resource}#${r.seq}`, r.linesDone]),
  ];
  emit(`RESUME ${JSON.stringify(files)}`);
  // Killed after the import completed but before it said so: starting again would begin a second run.
  if (before?.state !== 'completed') await startImport(deps, cfg.tenantId);
  emit('READY');
  for (let round = 0; round < 10_000; round += 1) {
    await drainQueue(boss, shopifyImportJob as never, deps);
    const latest = await getLatestImport(raw, cfg.tenantId);
    if (latest?.state === 'completed' || latest?.state === 'failed') {
      await boss.stop({ graceful: false });
      await raw.close();
      emit(`DONE ${latest.state}${latest.reason ? ` ${latest.reason}` : ''}`);
      return;
    }
    if (latest?.state === 'paused') throw new Error(`the import paused: ${latest.reason ?? ''}`);
  }
  throw new Error('the import did not settle in 10000 rounds');
}

run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
