/**
 * Emulator benchmark (never a test): `npm run bench:emulator` from the repo root
 * (= `node --expose-gc --import tsx emulator/bench/emulator.ts`).
 *
 * Run with `node --expose-gc` (the root script does) so memory is measured from a collected heap.
 *
 * 1. Builds the 110k-record shop (10k products × 3 variants, 20k customers, 50k orders, 3 locations).
 * 2. Products-page queries per second through the real in-process path (validate → cost →
 *    throttle → execute → refund → extensions.cost), paging the whole catalogue.
 * 3. Bulk export objects per second on that shop (products+variants, customers, orders+line items).
 * 4. Peak RSS during a 1M-object export (250k products × 3 variants, nodes made on demand),
 *    sampled every 20 ms. `--million-store` instead builds a real 1M-object shop first (slow).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createBulkOperations,
  type BulkCaller,
  type BulkOperations,
  type BulkPageExecutor,
} from '../src/bulk/index.ts';
import { createStoreBulkExecutor } from '../src/bulk/store-executor.ts';
import { createManualClock } from '../src/control/clock.ts';
import { createEmulator, type Emulator } from '../src/control/emulator.ts';
import { runGraphQL } from '../src/http/graphql-call.ts';
import { mb, sampleMemory, type MemoryProfile } from './rss-sampler.ts';
import { virtualCatalogExecutor } from './virtual-catalog.ts';

const GOAL_OBJECTS_PER_SECOND = 50_000;
const PAGE_QUERY = `query Page($after: String) {
  products(first: 50, after: $after) {
    edges { cursor node { id title handle status updatedAt variants(first: 10) { nodes { id sku price inventoryQuantity } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

function buildShop(products: number, customers: number, orders: number, variantsPerProduct = 3): Emulator {
  return createEmulator({
    seed: 1,
    shops: ['bench'],
    accessToken: 'shpat_bench',
    plan: 'plus',
    products,
    variantsPerProduct,
    customers,
    orders,
    locations: 3,
    clock: createManualClock(),
    autoDeliver: false,
    onError: (err) => {
      throw err;
    },
  });
}

async function productsPageQps(
  emu: Emulator,
  seconds: number,
): Promise<{ qps: number; cpuQps: number; cost: number }> {
  const token = emu.tokens.list()[0];
  if (!token) throw new Error('bench shop has no access token');
  const call = {
    shop: token.shop,
    token,
    version: '2026-01',
    query: PAGE_QUERY,
    operationName: 'Page',
    costDebug: false,
  };
  let after: string | null = null;
  for (let i = 0; i < 3; i++) await runGraphQL(emu, { ...call, variables: { after: null } });
  let count = 0;
  let requested = 0;
  const end = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  while (performance.now() < end) {
    const outcome = await runGraphQL(emu, { ...call, variables: { after } });
    const body = outcome.response.body as {
      data?: { products: { pageInfo: { hasNextPage: boolean; endCursor: string } } };
      errors?: unknown;
    };
    if (!body.data || body.errors || outcome.throttled)
      throw new Error(`page query failed: ${JSON.stringify(body).slice(0, 400)}`);
    const info = body.data.products.pageInfo;
    after = info.hasNextPage ? info.endCursor : null;
    requested = outcome.cost?.requestedQueryCost ?? 0;
    emu.clock.advance(1000);
    count++;
  }
  const used = process.cpuUsage(cpu);
  return { qps: count / seconds, cpuQps: count / ((used.user + used.system) / 1e6), cost: requested };
}

interface Timed {
  readonly objects: number;
  readonly ms: number;
  /** CPU time of this process (user + system) over the same span. */
  readonly cpuMs: number;
}

async function exportAll(bulk: BulkOperations, caller: BulkCaller, queries: string[]): Promise<Timed> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const ids = queries.map((q) => {
    const run = bulk.runQuery(caller, q);
    if (!run.bulkOperation) throw new Error(`bulk query refused: ${JSON.stringify(run.userErrors)}`);
    return run.bulkOperation.id;
  });
  await bulk.whenIdle();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  let objects = 0;
  for (const id of ids) {
    const view = bulk.get(caller, id);
    if (view?.status !== 'COMPLETED') throw new Error(`bulk export ended ${JSON.stringify(view)}`);
    objects += Number(view.objectCount);
  }
  return { objects, ms, cpuMs };
}

function bulkFor(execute: BulkPageExecutor, dataDir: string): BulkOperations {
  return createBulkOperations({
    clock: createManualClock(),
    dataDir,
    baseUrl: () => 'http://127.0.0.1',
    signingSecret: 'bench',
    execute,
  });
}

function report(label: string, timed: Timed, memory?: MemoryProfile): void {
  const { objects, ms, cpuMs } = timed;
  const rate = objects / (ms / 1000);
  const cpuRate = objects / (cpuMs / 1000);
  const ratio = (r: number): string => `${(r / GOAL_OBJECTS_PER_SECOND).toFixed(2)}× the 50k/s goal`;
  console.log(
    `${label}: ${objects} objects in ${(ms / 1000).toFixed(2)} s wall = ${Math.round(rate)} objects/s (${ratio(rate)})`,
  );
  console.log(
    `  CPU ${(cpuMs / 1000).toFixed(2)} s = ${Math.round(cpuRate)} objects per CPU-second (${ratio(cpuRate)})`,
  );
  if (memory) {
    const growth = memory.peakRss - memory.baselineRss;
    console.log(
      `  RSS before ${mb(memory.baselineRss)}, peak ${mb(memory.peakRss)} (+${mb(growth)}, ${((growth / memory.baselineRss) * 100).toFixed(1)}%), peak heap ${mb(memory.peakHeapUsed)}, ${memory.samples} samples`,
    );
    const retained = memory.retainedHeap === null ? 'n/a (run with --expose-gc)' : mb(memory.retainedHeap);
    console.log(
      `  RSS at 10/50/90% of the run: ${memory.rssAt.map(mb).join(' / ')}; heap retained after GC: ${retained}`,
    );
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'emulator-bench-'));
  const caller: BulkCaller = {
    shop: 'bench.myshopify.com',
    appKey: 'bench',
    scopes: ['read_products', 'read_customers', 'read_orders', 'read_all_orders'],
    version: '2026-01',
  };
  try {
    console.log(
      `load average at the start: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
    const mode = process.env['NODE_ENV'] === 'production' ? 'without' : 'with';
    console.log(
      `NODE_ENV=${process.env['NODE_ENV'] ?? '(unset)'}: graphql-js runs ${mode} its development-mode checks`,
    );
    let t = performance.now();
    const emu = buildShop(10_000, 20_000, 50_000);
    console.log(
      `shop built: 10k products × 3 variants, 20k customers, 50k orders, 3 locations in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const page = await productsPageQps(emu, 5);
    console.log(
      `products page (first: 50, variants(first: 10), requested cost ${page.cost}) through validate→cost→throttle→execute:`,
    );
    console.log(`  ${page.qps.toFixed(1)} queries/s wall, ${page.cpuQps.toFixed(1)} queries per CPU-second`);

    const storeBulk = bulkFor(createStoreBulkExecutor(emu.store), dataDir);
    const exported = await sampleMemory(() =>
      exportAll(storeBulk, caller, [
        '{ products { edges { node { id title handle updatedAt variants { edges { node { id sku price } } } } } } }',
        '{ customers { edges { node { id email firstName lastName updatedAt } } } }',
        '{ orders { edges { node { id name updatedAt lineItems { edges { node { id quantity sku } } } } } } }',
      ]),
    );
    report('bulk export of the 110k shop (real store)', exported.result, exported.memory);

    const millionStore = process.argv.includes('--million-store');
    t = performance.now();
    const millionExecute = millionStore
      ? createStoreBulkExecutor(buildShop(100_000, 0, 0, 9).store)
      : virtualCatalogExecutor(250_000, 3);
    if (millionStore) console.log(`1M-object shop built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const million = await sampleMemory(() =>
      exportAll(
        bulkFor(millionExecute, dataDir),
        { ...caller, shop: millionStore ? caller.shop : 'virtual' },
        [
          '{ products { edges { node { id title updatedAt variants { edges { node { id sku price } } } } } } }',
        ],
      ),
    );
    report(
      `1M-object export (${millionStore ? 'real store' : 'on-demand catalogue, real schema'})`,
      million.result,
      million.memory,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
    emu.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
