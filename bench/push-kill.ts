// npm run bench:push-kill — issue 16 ("nothing stuck"): how late a push reaches Shopify when the worker
// running it is killed (SIGKILL) mid-push and started again. Runs `retailos start` (the product as
// shipped) on a fresh Postgres database against the emulator. Each round: the emulator holds every
// Admin API answer (latencyMs), a product title is edited, the worker is killed while its push waits
// for Shopify's read, the hold is lifted and the worker started again; the figure is the time from the
// kill to the new title on the emulator. Two cases:
//   quiet     the edited product alone;
//   pressure  BENCH_BURST other products edited with it, and after the restart the emulator answers
//             a share of calls THROTTLED (throttleRate BENCH_THROTTLE_RATE): pushes wait for the budget.
// Knobs: BENCH_ROUNDS (5 per case), BENCH_BURST (40), BENCH_THROTTLE_RATE (0.5), BENCH_HOLD_MS (6000),
// BENCH_ONLY (quiet,pressure), BENCH_DATABASE_URL.
import { setTimeout as delay } from 'node:timers/promises';
import { imported, startKillStore } from '../test-support/kill-store.ts';
import { Browser, startRetailos, type RetailosProcess } from '../test-support/retailos-process.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROUNDS = num('BENCH_ROUNDS', 5);
const BURST = num('BENCH_BURST', 40);
const THROTTLE_RATE = num('BENCH_THROTTLE_RATE', 0.5);
const HOLD_MS = num('BENCH_HOLD_MS', 6000);
const ONLY = new Set((process.env['BENCH_ONLY'] ?? 'quiet,pressure').split(','));
const SHOP = 'push-kill.myshopify.com';
process.env['TEST_DATABASE_URL'] =
  process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const log = (msg: string) => console.error(`[bench:push-kill ${new Date().toISOString()}] ${msg}`);

interface ApiProduct {
  id: string;
  title: string;
}
interface EmuProduct {
  title: string;
}

const store = await startKillStore(SHOP, [
  ...['--seed', '16', '--products', String(BURST + 1), '--customers', '0', '--orders', '0'],
  ...['--locations', '1'],
]);
let running: RetailosProcess | undefined;

async function shopifyTitles(): Promise<Set<string>> {
  const { products } = await store.emu.control<{ products: EmuProduct[] }>(
    'GET',
    `/shops/${SHOP}/products?limit=1000`,
  );
  return new Set(products.map((p) => p.title));
}

/** Ms from `since` until every title is on Shopify (polled every 25 ms), or NaN after 120 s. */
async function landed(titles: readonly string[], since: number): Promise<number> {
  const at = new Map<string, number>();
  while (Date.now() - since < 120_000) {
    const on = await shopifyTitles();
    for (const t of titles) if (!at.has(t) && on.has(t)) at.set(t, Date.now() - since);
    if (at.size === titles.length) return Math.max(...at.values());
    await delay(25);
  }
  return NaN;
}

interface Round {
  target: number;
  all: number;
  restart: number;
}

async function round(b: Browser, products: ApiProduct[], n: number, pressure: boolean): Promise<Round> {
  const edits = (pressure ? products : products.slice(0, 1)).map((p, i) => ({
    id: p.id,
    title: `${pressure ? 'pressure' : 'quiet'} round ${n} #${i}`,
  }));
  await store.emu.control('POST', '/faults', { latencyMs: HOLD_MS });
  await Promise.all(
    edits.map(async (e) => {
      const res = await b.api('PATCH', `/api/products/${e.id}`, { title: e.title });
      if (res.status !== 200) throw new Error(`edit answered ${res.status}`);
    }),
  );
  // The relay and the push's quiet wait take well under a second; its read is then held by the emulator.
  await delay(1000);
  const killedAt = Date.now();
  await running?.kill();
  await store.emu.control(
    'POST',
    '/faults',
    pressure
      ? { latencyMs: 0, throttleRate: THROTTLE_RATE }
      : {
          latencyMs: 0,
        },
  );
  const before = await shopifyTitles();
  if (edits.some((e) => before.has(e.title))) throw new Error('a push landed before the kill: no measure');
  running = await startRetailos(store.setup);
  const restart = Date.now() - killedAt;
  const [target, all] = await Promise.all([
    landed([edits[0]?.title as string], killedAt),
    landed(
      edits.map((e) => e.title),
      killedAt,
    ),
  ]);
  await store.emu.control('DELETE', '/faults');
  return { target, all, restart };
}

/** Median, min and max of the rounds; a round whose edits did not all land within 120 s shows as ">120". */
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const sec = (x: number | undefined) =>
    x === undefined || Number.isNaN(x) ? '>120' : (x / 1000).toFixed(1);
  return `median ${sec(s[Math.floor(s.length / 2)])} s, min ${sec(s[0])} s, max ${sec(s.at(-1))} s  [${s.map(sec).join(' ')}]`;
};

try {
  running = await startRetailos(store.setup);
  const b = new Browser(running.url);
  await b.login();
  await b.connect(SHOP);
  await imported(b);
  const products = (await b.api<{ items: ApiProduct[] }>('GET', `/api/products?limit=${BURST + 1}`)).json
    .items;
  for (const pressure of [false, true]) {
    if (!ONLY.has(pressure ? 'pressure' : 'quiet')) continue;
    const rounds: Round[] = [];
    for (let n = 0; n < ROUNDS; n++) {
      const browser = new Browser((running as RetailosProcess).url);
      await browser.login();
      const r = await round(browser, products, n, pressure);
      log(`${pressure ? 'pressure' : 'quiet'} round ${n}: ${JSON.stringify(r)}`);
      rounds.push(r);
    }
    const name = pressure ? `pressure (${BURST + 1} edits, throttleRate ${THROTTLE_RATE})` : 'quiet (1 edit)';
    console.log(`${name}`);
    console.log(`  kill → restarted (ready)       ${fmt(rounds.map((r) => r.restart))}`);
    console.log(`  kill → edited product on Shopify ${fmt(rounds.map((r) => r.target))}`);
    if (pressure) console.log(`  kill → every edit on Shopify    ${fmt(rounds.map((r) => r.all))}`);
  }
} finally {
  await store.close(running);
}
