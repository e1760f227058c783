// The four measurements of bench:sync (issue 5), each against a running, imported stack.
import {
  calls,
  emuProducts,
  lastCall,
  openLoop,
  pct,
  pooled,
  priceEdit,
  remotePrice,
  samePrice,
  sleep,
  type ApiProduct,
  type EmuCall,
  type EmuProduct,
  type Pair,
} from './sync-load.ts';
import type { Stack } from './sync-stack.ts';

export interface PushFigures {
  samples: number;
  latency: number[];
  apiLatency: number[];
  timeouts: number;
}

/** Waits until Shopify shows `price` for the product's `sku`; returns false on timeout. */
async function untilRemotePrice(s: Stack, p: Pair, price: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const remote = await s.control<EmuProduct>('GET', `/shops/${s.shop}/products/${p.remote.id}`);
    if (samePrice(remotePrice(remote, p.sku), price)) return true;
    await sleep(5);
  }
  return false;
}

/** One price edit at a time through the API, each polled on the emulator (every 5 ms) until there. */
export async function pushLatency(s: Stack, sample: readonly Pair[]): Promise<PushFigures> {
  const f: PushFigures = { samples: sample.length, latency: [], apiLatency: [], timeouts: 0 };
  for (const [i, p] of sample.entries()) {
    const price = (500 + i + 0.11).toFixed(2);
    const t0 = performance.now();
    const res = await s.api('PATCH', `/api/products/${p.local.id}`, priceEdit(p.local, p.sku, price));
    if (res.status !== 200) throw new Error(`PATCH product → ${res.status}: ${JSON.stringify(res.body)}`);
    f.apiLatency.push(performance.now() - t0);
    if (await untilRemotePrice(s, p, price, 30_000)) f.latency.push(performance.now() - t0);
    else f.timeouts += 1;
    await sleep(250);
  }
  return f;
}

/** Waits until no call has been logged for `quietMs`; returns the calls since `since`. */
async function untilQuiet(s: Stack, since: number, quietMs: number): Promise<EmuCall[]> {
  const got: EmuCall[] = [];
  let stableSince = Date.now();
  for (;;) {
    const more = await calls(s, got.at(-1)?.seq ?? since);
    if (more.length > 0) {
      got.push(...more);
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= quietMs) return got;
    await sleep(250);
  }
}

export interface CoalesceFigures {
  edits: number;
  spanMs: number;
  errors: number;
  reached: boolean;
  localAfterEdits: string;
  remoteAtEnd: string;
  localAtEnd: string;
  /** direction/origin/action of each history entry, oldest first. */
  history: string;
  calls: number;
  productCalls: number;
  mutations: number;
  /** The product's calls: kind, root field and time after the first edit. */
  callLog: string;
}

/** 100 price edits of one product within 1 s: one sent every 10 ms (open loop, answers overlap). */
export async function coalescing(s: Stack, p: Pair, edits = 100): Promise<CoalesceFigures> {
  const since = (await lastCall(s, 0))?.seq ?? 0;
  const t0 = performance.now();
  const wall0 = Date.now();
  const load = await openLoop(edits, 100, async (i) => {
    const price = (700 + i + 0.01).toFixed(2);
    const res = await s.api('PATCH', `/api/products/${p.local.id}`, priceEdit(p.local, p.sku, price));
    if (res.status !== 200) throw new Error(`PATCH → ${res.status}`);
  });
  const spanMs = performance.now() - t0;
  // Concurrent answers: the last price is whichever write committed last.
  const local = await s.api<ApiProduct>('GET', `/api/products/${p.local.id}`);
  const price = local.body.variants.find((v) => v.sku === p.sku)?.price ?? '';
  const reached = await untilRemotePrice(s, p, price, 60_000);
  const got = await untilQuiet(s, since, 3000);
  const remote = await s.control<EmuProduct>('GET', `/shops/${s.shop}/products/${p.remote.id}`);
  const end = await s.api<ApiProduct>('GET', `/api/products/${p.local.id}`);
  const { rows } = await s.db.query<{ e: string }>(
    `select direction || '/' || origin || '/' || action || ' ' || coalesce(diff::text, '') as e
       from shopify_sync_history where local_id = $1 and occurred_at > now() - interval '10 minutes' order by id`,
    [p.local.id],
  );
  const mine = got.filter((c) => {
    const v = JSON.stringify(c.variables ?? {});
    return v.includes(p.remote.gid) || v.includes(`/${p.remote.id}"`);
  });
  return {
    edits,
    spanMs,
    errors: load.errors,
    reached,
    localAfterEdits: price,
    remoteAtEnd: remotePrice(remote, p.sku) ?? '?',
    localAtEnd: end.body.variants.find((v) => v.sku === p.sku)?.price ?? '?',
    history: rows.map((r) => r.e.slice(0, 160)).join(' | '),
    calls: got.length,
    productCalls: mine.length,
    mutations: mine.filter((c) => c.operationType === 'mutation').length,
    callLog: mine
      .map(
        (c) =>
          `${c.operationType ?? '?'} ${c.rootFields.join('+')} +${(Date.parse(c.at) - wall0).toFixed(0)} ms`,
      )
      .join(', '),
  };
}

export interface BurstFigures {
  edits: number;
  products: number;
  errors: number;
  editSeconds: number;
  windowSeconds: number;
  calls: number;
  throttled: number;
  mutations: number;
  pointsSpent: number;
  pointsRequested: number;
  pointsAvailable: number;
  mismatched: number;
  /** Mean requested / actual cost of the reads and of the mutations. */
  costs: { readRequested: number; readActual: number; mutationRequested: number; mutationActual: number };
  /** The emulator's own handling time of a call, p50 (ms). */
  callDurationP50: number;
  /** The longest stretch without a call inside the window (s). */
  longestGapSeconds: number;
}

/** Waits until the bucket is full again: 21 s after the last call (100 points/s restore, 2000 max). */
export async function refillBucket(s: Stack): Promise<void> {
  const last = await lastCall(s, 0);
  const idle = last ? Date.now() - Date.parse(last.at) : Infinity;
  if (idle < 21_000) await sleep(21_000 - idle);
}

/**
 * `edits` price edits over the products, round-robin (edit j sets product j mod n), sent through the
 * API with `concurrency` in flight; then waits until Shopify shows every product's last price.
 * Points available over the window = the full bucket + restore rate × window seconds.
 */
export async function burst(
  s: Stack,
  products: readonly Pair[],
  edits: number,
  concurrency: number,
  bucket: { max: number; restore: number },
  timeoutMs: number,
): Promise<BurstFigures> {
  const since = (await lastCall(s, 0))?.seq ?? 0;
  const t0 = Date.now();
  const final = new Map<number, string>();
  const priceOf = (j: number) => (10 + Math.floor(j / products.length) + (j % 97) / 100).toFixed(2);
  for (let j = 0; j < edits; j += 1) final.set(j % products.length, priceOf(j));
  const load = await pooled(edits, concurrency, async (j) => {
    const p = products[j % products.length] as Pair;
    const res = await s.api('PATCH', `/api/products/${p.local.id}`, priceEdit(p.local, p.sku, priceOf(j)));
    if (res.status !== 200) throw new Error(`PATCH → ${res.status}`);
  });
  const editSeconds = (Date.now() - t0) / 1000;
  const deadline = Date.now() + timeoutMs;
  let mismatched = final.size;
  while (Date.now() < deadline) {
    const remote = new Map((await emuProducts(s)).map((r) => [r.id, r]));
    mismatched = 0;
    for (const [k, price] of final) {
      const p = products[k] as Pair;
      const r = remote.get(p.remote.id);
      if (!r || !samePrice(remotePrice(r, p.sku), price)) mismatched += 1;
    }
    if (mismatched === 0) break;
    await sleep(2000);
  }
  const got = await untilQuiet(s, since, 3000);
  const end = got.length ? Date.parse(got.at(-1)?.at as string) : Date.now();
  const windowSeconds = (end - t0) / 1000;
  const ok = got.filter((c) => !c.throttled);
  const mean = (xs: EmuCall[], f: (c: EmuCall) => number | null) =>
    xs.length ? xs.reduce((a, c) => a + (f(c) ?? 0), 0) / xs.length : NaN;
  const reads = ok.filter((c) => c.operationType === 'query');
  const writes = ok.filter((c) => c.operationType === 'mutation');
  let gap = 0;
  for (let i = 1; i < got.length; i += 1)
    gap = Math.max(gap, Date.parse((got[i] as EmuCall).at) - Date.parse((got[i - 1] as EmuCall).at));
  return {
    costs: {
      readRequested: mean(reads, (c) => c.requestedCost),
      readActual: mean(reads, (c) => c.actualCost),
      mutationRequested: mean(writes, (c) => c.requestedCost),
      mutationActual: mean(writes, (c) => c.actualCost),
    },
    callDurationP50: pct(
      got.map((c) => c.durationMs),
      50,
    ),
    longestGapSeconds: gap / 1000,
    edits,
    products: final.size,
    errors: load.errors,
    editSeconds,
    windowSeconds,
    calls: got.length,
    throttled: got.length - ok.length,
    mutations: got.filter((c) => c.operationType === 'mutation').length,
    pointsSpent: ok.reduce((a, c) => a + (c.actualCost ?? 0), 0),
    pointsRequested: got.reduce((a, c) => a + (c.requestedCost ?? 0), 0),
    pointsAvailable: bucket.max + bucket.restore * windowSeconds,
    mismatched,
  };
}
