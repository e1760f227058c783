// npm run bench:revert — issue 17's figure "Revert clicked → visible on Shopify": p50 ≤ 1 s, measured
// against `retailos start` (a real process on a fresh Postgres database, its own workers) connected to
// a Shopify emulator over HTTP. Each sample: a price changed on Shopify and synced (a webhook entry),
// then POST /api/shopify/history/:id/revert (what the Revert button sends) and the emulator polled
// every 5 ms until it shows the old price again. Knobs: BENCH_SAMPLES (20), BENCH_PRODUCTS (200),
// BENCH_DATABASE_URL.
import { pairs, pct, remotePrice, samePrice, sleep, type EmuProduct, type Pair } from './sync-load.ts';
import { startStack, type Stack } from './sync-stack.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SAMPLES = num('BENCH_SAMPLES', 20);
const PRODUCTS = num('BENCH_PRODUCTS', 200);
const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const GOAL_MS = 1000;

const log = (msg: string) => console.error(`[bench:revert ${new Date().toISOString()}] ${msg}`);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(5);
  }
  log(`timed out waiting for ${what}`);
  return false;
}

const shopifyShows = async (s: Stack, p: Pair, price: string) =>
  samePrice(
    remotePrice(await s.control<EmuProduct>('GET', `/shops/${s.shop}/products/${p.remote.id}`), p.sku),
    price,
  );

async function retailosShows(s: Stack, p: Pair, price: string): Promise<boolean> {
  const res = await s.api<{ variants: { sku: string | null; price: string }[] }>(
    'GET',
    `/api/products/${p.local.id}`,
  );
  return samePrice(res.body.variants.find((v) => v.sku === p.sku)?.price, price);
}

/** A price changed on Shopify and synced to Retailos: the id of its Sync History entry. */
async function shopifyPriceChange(s: Stack, p: Pair, price: string): Promise<number | undefined> {
  const variant = p.remote.variants.find((v) => v.sku === p.sku);
  if (!variant) throw new Error(`no variant ${p.sku}`);
  await s.control('PATCH', `/shops/${s.shop}/variants/${variant.id}`, { price });
  if (!(await until('the webhook', () => retailosShows(s, p, price)))) return undefined;
  const h = await s.api<{ items: { id: number }[] }>(
    'GET',
    `/api/shopify/history?local_id=${p.local.id}&origin=webhook&limit=1`,
  );
  return h.body.items[0]?.id;
}

const stack = await startStack({
  pgServerUrl: PG_URL,
  shop: 'bench-revert.myshopify.com',
  products: PRODUCTS,
  plan: 'standard',
  cpuProfDir: process.env['BENCH_CPU_PROF'],
});
try {
  const sample = (await pairs(stack)).slice(0, SAMPLES);
  log(`imported and syncing: ${sample.length} products to revert`);
  const latency: number[] = [];
  const apiLatency: number[] = [];
  let timeouts = 0;
  for (const [i, p] of sample.entries()) {
    const old = remotePrice(p.remote, p.sku) as string;
    const entry = await shopifyPriceChange(stack, p, (700 + i + 0.37).toFixed(2));
    if (entry === undefined) throw new Error(`no webhook entry for ${p.sku}`);
    await sleep(250); // let the webhook's echo and the queue settle: a revert starts on a quiet store
    const t0 = performance.now();
    const res = await stack.api('POST', `/api/shopify/history/${entry}/revert`, {});
    if (res.status !== 200) throw new Error(`revert → ${res.status}: ${JSON.stringify(res.body)}`);
    apiLatency.push(performance.now() - t0);
    if (await until('the revert on Shopify', () => shopifyShows(stack, p, old)))
      latency.push(performance.now() - t0);
    else timeouts += 1;
  }
  const ms = (n: number) => `${Number.isFinite(n) ? n.toFixed(1) : 'n/a'} ms`;
  const p50 = pct(latency, 50);
  const p99 = pct(latency, 99);
  console.log(`Revert clicked → visible on Shopify (${latency.length} samples, ${timeouts} timed out)`);
  console.log(`  revert API answered     p50 ${ms(pct(apiLatency, 50))}  p99 ${ms(pct(apiLatency, 99))}`);
  console.log(`  visible on Shopify      p50 ${ms(p50)}  p99 ${ms(p99)}`);
  console.log(
    `  goal p50 ≤ ${GOAL_MS} ms: p50 is ${(p50 / GOAL_MS).toFixed(2)}× the goal ${p50 <= GOAL_MS && timeouts === 0 ? 'PASS' : 'MISS'}` +
      `; p99 is ${(p99 / GOAL_MS).toFixed(2)}× it`,
  );
} finally {
  await stack.stop();
}
