// Child process of `npm run bench:import`: Retailos' own import (bulk operations, streamed JSONL,
// set-based batches) of the emulator store, run to completion; prints one JSON result line.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { systemClock } from '../src/clock.ts';
import { TransientError } from '../src/errors.ts';
import { loadConfig } from '../src/config.ts';
import type { Queryable } from '../src/db/db.ts';
import { migrateToLatest, openDb } from '../src/db/open.ts';
import { saveGrant } from '../src/db/shopify-connections.ts';
import { getLatestImport } from '../src/db/shopify-imports.ts';
import { ShopifySlot, type CoreDeps } from '../src/deps.ts';
import { createSecretBox } from '../src/shopify/secret-box.ts';
import { startImport } from '../src/sync/import/start.ts';
import { runImportStep } from '../src/sync/import/step.ts';
import { requestedScopes } from '../src/sync/shopify-deps.ts';
import { processesNamed } from './proc-cpu.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

const shop = env('BENCH_SHOP');
const token = env('BENCH_TOKEN');
const db = await openDb({
  databaseUrl: process.env['BENCH_DATABASE_URL'],
  dataDir: process.env['BENCH_DATA_DIR'],
  onIdleError: (err) => {
    throw err;
  },
});
await migrateToLatest(db);
// BENCH_SQL_PROFILE: time spent in each statement (by its first words), printed at the end.
const sqlTime = new Map<string, { ms: number; n: number }>();
if (process.env['BENCH_SQL_PROFILE']) {
  const timed = (q: Queryable): Queryable => ({
    exec: (sql) => q.exec(sql),
    async query(sql, params, options) {
      const t0 = performance.now();
      try {
        return await q.query(sql, params, options);
      } finally {
        const key = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
        const e = sqlTime.get(key) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t0;
        e.n += 1;
        sqlTime.set(key, e);
      }
    },
  });
  const query = timed({ query: db.query.bind(db), exec: db.exec.bind(db) }).query;
  const transaction = db.transaction.bind(db);
  Object.assign(db, {
    query,
    transaction: (fn: (tx: Queryable) => Promise<unknown>) => transaction((tx) => fn(timed(tx))),
  });
}
const secretBox = createSecretBox(randomBytes(32), randomBytes);
const deps: CoreDeps = {
  db,
  logger: pino({ level: 'warn' }),
  clock: systemClock,
  // BENCH_IMPORT_MODE=paged|bulk pins the mode (auto chooses paged only for small stores).
  // SHOPIFY_IMPORT_RANGE_TAIL passes through (a tail larger than a resource: one export each).
  config: loadConfig({
    SHOPIFY_IMPORT_MODE: process.env['BENCH_IMPORT_MODE'] ?? 'auto',
    ...(process.env['SHOPIFY_IMPORT_RANGE_TAIL']
      ? { SHOPIFY_IMPORT_RANGE_TAIL: process.env['SHOPIFY_IMPORT_RANGE_TAIL'] }
      : {}),
  }),
  randomBytes,
  // BENCH_LANES: result files written at once (the import's default: 2 on a server, 1 on PGlite).
  ...(process.env['BENCH_LANES']
    ? { importOptions: { ingestLanes: Number(process.env['BENCH_LANES']) } }
    : {}),
  // The bench runs the import's steps itself: nothing is queued, and no core write happens.
  enqueue: async () => undefined,
  changesRecorded: async () => undefined,
  shopify: new ShopifySlot({
    app: {
      apiKey: 'bench',
      apiSecret: 'bench-secret',
      appUrl: 'http://127.0.0.1:9',
      shopOriginTemplate: env('BENCH_SHOP_ORIGIN'),
      apiVersion: '2026-04',
      scopes: requestedScopes(true),
    },
    secretBox,
  }),
};
const { rows } = await db.query<{ id: string }>(`insert into tenants (name) values ('bench') returning id`);
const tenantId = rows[0]?.id as string;
const now = new Date();
await saveGrant(db, {
  tenantId,
  shop,
  apiVersion: '2026-04',
  requestedScopes: requestedScopes(true),
  grantedScopes: requestedScopes(true),
  tokens: {
    accessTokenSealed: secretBox.seal(token, `${tenantId}:${shop}:access`),
    refreshTokenSealed: null,
    accessExpiresAt: null,
    refreshExpiresAt: null,
  },
  state: 'importing',
  now,
});

const mb = (n: number) => (n / 1048576).toFixed(0);
const mem = () => {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} external ${mb(m.external)}`;
};
// WAL written from here on (pg_stat_wal is the whole server's: on a shared server it counts others' writes too).
const walAtStart = process.env['BENCH_SQL_PROFILE']
  ? (
      await db.query<{ records: string; fpi: string; bytes: string }>(
        'select wal_records::text as records, wal_fpi::text as fpi, wal_bytes::text as bytes from pg_stat_wal',
      )
    ).rows[0]
  : undefined;
const started = performance.now();
let peak = { rss: 0, at: 0, heapTotal: 0, heapUsed: 0, external: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peak.rss)
    peak = {
      rss: m.rss,
      at: performance.now() - started,
      heapTotal: m.heapTotal,
      heapUsed: m.heapUsed,
      external: m.external,
    };
}, 20);
/**
 * CPU seconds the Postgres server on this machine has used so far: its live processes, plus, through
 * the postmaster's counters, the backends that have exited (the pool closes idle connections).
 * Undefined on PGlite, whose CPU is this process's.
 */
function serverCpuS(): number | undefined {
  if (!process.env['BENCH_DATABASE_URL']) return undefined;
  return processesNamed('postgres').reduce((n, p) => n + p.ownS + p.reapedChildrenS, 0);
}
const serverCpuAtStart = serverCpuS();
const cpuAtStart = process.cpuUsage();
const startedAtMs = Date.now();
await startImport(deps, tenantId);
/** A step that failed transiently is run again, as the import's job is retried (a loaded machine can time out a poll). */
async function step(): Promise<Awaited<ReturnType<typeof runImportStep>>> {
  try {
    return await runImportStep(deps, tenantId);
  } catch (err) {
    if (!(err instanceof TransientError)) throw err;
    console.log(`step failed transiently, run again: ${err.message}`);
    return { kind: 'again', delayMs: 250 };
  }
}
for (;;) {
  const t0 = performance.now();
  const outcome = await step();
  if (process.env['BENCH_TRACE']) {
    const run = await getLatestImport(db, tenantId);
    console.log(
      `step ${(performance.now() - started).toFixed(0)} ms (+${(performance.now() - t0).toFixed(0)}) ${outcome.kind} ${mem()} ${JSON.stringify(run?.resources.map((r) => [r.resource, r.state, r.done, r.url ? 'file' : '-']))}`,
    );
  }
  if (outcome.kind === 'finished' || outcome.kind === 'idle') break;
  if (outcome.delayMs > 0)
    await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.delayMs, 250)));
}
const ms = performance.now() - started;
clearInterval(sampler);
if (process.env['BENCH_TRACE'])
  console.log(
    `peak sample at ${peak.at.toFixed(0)} ms: rss ${mb(peak.rss)} heap ${mb(peak.heapUsed)}/${mb(peak.heapTotal)} external ${mb(peak.external)}`,
  );
for (const [k, v] of [...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40))
  console.log(`sql ${v.ms.toFixed(0).padStart(7)} ms ${String(v.n).padStart(6)}× ${k}`);
if (process.env['BENCH_SQL_PROFILE']) {
  // Where the per-record cost can grow with the store: index pages read from outside the buffer cache
  // (a B-tree insert at a random key touches a random leaf), by index, with its size and depth's input.
  const { rows: io } = await db.query<{ name: string; mb: string; hit: string; read: string }>(
    `select s.indexrelname as name, (pg_relation_size(s.indexrelid) / 1048576.0)::numeric(10, 1)::text as mb,
            s.idx_blks_hit::text as hit, s.idx_blks_read::text as read
       from pg_statio_user_indexes s order by s.idx_blks_read desc limit 25`,
  );
  for (const r of io)
    console.log(
      `idx ${r.name.padEnd(45)} ${r.mb.padStart(7)} MB  hit ${r.hit.padStart(9)}  read ${r.read.padStart(8)}`,
    );
  const { rows: heap } = await db.query<{ name: string; mb: string; hit: string; read: string }>(
    `select relname as name, (pg_relation_size(relid) / 1048576.0)::numeric(10, 1)::text as mb,
            heap_blks_hit::text as hit, heap_blks_read::text as read
       from pg_statio_user_tables order by heap_blks_read desc limit 12`,
  );
  for (const r of heap)
    console.log(
      `heap ${r.name.padEnd(44)} ${r.mb.padStart(7)} MB  hit ${r.hit.padStart(9)}  read ${r.read.padStart(8)}`,
    );
  // What the engine wrote: WAL (records, full-page images, bytes) and, where the server has pg_stat_io
  // (16+), the data pages it wrote out of its buffer cache by object.
  const { rows: wal } = await db.query<{ records: string; fpi: string; bytes: string }>(
    'select wal_records::text as records, wal_fpi::text as fpi, wal_bytes::text as bytes from pg_stat_wal',
  );
  const since = (k: 'records' | 'fpi' | 'bytes') => Number(wal[0]?.[k] ?? 0) - Number(walAtStart?.[k] ?? 0);
  console.log(
    `wal ${since('records')} records, ${since('fpi')} full-page images, ${(since('bytes') / 1048576).toFixed(1)} MB` +
      (db.kind === 'postgres' ? " (the whole server: other databases' writes count too)" : ''),
  );
  const { rows: hasIo } = await db.query<{ n: number }>(
    `select count(*)::int as n from pg_catalog.pg_class where relname = 'pg_stat_io'`,
  );
  if (hasIo[0]?.n) {
    const { rows: written } = await db.query<{
      object: string;
      context: string;
      writes: string;
      extends: string;
    }>(
      `select object, context, sum(writes)::text as writes, sum(extends)::text as extends from pg_stat_io
        where coalesce(writes, 0) + coalesce(extends, 0) > 0 group by object, context order by object, context`,
    );
    for (const w of written)
      console.log(`io ${w.object} ${w.context}: ${w.writes} pages written, ${w.extends} extends`);
  }
}
const run = await getLatestImport(db, tenantId);
const counts = await db.query<{ entity: string; n: string }>(
  `select 'products' as entity, count(*)::text as n from products union all
   select 'variants', count(*)::text from variants union all
   select 'customers', count(*)::text from customers union all
   select 'orders', count(*)::text from orders union all
   select 'inventory_levels', count(*)::text from inventory_levels union all
   select 'locations', count(*)::text from locations`,
);
// Each resource's bulk operations: its one export, or one per id range (ranged exports, decision 0007).
const ops = await db.query<{ resource: string; ops: string[]; ranges: number; finished_at: Date | null }>(
  `select r.resource, r.finished_at, (select count(*)::int from shopify_import_ranges g
       where g.import_id = r.import_id and g.resource = r.resource) as ranges,
     array_remove(array_append((select coalesce(array_agg(g.bulk_operation_id order by g.seq), '{}')
       from shopify_import_ranges g where g.import_id = r.import_id and g.resource = r.resource),
       r.bulk_operation_id), null) as ops
   from shopify_import_resources r where r.import_id = $1`,
  [run?.id],
);
// Measured before the floor below, which is not part of the import.
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const cpuS = ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuAtStart));
const serverS = serverCpuAtStart === undefined ? null : (serverCpuS() ?? 0) - serverCpuAtStart;

/**
 * The database floor: the time this database takes only to write the rows the import wrote — each
 * table copied into a clone with the same indexes and checks (no foreign keys), straight from the
 * table, in one statement: no JSON, no mapping, no conflicts, no round trips. An import of the
 * same rows cannot take less than this on this engine, however it is written.
 */
const FLOOR_TABLES = [
  'products',
  'variants',
  'customers',
  'orders',
  'order_line_items',
  'locations',
  'inventory_levels',
  'inventory_adjustments',
  // One row per linked record, its base beside its GID (decision 0007, item 1): the lean rows.
  'shopify_links',
  'changes',
];
const floor: Record<string, { rows: number; ms: number }> = {};
// BENCH_NO_FLOOR: the paced run reports times only.
for (const table of process.env['BENCH_NO_FLOOR'] ? [] : FLOOR_TABLES) {
  await db.exec(`create table floor_${table} (like ${table} including all)`);
  const t0 = performance.now();
  const { rowCount } = await db.query(
    `insert into floor_${table} overriding system value select * from ${table}`,
  );
  floor[table] = { rows: rowCount, ms: performance.now() - t0 };
  await db.exec(`drop table floor_${table}`);
}

console.log(
  `BENCH_RESULT ${JSON.stringify({
    floor,
    ms,
    state: run?.state,
    reason: run?.reason,
    counts: Object.fromEntries(counts.rows.map((r) => [r.entity, Number(r.n)])),
    bulkOperations: ops.rows.flatMap((r) => r.ops),
    // When each resource's last batch had committed (its completion, written right after), and the
    // import's own end (after the planner statistics refresh): epoch ms on this machine's clock.
    resources: ops.rows.map((r) => ({
      resource: r.resource,
      bulkOperationIds: r.ops,
      ranges: r.ranges,
      finishedAtMs: r.finished_at === null ? null : new Date(r.finished_at).getTime(),
    })),
    finishedAtMs: run?.finishedAt ? new Date(run.finishedAt).getTime() : null,
    startedAtMs,
    maxRssMb,
    cpuS,
    serverCpuS: serverS,
  })}`,
);
await db.close();
