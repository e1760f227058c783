// npm run bench:reconcile — issue 16's reconciliation figures, measured against `retailos start` (a real
// process on a fresh Postgres database, its own workers) connected to a Shopify emulator over HTTP:
// 1. no drift: the run's duration, the points it spent, and the writes it made (Sync History entries,
//    Shopify mutations: both must be 0);
// 2. 1 % of the products drifted on Shopify with their webhooks lost (titles changed, products deleted,
//    products created): the run's duration, what it repaired, and the same writes.
// Knobs: BENCH_PRODUCTS (500), BENCH_DATABASE_URL. Not measured here (said in the output): the ratio to
// the emulator's bare bulk export time, PGlite side by side, peak RSS, and drift made in Retailos.
import { calls, emuProducts, sleep } from './sync-load.ts';
import { startStack, type Stack } from './sync-stack.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PRODUCTS = num('BENCH_PRODUCTS', 500);
const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const log = (msg: string) => console.error(`[bench:reconcile ${new Date().toISOString()}] ${msg}`);

interface RunJson {
  id: string;
  state: string;
  reason: string | null;
  report: {
    kinds: Record<
      string,
      { compared: number; equal: number; repaired: Record<string, number>; failed: number }
    >;
    duration_ms: number;
    points_spent: number;
  } | null;
}

async function historyCount(s: Stack): Promise<number> {
  const r = await s.db.query<{ n: string }>(
    "select count(*) as n from shopify_sync_history where origin = 'reconcile'",
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** One run on demand, followed until it ends: the run, its wall time and the mutations it sent. */
async function oneRun(
  s: Stack,
): Promise<{ run: RunJson; wallMs: number; mutations: number; entries: number }> {
  const before = await historyCount(s);
  const since = (await calls(s, 0)).at(-1)?.seq ?? 0;
  const t0 = performance.now();
  const started = await s.api<RunJson>('POST', '/api/shopify/reconcile', { dry_run: false });
  if (started.status !== 202) throw new Error(`POST /api/shopify/reconcile → ${started.status}`);
  for (;;) {
    const r = await s.api<RunJson>('GET', `/api/shopify/reconcile/runs/${started.body.id}`);
    if (r.body.state !== 'running') {
      const wallMs = performance.now() - t0;
      const sent = (await calls(s, since)).filter(
        (c) => c.operationType === 'mutation' && !c.rootFields.includes('bulkOperationRunQuery'),
      );
      return { run: r.body, wallMs, mutations: sent.length, entries: (await historyCount(s)) - before };
    }
    await sleep(100);
  }
}

function print(title: string, r: Awaited<ReturnType<typeof oneRun>>): void {
  const rep = r.run.report;
  console.log(`${title}: ${r.run.state}${r.run.reason ? ` (${r.run.reason})` : ''}`);
  console.log(`  wall ${(r.wallMs / 1000).toFixed(2)} s · points ${rep?.points_spent ?? 'n/a'}`);
  console.log(`  writes: ${r.entries} Sync History entries, ${r.mutations} Shopify mutations`);
  for (const [kind, k] of Object.entries(rep?.kinds ?? {}))
    console.log(
      `  ${kind.padEnd(16)} compared ${k.compared} equal ${k.equal} repaired ${JSON.stringify(k.repaired)} failed ${k.failed}`,
    );
}

const stack = await startStack({
  pgServerUrl: PG_URL,
  shop: 'bench-reconcile.myshopify.com',
  products: PRODUCTS,
  plan: 'standard',
  cpuProfDir: process.env['BENCH_CPU_PROF'],
});
try {
  log(`imported and syncing: ${PRODUCTS} products`);
  await sleep(2000); // the import's tail (apply, relay) settles before the first run
  print('No drift', await oneRun(stack));

  const products = await emuProducts(stack);
  const n = Math.max(1, Math.floor(products.length / 100));
  await stack.control('POST', '/faults', { webhookDropRate: 1 });
  for (const p of products.slice(0, n))
    await stack.control('PATCH', `/shops/${stack.shop}/products/${p.id}`, { title: `${p.title} (drifted)` });
  for (const p of products.slice(n, 2 * n))
    await stack.control('DELETE', `/shops/${stack.shop}/products/${p.id}`);
  for (let i = 0; i < n; i += 1) {
    // The control API answers a creation 201 (stack.control expects 200).
    const res = await fetch(`${stack.emulatorUrl}/_emulator/shops/${stack.shop}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Created on Shopify ${i}`, vendor: 'bench' }),
    });
    if (res.status !== 201) throw new Error(`creating a product on the emulator → ${res.status}`);
  }
  await stack.control('DELETE', '/faults');
  log(`${n} titles changed, ${n} products deleted, ${n} created on Shopify with their webhooks lost`);
  print('1 % drifted on Shopify', await oneRun(stack));
  print('Right after (must find nothing)', await oneRun(stack));
  console.log(
    'Not measured: time ÷ bare bulk export time, PGlite side by side, peak RSS, drift made in Retailos.',
  );
} finally {
  await stack.stop();
}
