// npm run bench:sync — issue 5's sync goals, measured against `retailos start` (a real process on a
// fresh Postgres database) and a Shopify emulator it is connected to over HTTP. Load comes from this
// process, never the server's. Knobs: BENCH_SECONDS (60), BENCH_RATE (200 webhooks/s),
// BENCH_PRODUCTS (1000), BENCH_EDITS (10000), BENCH_PUSH_SAMPLES (20), BENCH_CONCURRENCY (8 burst
// edits in flight), BENCH_CPU_PROF (a folder: the server writes a .cpuprofile there on exit),
// BENCH_ONLY (comma list of webhooks,push,coalesce,burst), BENCH_WEBHOOK_CONCURRENCY (32: deliveries the
// emulator keeps in flight).
import { loadavg } from 'node:os';
import * as phases from './sync-phases.ts';
import * as hooks from './sync-webhooks.ts';
import { pairs, pct } from './sync-load.ts';
import { startStack } from './sync-stack.ts';
import { scrape, webhookServerView, type ServerView } from './server-metrics.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SECONDS = num('BENCH_SECONDS', 60);
const RATE = num('BENCH_RATE', 200);
const PRODUCTS = num('BENCH_PRODUCTS', 1000);
const EDITS = num('BENCH_EDITS', 10_000);
const PUSH_SAMPLES = num('BENCH_PUSH_SAMPLES', 20);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
// Shopify sends a busy shop's webhooks many at a time; the emulator's default is 8.
const WEBHOOK_CONCURRENCY = num('BENCH_WEBHOOK_CONCURRENCY', 32);
const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ONLY = new Set((process.env['BENCH_ONLY'] ?? 'webhooks,push,coalesce,burst').split(','));
const BUCKET = { max: 2000, restore: 100 }; // the emulator's standard plan

interface Row {
  figure: string;
  value: string;
  goal: string;
  pass?: boolean;
}
const rows: Row[] = [];
/** Printed after the table (too long for a cell). */
const notes: string[] = [];
const ms = (n: number) => `${Number.isFinite(n) ? n.toFixed(1) : 'n/a'} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const log = (msg: string) =>
  console.error(`[bench:sync ${new Date().toISOString()}] ${msg} (load ${load()})`);

function add(figure: string, value: string, goal = '', pass?: boolean): void {
  rows.push(pass === undefined ? { figure, value, goal } : { figure, value, goal, pass });
}

function print(): void {
  const w = [0, 0, 0];
  for (const r of rows) [r.figure, r.value, r.goal].forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c.length)));
  const line = (a: string, b: string, c: string, d: string) =>
    `${a.padEnd(w[0] ?? 0)}  ${b.padStart(w[1] ?? 0)}  ${c.padEnd(w[2] ?? 0)}  ${d}`;
  console.log(line('figure', 'value', 'goal', ''));
  for (const r of rows)
    console.log(line(r.figure, r.value, r.goal, r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS'));
  for (const n of notes) console.log(`\n${n}`);
}

function webhookRows(how: string, w: hooks.WebhookFigures, ackIs: string, server: ServerView): void {
  const p = (xs: number[]) => `${ms(pct(xs, 50))} / ${ms(pct(xs, 99))}`;
  add(`Shopify → Retailos, ${how}`, `${w.sent} at ${w.achievedRate.toFixed(1)}/s`);
  add('  send errors / failed deliveries', `${w.sendErrors} / ${w.failedAttempts}`);
  add(
    '  deliveries / applied / not applied',
    `${w.deliveries} / ${w.applied} / ${w.notApplied}`,
    'all applied',
    w.applied === w.deliveries,
  );
  add(`  webhook ack p50 (${ackIs})`, ms(pct(w.ack, 50)));
  add('  webhook ack p99', ms(pct(w.ack, 99)), '≤ 50 ms', pct(w.ack, 99) <= 50);
  add('    of which inside Retailos (Fastify) p50 / p99', `${ms(server.routeP50)} / ${ms(server.routeP99)}`);
  add('    Retailos event-loop delay p99 / max', `${ms(server.loopP99)} / ${ms(server.loopMax)}`);
  add('  visible p50 (edit sent → applied)', ms(pct(w.visible, 50)), '≤ 100 ms', pct(w.visible, 50) <= 100);
  add('  visible p99', ms(pct(w.visible, 99)), '≤ 500 ms', pct(w.visible, 99) <= 500);
  add('  triggered → received p50 / p99 (queued at sender)', p(w.emulatorWait));
  if (w.senderQueue.length > 0)
    add('    of which triggered → first attempt started p50 / p99', p(w.senderQueue));
  add('  received → applied p50 / p99 (Retailos)', p(w.receivedToApplied));
  add('  apply rate sustained (applied ÷ first received → last applied)', `${w.applyRate.toFixed(1)}/s`);
  add('  load average after', load());
}

log(`starting: ${PRODUCTS} products, standard plan`);
const stack = await startStack({
  pgServerUrl: PG_URL,
  shop: 'bench-sync.myshopify.com',
  products: PRODUCTS,
  plan: 'standard',
  cpuProfDir: process.env['BENCH_CPU_PROF'],
  webhookConcurrency: WEBHOOK_CONCURRENCY,
});
try {
  const matched = await pairs(stack);
  log(`imported and syncing: ${matched.length} products paired by SKU`);
  if (matched.length < 2) throw new Error('too few imported products to measure');

  if (ONLY.has('webhooks')) {
    log(`webhooks through the emulator: ${RATE} merchant edits/s for ${SECONDS} s`);
    const remote = matched.map((p) => p.remote);
    const s0 = await scrape(stack.retailosUrl);
    const e = await hooks.throughEmulator(stack, remote, RATE, SECONDS);
    const s1 = await scrape(stack.retailosUrl);
    webhookRows(
      `emulator delivers (${WEBHOOK_CONCURRENCY} at once)`,
      e.figures,
      'the emulator-measured delivery time',
      webhookServerView(s0, s1),
    );
    log(`webhooks direct: ${RATE} signed deliveries/s for ${SECONDS} s from the bench`);
    const d = await hooks.direct(stack, [...e.payloads.values()], RATE, SECONDS);
    const s2 = await scrape(stack.retailosUrl);
    webhookRows(
      'bench delivers (concurrently, up to 64 connections)',
      d,
      'the POST round trip',
      webhookServerView(s1, s2),
    );
  }

  let next = 0;
  const take = (n: number) => matched.slice(next, (next += n));
  if (ONLY.has('push')) {
    log(`push: ${PUSH_SAMPLES} single edits, budget available`);
    const p = await phases.pushLatency(stack, take(PUSH_SAMPLES));
    add(
      'Retailos → Shopify p50 (PATCH → visible on emulator)',
      ms(pct(p.latency, 50)),
      '≤ 500 ms',
      pct(p.latency, 50) <= 500,
    );
    add(
      '  p99 / max / timeouts',
      `${ms(pct(p.latency, 99))} / ${ms(Math.max(...p.latency))} / ${p.timeouts}`,
    );
    add('  PATCH /api/products answer p50', ms(pct(p.apiLatency, 50)));
  }

  if (ONLY.has('coalesce')) {
    log('coalesce: 100 edits of one product within 1 s');
    const c = await phases.coalescing(stack, take(1)[0] ?? (matched[0] as never));
    add('100 edits of one product → Shopify calls', String(c.productCalls), '≤ 2', c.productCalls <= 2);
    add('  of which mutations / all calls in window', `${c.mutations} / ${c.calls}`);
    notes.push(`the coalesced product's Shopify calls: ${c.callLog}`);
    add('  edits span / errors', `${c.spanMs.toFixed(0)} ms / ${c.errors}`);
    add(
      '  price after the edits: local → Shopify',
      `${c.localAfterEdits} → ${c.remoteAtEnd}`,
      'same',
      c.reached,
    );
    add('  local price at the end', c.localAtEnd, c.localAfterEdits, c.localAtEnd === c.localAfterEdits);
    notes.push(
      `sync history of the coalesced product, oldest first:\n  ${c.history.split(' | ').join('\n  ')}`,
    );
  }

  if (ONLY.has('burst')) {
    const products = matched.slice(0, Math.min(PRODUCTS, matched.length));
    log('burst: waiting for a full bucket');
    await phases.refillBucket(stack);
    log(`burst: ${EDITS} price edits over ${products.length} products, ${CONCURRENCY} in flight`);
    const b = await phases.burst(stack, products, EDITS, CONCURRENCY, BUCKET, 30 * 60_000);
    const util = b.pointsSpent / b.pointsAvailable;
    const share = b.calls ? b.throttled / b.calls : 0;
    add(
      `burst: ${b.edits} edits over ${b.products} products`,
      `${b.editSeconds.toFixed(1)} s to send, ${b.errors} errors`,
    );
    add('  window (first edit → last call)', `${b.windowSeconds.toFixed(1)} s`);
    add(
      '  points spent / available',
      `${b.pointsSpent} / ${b.pointsAvailable.toFixed(0)} (requested ${b.pointsRequested})`,
    );
    add('  cost-budget utilisation', util.toFixed(3), '≥ 0.9', util >= 0.9);
    add(
      '  THROTTLED share of calls',
      `${(share * 100).toFixed(2)} % (${b.throttled})`,
      '≤ 1 %',
      share <= 0.01,
    );
    add('  total calls (mutations)', `${b.calls} (${b.mutations})`);
    const c = b.costs;
    add(
      '  mean cost requested/actual: read, productSet',
      `${c.readRequested.toFixed(0)}/${c.readActual.toFixed(1)}, ${c.mutationRequested.toFixed(0)}/${c.mutationActual.toFixed(1)}`,
    );
    add(
      '  calls/s over the window; longest gap',
      `${(b.calls / b.windowSeconds).toFixed(2)}; ${b.longestGapSeconds.toFixed(1)} s`,
    );
    add('  emulator time per call p50', ms(b.callDurationP50));
    add('  products not at their last price', String(b.mismatched), '0', b.mismatched === 0);
  }
  add('load average (1, 5, 15 min) at the end', load());
  print();
} finally {
  await stack.stop();
}
