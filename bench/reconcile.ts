// npm run bench:reconcile — issue 16's reconciliation figures, measured against `retailos start` (the real
// process with its own workers) connected over HTTP to a Shopify emulator holding the standard store,
// embedded PGlite and a Postgres server side by side:
// 1. the emulator's bare bulk export time: the four bulk queries a run reads (products, customers, orders,
//    stock) started at once, until the last completed, then their files downloaded (the denominator);
// 2. no drift: the run's time ÷ that export time, its writes (Sync History entries, `changes` rows, Shopify
//    mutations: all must be 0) and points;
// 3. 1 % of the records of every kind drifted — half on Shopify with their webhooks lost (changes, creations,
//    deletions, stock moved), half in Retailos with their pushes lost (changes, creations, deletions, stock):
//    what the run found and repaired, its time ÷ export, writes and points; then a run right after (must
//    find nothing but what Retailos keeps on its own side);
// 4. the Retailos process's peak RSS over the runs (it is restarted after the import, so the import's own
//    peak is not in it), and the points next to what the same compare page by page would cost.
// Knobs: BENCH_SCALE (1 = 10k products / 30k variants / 20k customers / 50k orders / 3 locations = 170,003
// records), BENCH_ENGINES (pglite,postgres), BENCH_DATABASE_URL, BENCH_DRIFT (0.01), BENCH_CPU_PROF (a folder:
// the Retailos process that runs the reconciliations writes its V8 CPU profile there when it stops),
// BENCH_RETAILOS_NODE_OPTIONS (NODE_OPTIONS of the Retailos processes only: a memory probe, flags),
// BENCH_PARTS (`none`: only the no-drift run(s), no drift), BENCH_NONE_RUNS (no-drift runs in a row, 1),
// BENCH_SQL_PROFILE (the Retailos process that runs the reconciliations times its SQL statements:
// bench/sql-profile-probe.mjs; each run's top statements are printed).
import { chmodSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTITIES } from '../src/sync/entities/registry.ts';
import { cpuSecondsOf } from './proc-cpu.ts';
import { POLL_BULK, RUN_BULK } from '../src/sync/import/bulk-queries.ts';
import { pagedImportPoints } from '../src/sync/import/page-size.ts';
import { BULK_KINDS } from '../src/sync/reconcile/run.ts';
import { adminGraphql } from '../src/shopify/graphql-client.ts';
import { createFreshDatabase } from '../test-support/db.ts';
import { startEmulator, type RunningEmulator } from '../test-support/emulator.ts';
import {
  Browser,
  freePort,
  startRetailos,
  withStoppedDb,
  type RetailosProcess,
  type StartSetup,
} from '../test-support/retailos-process.ts';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const ENGINES = (process.env['BENCH_ENGINES'] ?? 'pglite,postgres').split(',');
const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DRIFT = Number(process.env['BENCH_DRIFT'] ?? 0.01);
const CPU_PROF = process.env['BENCH_CPU_PROF'];
const RETAILOS_NODE_OPTIONS = process.env['BENCH_RETAILOS_NODE_OPTIONS'];
const ONLY_NONE = process.env['BENCH_PARTS'] === 'none';
const NONE_RUNS = Math.max(1, Number(process.env['BENCH_NONE_RUNS'] ?? 1));
const SQL_PROFILE = Boolean(process.env['BENCH_SQL_PROFILE']);
const SHOP = 'bench-reconcile.myshopify.com';
const KEY = 'bench-reconcile-key';
const SECRET = 'shpss_bench_reconcile_secret';
const TOKEN = 'shpat_bench_reconcile_token';
const API_VERSION = '2026-04';

const n = (x: number) => Math.max(1, Math.round(x * SCALE));
const STORE = {
  products: n(10_000),
  variants: n(10_000) * 3,
  customers: n(20_000),
  orders: n(50_000),
  locations: 3,
};
const RECORDS =
  STORE.products + STORE.customers + STORE.orders + STORE.variants * STORE.locations + STORE.locations;

const log = (msg: string) => console.error(`[bench:reconcile ${new Date().toISOString()}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (x: number, d = 1) => x.toFixed(d);
const load = () =>
  loadavg()
    .map((x) => fmt(x, 2))
    .join(' ');

// ---- the emulator and its bare export ----

async function store(): Promise<RunningEmulator> {
  return startEmulator([
    ...['--shop', SHOP, '--api-key', KEY, '--api-secret', SECRET, '--access-token', TOKEN],
    ...[
      '--plan',
      'standard',
      '--seed',
      '7',
      '--products',
      String(STORE.products),
      '--variants-per-product',
      '3',
    ],
    ...['--customers', String(STORE.customers), '--orders', String(STORE.orders), '--locations', '3'],
  ]);
}

async function gql<T>(emu: RunningEmulator, query: string, variables: Record<string, unknown> = {}) {
  return adminGraphql<T>(
    { shopOriginTemplate: emu.shopOriginTemplate, apiVersion: API_VERSION },
    { shop: SHOP, accessToken: TOKEN, query, variables },
  );
}

/** The four exports a run reads, started at once: until the last completed, and their downloads. */
async function bareExport(
  emu: RunningEmulator,
): Promise<{ exportS: number; downloadS: number; bytes: number; exportCpuS: number }> {
  const t0 = performance.now();
  const cpu0 = cpuSecondsOf(emu.pid);
  const ids: string[] = [];
  for (const kind of BULK_KINDS) {
    const read = ENTITIES[kind].read;
    if (read.via !== 'bulk') continue;
    const r = await gql<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null } }>(emu, RUN_BULK, {
      query: read.query,
    });
    const op = r.data.bulkOperationRunQuery.bulkOperation;
    if (!op) throw new Error(`the ${kind} export did not start`);
    ids.push(op.id);
  }
  const urls = new Map<string, string | null>();
  while (urls.size < ids.length) {
    for (const id of ids.filter((i) => !urls.has(i))) {
      const r = await gql<{ bulkOperation: { status: string; url: string | null } }>(emu, POLL_BULK, { id });
      if (r.data.bulkOperation.status === 'COMPLETED') urls.set(id, r.data.bulkOperation.url);
      else if (!['CREATED', 'RUNNING'].includes(r.data.bulkOperation.status))
        throw new Error(`export ${id} ended ${r.data.bulkOperation.status}`);
    }
    if (urls.size < ids.length) await sleep(50);
  }
  const exportS = (performance.now() - t0) / 1000;
  const exportCpuS = cpuSecondsOf(emu.pid) - cpu0;
  let bytes = 0;
  for (const url of urls.values()) {
    if (!url) continue;
    const res = await fetch(url);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  }
  return { exportS, exportCpuS, downloadS: (performance.now() - t0) / 1000 - exportS, bytes };
}

// ---- Retailos ----

/**
 * `retailos start` for the runs: with BENCH_CPU_PROF, under `node --cpu-prof` (the start helper spawns
 * process.execPath, so a wrapper script stands in for it while the process is spawned).
 */
async function startForRuns(plain: StartSetup): Promise<RetailosProcess> {
  const setup = SQL_PROFILE ? withSqlProbe(plain) : plain;
  if (!CPU_PROF) return startRetailos(setup);
  const wrapper = join(setup.dataDir, 'node-cpu-prof.sh');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec '${process.execPath}' --cpu-prof --cpu-prof-dir='${CPU_PROF}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const node = process.execPath;
  process.execPath = wrapper;
  try {
    return await startRetailos(setup);
  } finally {
    process.execPath = node;
  }
}

const SQL_DIR = SQL_PROFILE ? mkdtempSync(join(tmpdir(), 'rtl-bench-sql-')) : '';
const PROBE = join(import.meta.dirname, 'sql-profile-probe.mjs');

/** The setup with the SQL probe loaded into the measured process (its NODE_OPTIONS kept). */
function withSqlProbe(setup: StartSetup): StartSetup {
  const before = [RETAILOS_NODE_OPTIONS, setup.env?.['NODE_OPTIONS']].filter(Boolean).join(' ');
  return {
    ...setup,
    env: { ...setup.env, NODE_OPTIONS: `${before} --import ${PROBE}`.trim(), SQL_PROFILE_DIR: SQL_DIR },
  };
}

interface SqlRow {
  sql: string;
  ms: number;
  n: number;
}
const dumps = new Map<number, number>();
/** Asks the probe for its figures since the last ask (and resets them); undefined without the probe. */
async function sqlSince(pid: number): Promise<SqlRow[] | undefined> {
  if (!SQL_PROFILE) return undefined;
  const nth = (dumps.get(pid) ?? 0) + 1;
  dumps.set(pid, nth);
  process.kill(pid, 'SIGUSR2');
  const file = join(SQL_DIR, `sql-${pid}-${nth}.json`);
  for (let i = 0; i < 100; i += 1) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as SqlRow[];
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`the SQL probe wrote no ${file}`);
}

interface RunJson {
  id: string;
  state: string;
  reason: string | null;
  started_at: string;
  finished_at: string | null;
  points_spent: number;
  /** What the run is at (phase, kind), as the run's row last took it. */
  progress: { phase?: string; kind?: string } | null;
  report: {
    kinds: Record<
      string,
      {
        compared: number;
        equal: number;
        differences: number;
        repaired: Record<string, number>;
        left_to_live_sync: number;
        unchanged: number;
        failed: number;
        not_compared: number;
        shopify: { count: number; checksum: string };
        retailos: { count: number; checksum: string };
      }
    >;
    duration_ms: number;
    points_spent: number;
  } | null;
}

interface RunResult {
  /** Failed attempts its job retried (each adds its 10 s backoff to the time). */
  retries: number;
  run: RunJson;
  wallS: number;
  /** CPU seconds the Retailos process and the emulator used over the run (less noisy than wall time on a loaded machine). */
  cpuS: { retailos: number; emulator: number };
  mutations: number;
  /** The run's Admin API calls by root field: how many, the points charged, how many throttled. */
  calls: Record<string, { calls: number; points: number; throttled: number }>;
  /**
   * Seconds the run's row named each phase and kind, as polled every 100 ms. The row names a repair's
   * kind once its first batch is done, so each figure runs until the next kind's first batch is.
   */
  phases: Record<string, number>;
  from: Date;
  to: Date;
  /** Seconds from the request: the job's first call, each export's start and end as Shopify and the run saw them. */
  timeline: string;
  /** The run's SQL statements by time (BENCH_SQL_PROFILE). */
  sql: SqlRow[] | undefined;
}

const statusMb = (p: RetailosProcess, field: 'VmHWM' | 'VmRSS'): number => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${p.child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const peakRssMb = (p: RetailosProcess): number => statusMb(p, 'VmHWM');

/** A call's kind: its root fields; a `nodes(ids:)` read also by the type of the GIDs it asked. */
function callKind(c: { rootFields: string[]; variables: Record<string, unknown> | null }): string {
  const kind = c.rootFields.join('+') || '?';
  const ids = c.variables?.['ids'];
  if (kind !== 'nodes' || !Array.isArray(ids)) return kind;
  const type = /^gid:\/\/shopify\/(\w+)\//.exec(String(ids[0]))?.[1] ?? '?';
  return `nodes(${type})`;
}

async function lastCallSeq(emu: RunningEmulator): Promise<number> {
  const { calls } = await emu.control<{ calls: { seq: number }[] }>('GET', `/calls?shop=${SHOP}`);
  return calls.at(-1)?.seq ?? 0;
}

async function oneRun(b: Browser, emu: RunningEmulator, p: RetailosProcess): Promise<RunResult> {
  const since = await lastCallSeq(emu);
  await sqlSince(p.child.pid as number);
  const cpu0 = { retailos: cpuSecondsOf(p.child.pid as number), emulator: cpuSecondsOf(emu.pid) };
  const from = new Date();
  const t0 = performance.now();
  const retries: (string | null)[] = [];
  const started = await b.api<RunJson>('POST', '/api/shopify/reconcile', { dry_run: false });
  if (started.status !== 202) throw new Error(`POST /api/shopify/reconcile → ${started.status}`);
  let failedAt: number | null = null;
  const phases: Record<string, number> = {};
  let lastPoll = performance.now();
  // The Retailos process's CPU seconds at each poll (ms since the request): what the run spends after
  // its last export was seen (the compare cannot start on a file Shopify has not completed).
  const cpuAt: { ms: number; s: number }[] = [];
  for (;;) {
    const r = await b.api<RunJson>('GET', `/api/shopify/reconcile/runs/${started.json.id}`);
    const now = performance.now();
    const at = r.json.progress;
    const name = at?.phase === 'repair' ? `repair ${at.kind ?? '?'}` : (at?.phase ?? 'starting');
    phases[name] = (phases[name] ?? 0) + (now - lastPoll) / 1000;
    lastPoll = now;
    cpuAt.push({ ms: now - t0, s: cpuSecondsOf(p.child.pid as number) });
    // A failed attempt (an outage, a call timed out on a loaded machine) is retried by the run's job
    // 10 s later: followed for a minute before the bench gives up on it.
    if (r.json.state === 'failed') {
      if (failedAt === null) {
        failedAt = performance.now();
        retries.push(r.json.reason);
      }
      if (performance.now() - failedAt < 60_000) {
        await sleep(500);
        continue;
      }
    }
    if (r.json.state === 'running') failedAt = null;
    if (r.json.state !== 'running') {
      const wallS = (performance.now() - t0) / 1000;
      const sql = await sqlSince(p.child.pid as number);
      const { calls } = await emu.control<{
        calls: {
          at: string;
          operationName: string | null;
          operationType: string | null;
          rootFields: string[];
          variables: Record<string, unknown> | null;
          actualCost: number | null;
          requestedCost: number | null;
          throttled: boolean;
        }[];
      }>('GET', `/calls?shop=${SHOP}&since=${since}`);
      const mutations = calls.filter(
        (c) => c.operationType === 'mutation' && !c.rootFields.includes('bulkOperationRunQuery'),
      ).length;
      // Each root field's calls and the points Shopify charged for them (a throttled call: none).
      const byField: Record<string, { calls: number; points: number; throttled: number }> = {};
      for (const c of calls) {
        const f = (byField[callKind(c)] ??= { calls: 0, points: 0, throttled: 0 });
        f.calls += 1;
        if (c.throttled) f.throttled += 1;
        else f.points += c.actualCost ?? c.requestedCost ?? 0;
      }
      if (r.json.state !== 'completed') throw new Error(`the run ${r.json.state}: ${r.json.reason}`);
      if (retries.length > 0) log(`the run was retried after: ${retries.join(' | ')}`);
      const cpuS = {
        retailos: cpuSecondsOf(p.child.pid as number) - cpu0.retailos,
        emulator: cpuSecondsOf(emu.pid) - cpu0.emulator,
      };
      const timeline = await timelineOf(emu, from, calls, cpuAt);
      return {
        run: r.json,
        wallS,
        timeline,
        sql,
        cpuS,
        mutations,
        calls: byField,
        phases,
        from,
        to: new Date(),
        retries: retries.length,
      };
    }
    await sleep(100);
  }
}

/**
 * Where the run's first seconds go: its first Admin API call (the job picked up), then per export when
 * Shopify created and completed it and when the run's last poll of it came (the run saw it done).
 */
async function timelineOf(
  emu: RunningEmulator,
  from: Date,
  calls: {
    at: string;
    operationName: string | null;
    rootFields: string[];
    variables: Record<string, unknown> | null;
  }[],
  cpuAt: { ms: number; s: number }[],
): Promise<string> {
  const s = (at: string | Date) => fmt((new Date(at).getTime() - from.getTime()) / 1000, 2);
  const out = [`first call ${calls[0] ? s(calls[0].at) : '-'}`];
  const lastPoll = new Map<string, string>();
  for (const c of calls)
    if (c.operationName === 'PollReconcileExport') lastPoll.set(String(c.variables?.['id']), c.at);
  for (const [id, seen] of lastPoll) {
    const r = await gql<{
      bulkOperation: { createdAt: string; completedAt: string | null; rootObjectCount: string };
    }>(emu, `query($id: ID!) { bulkOperation(id: $id) { createdAt completedAt rootObjectCount } }`, { id });
    const op = r.data.bulkOperation;
    out.push(
      `export ${op.rootObjectCount} roots: created ${s(op.createdAt)} completed ${op.completedAt ? s(op.completedAt) : '-'} seen ${s(seen)}`,
    );
  }
  const last = calls.at(-1);
  if (last) out.push(`last call ${s(last.at)}`);
  // From the last export seen to the end: wall and the Retailos process's CPU (first poll at or after it).
  const seenMs = Math.max(...[...lastPoll.values()].map((at) => new Date(at).getTime() - from.getTime()));
  const atSeen = cpuAt.find((c) => c.ms >= seenMs);
  const end = cpuAt.at(-1);
  if (atSeen && end)
    out.push(
      `after the last export was seen: ${fmt((end.ms - atSeen.ms) / 1000, 2)} s wall, ${fmt(end.s - atSeen.s, 2)} s Retailos CPU (before it: ${fmt(atSeen.s - (cpuAt[0]?.s ?? 0), 2)} s)`,
    );
  return out.join('; ');
}

async function waitImported(b: Browser): Promise<void> {
  for (;;) {
    const imp = await b.api<{ state: string; reason: string | null }>('GET', '/api/shopify/import');
    const conn = await b.api<{ state: string }>('GET', '/api/shopify/connection');
    if (imp.json.state === 'completed' && conn.json.state === 'syncing') return;
    if (imp.json.state === 'failed') throw new Error(`the import failed: ${imp.json.reason}`);
    await sleep(500);
  }
}

async function page<T>(b: Browser, path: string, want: number): Promise<T[]> {
  const out: T[] = [];
  for (let cursor: string | null = null; out.length < want;) {
    const sep = path.includes('?') ? '&' : '?';
    const r: { json: { items: T[]; next_cursor: string | null } } = await b.api(
      'GET',
      `${path}${sep}limit=250${cursor ? `&cursor=${cursor}` : ''}`,
    );
    out.push(...r.json.items);
    if (!r.json.next_cursor) break;
    cursor = r.json.next_cursor;
  }
  return out.slice(0, want);
}

async function emuPage<T>(emu: RunningEmulator, what: string, want: number, skip = 0): Promise<T[]> {
  const out: T[] = [];
  for (let after: number | null = null; out.length < want + skip;) {
    const r: Record<string, (T & { id: number })[]> = await emu.control(
      'GET',
      `/shops/${SHOP}/${what}?limit=1000${after === null ? '' : `&after=${after}`}`,
    );
    const items = r[what] ?? [];
    out.push(...items);
    if (items.length < 1000) break;
    after = items.at(-1)?.id ?? null;
  }
  return out.slice(skip, skip + want);
}

const thirds = (k: number): [number, number, number] => {
  const a = Math.max(1, Math.round(k / 3));
  return [a, a, Math.max(1, k - 2 * a)];
};

/** Half of the drift, on Shopify with the webhooks lost: changes, creations, deletions and stock. */
async function driftOnShopify(emu: RunningEmulator, share: number): Promise<Record<string, number>> {
  const c = (path: string, method: 'POST' | 'PATCH' | 'DELETE', body?: unknown) =>
    emu.control(method, `/shops/${SHOP}${path}`, body);
  await emu.control('POST', '/faults', { webhookDropRate: 1 });
  const [pc, pd, pn] = thirds(Math.round(STORE.products * share));
  const products = await emuPage<{
    id: number;
    title: string;
    variants: { id: number; sku: string | null }[];
  }>(emu, 'products', pc + pd);
  for (const p of products.slice(0, pc))
    await c(`/products/${p.id}`, 'PATCH', { title: `${p.title} (Shopify)` });
  for (const p of products.slice(pc)) await c(`/products/${p.id}`, 'DELETE');
  for (let i = 0; i < pn; i += 1)
    await c('/products', 'POST', {
      title: `Made on Shopify ${i}`,
      variants: [{ sku: `SHOP-NEW-${i}`, price: '9.00' }],
    });
  const [cc, cd, cn] = thirds(Math.round(STORE.customers * share));
  const customers = await emuPage<{ id: number }>(emu, 'customers', cc + cd * 20);
  for (const x of customers.slice(0, cc))
    await c(`/customers/${x.id}`, 'PATCH', { note: 'changed on Shopify' });
  // Shopify refuses to delete a customer with orders: the next one is tried.
  let deleted = 0;
  for (const x of customers.slice(cc)) {
    if (deleted === cd) break;
    try {
      await c(`/customers/${x.id}`, 'DELETE');
      deleted += 1;
    } catch (err) {
      if (!String(err).includes('has_orders')) throw err;
    }
  }
  for (let i = 0; i < cn; i += 1)
    await c('/customers', 'POST', {
      firstName: 'Shopify',
      lastName: `Only ${i}`,
      email: `shopify.only.${i}@example.com`,
    });
  const [oc, od, on] = thirds(Math.round(STORE.orders * share));
  const orders = await emuPage<{ id: number }>(emu, 'orders', oc + od);
  for (const o of orders.slice(0, oc)) await c(`/orders/${o.id}`, 'PATCH', { note: 'changed on Shopify' });
  for (const o of orders.slice(oc)) await c(`/orders/${o.id}`, 'DELETE');
  const buyable = await emuPage<{ variants: { id: number }[] }>(emu, 'products', on, pc + pd);
  for (let i = 0; i < on; i += 1) {
    const v = buyable[i % Math.max(1, buyable.length)]?.variants[0];
    if (v) await c('/orders', 'POST', { lines: [{ variantId: v.id, quantity: 1 }] });
  }
  const levels = Math.round(STORE.variants * STORE.locations * share);
  const stocked = await emuPage<{ variants: { sku: string | null }[] }>(
    emu,
    'products',
    levels,
    pc + pd + on,
  );
  let moved = 0;
  for (const p of stocked) {
    const sku = p.variants[0]?.sku;
    if (!sku) continue;
    await c('/inventory/adjust', 'POST', { sku, delta: 3 });
    moved += 1;
  }
  await emu.control('DELETE', '/faults');
  return {
    'product changes/deletions/creations': pc + pd + pn,
    'customer changes/deletions/creations': cc + deleted + cn,
    'order changes/deletions/orders placed': oc + od + on,
    'stock levels moved': moved,
  };
}

/** The other half, in Retailos with its pushes lost (made during an outage, their pushes dropped after). */
async function driftInRetailos(b: Browser, share: number): Promise<Record<string, number>> {
  const ok = async (what: string, r: Promise<{ status: number; json: unknown }>) => {
    const res = await r;
    if (res.status >= 300)
      throw new Error(`${what} → ${res.status}: ${JSON.stringify(res.json).slice(0, 300)}`);
  };
  const [pc, pd, pn] = thirds(Math.round(STORE.products * share));
  const products = (await page<{ id: string; title: string }>(b, '/api/products', pc + pd + 400)).slice(
    -(pc + pd),
  );
  for (const p of products.slice(0, pc))
    await ok('product edit', b.api('PATCH', `/api/products/${p.id}`, { title: `${p.title} (Retailos)` }));
  for (const p of products.slice(pc)) await ok('product delete', b.api('DELETE', `/api/products/${p.id}`));
  for (let i = 0; i < pn; i += 1)
    await ok(
      'product create',
      b.api('POST', '/api/products', {
        title: `Made in Retailos ${i}`,
        variants: [{ sku: `RTL-NEW-${i}`, price: '8.00' }],
      }),
    );
  const [cc, cd, cn] = thirds(Math.round(STORE.customers * share));
  const all = await page<{ id: string }>(b, '/api/customers', cc + cd * 20 + 400);
  const customers = all.slice(Math.min(400, Math.floor(all.length / 2)));
  for (const x of customers.slice(0, cc))
    await ok('customer edit', b.api('PATCH', `/api/customers/${x.id}`, { note: 'changed in Retailos' }));
  let deleted = 0;
  for (const x of customers.slice(cc)) {
    if (deleted === cd) break;
    const res = await b.api('DELETE', `/api/customers/${x.id}`);
    if (res.status < 300) deleted += 1;
    else if (res.status !== 409 && res.status !== 422) throw new Error(`customer delete → ${res.status}`);
  }
  for (let i = 0; i < cn; i += 1)
    await ok(
      'customer create',
      b.api('POST', '/api/customers', {
        first_name: 'Retailos',
        last_name: `Only ${i}`,
        email: `retailos.only.${i}@example.com`,
      }),
    );
  const oc = Math.round(STORE.orders * share);
  const orders = (await page<{ id: string }>(b, '/api/orders', oc + 600)).slice(-oc);
  for (const o of orders)
    await ok('order edit', b.api('PATCH', `/api/orders/${o.id}`, { note: 'changed in Retailos' }));
  const lc = Math.round(STORE.variants * STORE.locations * share);
  // (A level an order took below zero refuses any change that leaves it there: such levels are skipped.)
  const levels = (
    await page<{ variant_id: string; location_id: string; available: number }>(b, '/api/inventory', lc + 3000)
  )
    .filter((l) => l.available >= 0)
    .slice(-lc);
  for (const l of levels)
    await ok(
      'stock adjust',
      b.api('POST', '/api/inventory/adjust', {
        variant_id: l.variant_id,
        location_id: l.location_id,
        delta: 2,
        reason: 'correction',
      }),
    );
  return {
    'product changes/deletions/creations': pc + pd + pn,
    'customer changes/deletions/creations': cc + deleted + cn,
    'order changes': oc,
    'stock levels moved': levels.length,
  };
}

/** The pushes of the Retailos edits are lost: handed in the outbox, their jobs and in-flight stock pushes dropped. */
async function losePushes(setup: StartSetup): Promise<void> {
  await withStoppedDb(setup, async (db) => {
    await db.query(`update changes set relayed_at = now() where relayed_at is null and origin <> 'shopify'`);
    await db.query(
      `delete from pgboss.job where name in ('shopify.push', 'shopify.outbox-relay') and state in ('created', 'retry', 'active')`,
    );
    await db.query(
      `update shopify_inventory_pushes set pending_key = null, pending_from = null, pending_delta = null, pending_since = null
       where pending_key is not null`,
    );
  });
}

interface Counts {
  entries: number;
  changes: number;
}

async function writesOf(setup: StartSetup, runs: RunResult[]): Promise<Counts[]> {
  return withStoppedDb(setup, async (db) => {
    const out: Counts[] = [];
    for (const r of runs) {
      const e = await db.query<{ n: string }>(
        `select count(*) as n from shopify_sync_history where origin = 'reconcile' and occurred_at between $1 and $2`,
        [r.from, r.to],
      );
      const c = await db.query<{ n: string }>(
        `select count(*) as n from changes where created_at between $1 and $2`,
        [r.from, r.to],
      );
      out.push({ entries: Number(e.rows[0]?.n ?? 0), changes: Number(c.rows[0]?.n ?? 0) });
    }
    return out;
  });
}

interface EngineResult {
  engine: string;
  exportS: number;
  /** The emulator's CPU seconds over the bare export. */
  exportCpuS: number;
  downloadS: number;
  importS: number;
  none: RunResult;
  drifted: RunResult;
  after: RunResult;
  writes: Counts[];
  drift: { shopify: Record<string, number>; retailos: Record<string, number> };
  rssMb: number;
  /** The process's resident memory when it had started (before the runs), and its peak after the no-drift run. */
  startMb: number;
  noneMb: number;
  load: string;
}

async function engine(name: string): Promise<EngineResult> {
  log(`${name}: generating the store (${RECORDS} records)`);
  const emu = await store();
  const fresh = name === 'postgres' ? await createFreshDatabase(PG_URL) : undefined;
  const setup: StartSetup = {
    dataDir: mkdtempSync(join(tmpdir(), 'rtl-bench-reconcile-')),
    databaseUrl: fresh?.url,
    shopify: { emu, apiKey: KEY, apiSecret: SECRET },
    port: await freePort(),
    // A probe or flags for the measured process only (e.g. `--import ./probe.mjs` to sample its memory).
    ...(RETAILOS_NODE_OPTIONS ? { env: { NODE_OPTIONS: RETAILOS_NODE_OPTIONS } } : {}),
  };
  let p: RetailosProcess | undefined;
  try {
    const bare = await bareExport(emu);
    log(
      `${name}: bare export ${fmt(bare.exportS, 2)} s, download ${fmt(bare.downloadS, 2)} s (${bare.bytes} bytes)`,
    );
    p = await startRetailos(setup);
    let b = new Browser(p.url);
    await b.login();
    const t0 = performance.now();
    await b.connect(SHOP);
    await waitImported(b);
    const importS = (performance.now() - t0) / 1000;
    log(`${name}: imported in ${fmt(importS, 1)} s; restarting so the peak RSS is the runs' own`);
    await p.stop();
    p = await startForRuns(setup);
    b = new Browser(p.url);
    await b.login();
    const startMb = statusMb(p, 'VmRSS');
    const nones: RunResult[] = [];
    for (let i = 0; i < NONE_RUNS; i += 1) {
      const one = await oneRun(b, emu, p);
      nones.push(one);
      log(
        `${name}: no drift ${fmt(one.wallS, 2)} s (÷ export ${fmt(one.wallS / bare.exportS, 2)}), CPU retailos ${fmt(one.cpuS.retailos, 2)} s, load ${load()}`,
      );
      log(`${name}:   phases ${JSON.stringify(one.phases)}`);
      log(`${name}:   timeline ${one.timeline}`);
      for (const row of one.sql?.slice(0, 25) ?? [])
        log(`${name}:   sql ${fmt(row.ms, 0).padStart(7)} ms ${String(row.n).padStart(6)}× ${row.sql}`);
    }
    const none = nones[0] as RunResult;
    const noneMb = peakRssMb(p);
    if (ONLY_NONE) {
      await p.stop();
      p = undefined;
      const writes = await writesOf(setup, nones);
      log(
        `${name}: no-drift writes (history / changes) ${JSON.stringify(writes)}, mutations ${nones.map((x) => x.mutations).join(', ')}`,
      );
      return {
        engine: name,
        ...bare,
        importS,
        none,
        drifted: none,
        after: none,
        writes,
        drift: { shopify: {}, retailos: {} },
        rssMb: noneMb,
        startMb,
        noneMb,
        load: load(),
      };
    }
    const shopify = await driftOnShopify(emu, DRIFT / 2);
    await emu.control('POST', '/faults', { outage: true });
    const retailos = await driftInRetailos(b, DRIFT / 2);
    await p.stop();
    await losePushes(setup);
    await emu.control('DELETE', '/faults');
    p = await startForRuns(setup);
    b = new Browser(p.url);
    await b.login();
    log(`${name}: drifted ${JSON.stringify({ shopify, retailos })}`);
    const drifted = await oneRun(b, emu, p);
    log(`${name}: drifted run ${fmt(drifted.wallS, 2)} s`);
    const after = await oneRun(b, emu, p);
    const rssMb = peakRssMb(p);
    const loadNow = load();
    await p.stop();
    p = undefined;
    const writes = await writesOf(setup, [none, drifted, after]);
    return {
      engine: name,
      ...bare,
      importS,
      none,
      drifted,
      after,
      writes,
      drift: { shopify, retailos },
      rssMb,
      startMb,
      noneMb,
      load: loadNow,
    };
  } finally {
    await p?.kill();
    await emu.stop();
    await fresh?.drop();
    rmSync(setup.dataDir, { recursive: true, force: true });
  }
}

function differences(r: RunResult): {
  found: number;
  repaired: number;
  left: number;
  unchanged: number;
  failed: number;
} {
  const k = Object.values(r.run.report?.kinds ?? {});
  const sum = (f: (x: (typeof k)[number]) => number) => k.reduce((a, x) => a + f(x), 0);
  return {
    found: sum((x) => x.differences),
    repaired: sum((x) => Object.values(x.repaired).reduce((a, v) => a + v, 0)),
    left: sum((x) => x.left_to_live_sync),
    unchanged: sum((x) => x.unchanged),
    failed: sum((x) => x.failed),
  };
}

console.log(
  `bench:reconcile — scale ${SCALE} (${RECORDS} records), drift ${DRIFT * 100} %, load average ${load()}`,
);
const results: EngineResult[] = [];
for (const name of ENGINES) results.push(await engine(name));

const paged = pagedImportPoints(STORE);
const rows: [string, (r: EngineResult) => string][] = [
  ['bare bulk export (4 at once, s)', (r) => fmt(r.exportS, 2)],
  ['  + download of the files (s)', (r) => fmt(r.downloadS, 2)],
  ['  emulator CPU s over the bare export', (r) => fmt(r.exportCpuS, 2)],
  ['import (s, for reference)', (r) => fmt(r.importS, 1)],
  [
    'no drift: run (s)',
    (r) => `${fmt(r.none.wallS, 2)}${r.none.retries ? ` (${r.none.retries} retried)` : ''}`,
  ],
  ['no drift: run ÷ export (goal ≤ 1.3)', (r) => fmt(r.none.wallS / r.exportS, 2)],
  [
    'no drift: CPU s of retailos / emulator',
    (r) => `${fmt(r.none.cpuS.retailos, 2)} / ${fmt(r.none.cpuS.emulator, 2)}`,
  ],
  [
    'no drift: writes (history / changes / mutations)',
    (r) => `${r.writes[0]?.entries} / ${r.writes[0]?.changes} / ${r.none.mutations}`,
  ],
  ['no drift: points', (r) => String(r.none.run.points_spent)],
  ['drift: differences found', (r) => String(differences(r.drifted).found)],
  [
    'drift: repaired / left / unchanged / failed',
    (r) => {
      const d = differences(r.drifted);
      return `${d.repaired} / ${d.left} / ${d.unchanged} / ${d.failed}`;
    },
  ],
  [
    'drift: run (s)',
    (r) => `${fmt(r.drifted.wallS, 2)}${r.drifted.retries ? ` (${r.drifted.retries} retried)` : ''}`,
  ],
  ['drift: run ÷ export (goal ≤ 1.5)', (r) => fmt(r.drifted.wallS / r.exportS, 2)],
  [
    'drift: CPU s of retailos / emulator',
    (r) => `${fmt(r.drifted.cpuS.retailos, 2)} / ${fmt(r.drifted.cpuS.emulator, 2)}`,
  ],
  [
    'drift: writes (history / changes / mutations)',
    (r) => `${r.writes[1]?.entries} / ${r.writes[1]?.changes} / ${r.drifted.mutations}`,
  ],
  ['drift: points', (r) => String(r.drifted.run.points_spent)],
  [
    'right after: differences (kept ones only)',
    (r) => `${differences(r.after).found} (${differences(r.after).unchanged} kept)`,
  ],
  [
    'right after: writes (history / changes / mutations)',
    (r) => `${r.writes[2]?.entries} / ${r.writes[2]?.changes} / ${r.after.mutations}`,
  ],
  ['peak RSS of retailos over the runs (MB, goal ≤ 300)', (r) => fmt(r.rssMb, 0)],
  ['  RSS at start / peak over the no-drift run (MB)', (r) => `${fmt(r.startMb, 0)} / ${fmt(r.noneMb, 0)}`],
  [
    'page-by-page compare, estimated points',
    () => `${paged} (≥ ${fmt(Math.max(0, paged - 2000) / 100 / 60, 1)} min at 100 points/s)`,
  ],
  ['load average at the end', (r) => r.load],
];
const w = Math.max(...rows.map(([t]) => t.length));
console.log(`\n| ${'figure'.padEnd(w)} | ${results.map((r) => r.engine.padEnd(18)).join(' | ')} |`);
console.log(`| ${'-'.repeat(w)} | ${results.map(() => '-'.repeat(18)).join(' | ')} |`);
for (const [title, f] of rows)
  console.log(`| ${title.padEnd(w)} | ${results.map((r) => f(r).padEnd(18)).join(' | ')} |`);
for (const r of results) {
  console.log(`\n${r.engine}: drift made ${JSON.stringify(r.drift)}`);
  for (const [kind, k] of Object.entries(r.drifted.run.report?.kinds ?? {}))
    console.log(
      `  ${kind.padEnd(16)} compared ${k.compared} differences ${k.differences} repaired ${JSON.stringify(k.repaired)} left ${k.left_to_live_sync} unchanged ${k.unchanged} failed ${k.failed} not compared ${k.not_compared}`,
    );
  for (const [what, run] of [
    ['no drift', r.none],
    ['drift', r.drifted],
  ] as const)
    console.log(
      `  ${what} run's calls (root field: calls, points, throttled): ${Object.entries(run.calls)
        .sort((x, y) => y[1].points - x[1].points)
        .map(([f, c]) => `${f} ${c.calls}, ${fmt(c.points, 0)}${c.throttled ? `, ${c.throttled}` : ''}`)
        .join('; ')}`,
    );
  for (const [what, run] of [
    ['no drift', r.none],
    ['drift', r.drifted],
  ] as const)
    console.log(
      `  ${what} run's time by phase (s, as polled): ${Object.entries(run.phases)
        .map(([p, sec]) => `${p} ${fmt(sec, 1)}`)
        .join('; ')}`,
    );
  for (const [kind, k] of Object.entries(r.after.run.report?.kinds ?? {}))
    if (k.differences > 0 || k.shopify.checksum !== k.retailos.checksum)
      console.log(
        `  right after, ${kind}: differences ${k.differences}; Shopify ${k.shopify.count} ${k.shopify.checksum}, Retailos ${k.retailos.count} ${k.retailos.checksum}`,
      );
}
