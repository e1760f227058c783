import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NODE_FLAGS } from '../bin/launch.js';
import { systemClock } from '../src/clock.ts';
import { createApiToken, createUser } from '../src/core/owner-bootstrap.ts';
import { migrateToLatest, openDb } from '../src/db/open.ts';
import { upsertProductBatch } from '../src/db/product-batch.ts';
import { createFreshDatabase } from '../test-support/db.ts';
import { makeProducts } from './storage.ts';

const ROOT = join(import.meta.dirname, '..');
const RATE = Number(process.env['BENCH_RATE'] ?? 200);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
const LIMIT = Number(process.env['BENCH_LIMIT'] ?? 100);

async function seed(url: string, products: number): Promise<string> {
  const db = await openDb({ databaseUrl: url, onIdleError: (e) => console.error(e) });
  await migrateToLatest(db);
  const deps = { db, clock: systemClock, randomBytes };
  const user = await createUser(deps, {
    email: 'bench@retailos.local',
    password: 'bench-password-1',
    role: 'owner',
    tenantName: 'Bench',
  });
  for (let i = 0; i < products; i += 1000) {
    await db.transaction((tx) =>
      upsertProductBatch(tx, user.tenantId, 'system', makeProducts(Math.min(1000, products - i), i)),
    );
  }
  // As a store that has been running a while looks, not a table bulk-loaded a second ago: visibility map
  // and hint bits set, statistics fresh, and the load's dirty pages written out before anything is timed.
  await db.query('vacuum analyze');
  await db.query('checkpoint');
  const { token } = await createApiToken(deps, { tenantId: user.tenantId, userId: user.id, name: 'bench' });
  await db.close();
  return token;
}

function startServer(url: string): Promise<{ base: string; stop: () => void }> {
  const child = spawn(process.execPath, [...NODE_FLAGS, join(ROOT, 'bin/retailos.js'), 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      RETAILOS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rtl-bench-')),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /Retailos is running: (http:\/\/\S+)/.exec(line);
      if (m?.[1]) resolve({ base: m[1], stop: () => child.kill('SIGTERM') });
    });
  });
}

function runLoad(url: string, token: string, seconds: number, warmupSeconds: number) {
  // The client's own (small) garbage is not collected during the run: a fixed 64 MB young generation,
  // and no memory reducer (it compacted the quiet heap 13 s in, pausing the client 8-9 ms twice).
  const node = [
    '--min-semi-space-size=64',
    '--max-semi-space-size=64',
    '--no-memory-reducer',
    '--import',
    'tsx',
  ];
  const args = [
    join(ROOT, 'bench/load-client.ts'),
    url,
    token,
    String(RATE),
    String(seconds),
    String(warmupSeconds),
  ];
  const child = spawn(process.execPath, [...node, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise<Record<string, number>>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Record<string, number>)
        : reject(new Error(`load exited ${code}`)),
    ),
  );
}

/** GET /api/products?limit=100 (BENCH_LIMIT) on Postgres with N products, from a separate load process. */
export async function benchProductsApi(serverUrl: string, products: number): Promise<void> {
  const fresh = await createFreshDatabase(serverUrl);
  try {
    const token = await seed(fresh.url, products);
    const server = await startServer(fresh.url);
    try {
      const url = `${server.base}/api/products?limit=${LIMIT}`;
      // Shared machines: the 1-minute load average before and after tells how comparable two runs are.
      const loadBefore = loadavg()[0] ?? NaN;
      // The first 3 s warm up connections, plans and both processes' JIT; they are not reported.
      const r = await runLoad(url, token, SECONDS, 3);
      const f = (n: number | undefined) => (n ?? NaN).toFixed(1);
      const load = loadavg()[0] ?? NaN;
      console.log(
        `[postgres] GET /api/products?limit=${LIMIT} with ${products} products at ${RATE} req/s for ${SECONDS} s: ` +
          `p50 ${f(r['p50'])} ms, p90 ${f(r['p90'])} ms, p99 ${f(r['p99'])} ms (goal ≤ 20), max ${f(r['max'])} ms, ` +
          `achieved ${f(r['achievedRate'])} req/s, errors ${r['errors']}, load average ${loadBefore.toFixed(2)} → ${load.toFixed(2)}` +
          ` (latency from each request's due time; from when the client sent it: p50 ${f(r['p50Sent'])} ms, p99 ${f(r['p99Sent'])} ms, max ${f(r['maxSent'])} ms;` +
          ` client send lag p99 ${f(r['sendLagP99'])} ms, max ${f(r['sendLagMax'])} ms;` +
          ` client GC ${r['clientGcPauses']} pauses, max ${f(r['clientGcMaxMs'])} ms)`,
      );
    } finally {
      server.stop();
    }
  } finally {
    await fresh.drop();
  }
}
