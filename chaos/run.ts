// npm run chaos -- --seed N --ops M [--seeds K] [--engine pglite|postgres]
// Issue 16's proof: both sides edited at random under faults and kills, then drained and reconciled once;
// prints per seed the records diverged, edits lost and synced changes without a Sync History entry (each
// must be 0) and exits 1 otherwise, listing what differs field by field. To trace a failing seed:
// CHAOS_TRACE=1 prints every op, CHAOS_LOG_DIR=<dir> keeps each Retailos process's output there, CHAOS_KEEP=1
// keeps its database (Postgres) or data folder (PGlite) and prints where.
import { parseArgs } from 'node:util';
import type { Engine } from './processes.ts';
import { describeRepair } from './repairs.ts';
import { runSeed, type SeedResult } from './run-seed.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    ops: { type: 'string', default: '300' },
    seeds: { type: 'string', default: '1' },
    engine: { type: 'string' },
  },
});

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a whole number ≥ 1 (got ${v})\n`);
    process.exit(2);
  }
  return n;
}

const pgServerUrl =
  process.env['CHAOS_DATABASE_URL'] ??
  process.env['TEST_DATABASE_URL'] ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const engine = (values.engine ?? 'pglite') as Engine;
if (engine !== 'pglite' && engine !== 'postgres') {
  process.stderr.write(`--engine must be pglite or postgres (got ${engine})\n`);
  process.exit(2);
}
const first = positive('seed', values.seed);
const ops = positive('ops', values.ops);
const seeds = positive('seeds', values.seeds);

const log = (line: string) =>
  process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function summary(r: SeedResult): string {
  const v = r.verdict;
  const edits = Object.entries(r.stats.ops).reduce((n, [, t]) => n + (t['done'] ?? 0), 0);
  const refused = Object.values(r.stats.ops).reduce(
    (n, t) => n + Object.entries(t).reduce((m, [k, c]) => m + (k.startsWith('refused') ? c : 0), 0),
    0,
  );
  return [
    `seed ${r.seed}: ${r.ops} ops`,
    `${v.divergedRecords} records diverged`,
    `${v.lost.length} edits lost`,
    `${v.unrecorded.length} synced changes without a Sync History entry`,
    `${v.stockOff.length} stock levels off start + Σ deltas`,
    `${edits} edits made (${refused} refused, ${v.superseded} superseded, ${v.ties} same-second ties for Shopify, ${v.unobserved.length} lost to an earlier Shopify edit Retailos was never shown before its own, ${v.keptByShopify} customer deletions Shopify refused for their orders)`,
    `${r.stats.kills.length} kills [${r.stats.kills.join(' ')}]`,
    `${r.stats.faults.length} fault changes`,
    `reconciliation repaired ${JSON.stringify(r.reconciled.repaired)}${r.reconciled.failed ? `, ${r.reconciled.failed} failed` : ''}`,
    `${r.repairs.filter((p) => p.why.startsWith('its last webhook')).length} of ${r.repairs.length} differences explained by a dropped webhook`,
    `${r.openDeadLetters} open dead letters`,
    `exit codes ${JSON.stringify(r.exitCodes)}`,
    `${(r.ms / 1000).toFixed(1)} s`,
  ].join(' · ');
}

function details(r: SeedResult): string[] {
  const v = r.verdict;
  return [
    ...v.diverged
      .slice(0, 200)
      .map(
        (d) =>
          `  diverged ${d.kind} ${d.key} ${d.field}: Shopify ${JSON.stringify(d.shopify)} · Retailos ${JSON.stringify(d.retailos)}`,
      ),
    ...v.lost.map((f) => `  lost (op ${f.n}): ${f.what}`),
    ...v.unobserved.map((f) => `  unobserved order (op ${f.n}): ${f.what}`),
    ...v.unrecorded.map((f) => `  no history (op ${f.n}): ${f.what}`),
    ...v.stockOff.map((f) => `  stock (last delta op ${f.n}): ${f.what}`),
    ...r.deadLetters.map((d) => `  dead letter: ${d}`),
  ];
}

/** Each difference the reconciliation met, and why it was needed (chaos/repairs.ts). */
function repairLines(r: SeedResult): string[] {
  return r.repairs.map((p) => `  repair: ${describeRepair(p)}`);
}

const failed = (r: SeedResult) =>
  r.verdict.divergedRecords +
    r.verdict.lost.length +
    r.verdict.unrecorded.length +
    r.verdict.stockOff.length >
  0;

async function main(): Promise<void> {
  log(`engine ${engine}, seeds ${first}..${first + seeds - 1}, ${ops} ops each`);
  const t0 = Date.now();
  const results: SeedResult[] = [];
  const crashed: number[] = [];
  for (let seed = first; seed < first + seeds; seed += 1) {
    const r = await runSeed({ seed, ops, engine, pgServerUrl, log }).catch((err: unknown) => {
      // A seed that cannot even finish (the sync never settles, a process crashes) fails; the rest still run.
      console.log(`seed ${seed}: FAILED to finish: ${err instanceof Error ? err.message : String(err)}`);
      crashed.push(seed);
      return undefined;
    });
    if (!r) continue;
    results.push(r);
    console.log(summary(r));
    if (failed(r) || r.deadLetters.length > 0 || r.verdict.unobserved.length > 0)
      console.log(details(r).join('\n'));
    if (r.repairs.length > 0) console.log(repairLines(r).join('\n'));
  }
  const sum = (f: (r: SeedResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const bad = [...results.filter(failed).map((r) => r.seed), ...crashed].sort((a, b) => a - b);
  console.log(
    `chaos ${engine}: ${seeds} seeds × ${ops} ops in ${((Date.now() - t0) / 1000).toFixed(1)} s: ` +
      `${sum((r) => r.verdict.divergedRecords)} records diverged, ${sum((r) => r.verdict.lost.length)} edits lost, ` +
      `${sum((r) => r.verdict.unrecorded.length)} synced changes without a history entry, ` +
      `${sum((r) => r.verdict.stockOff.length)} stock levels off` +
      (bad.length > 0 ? ` — FAILED seeds: ${bad.join(', ')}` : ' — OK'),
  );
  process.exitCode = bad.length > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
