// Issue 16's proof, short: `npm run chaos` (chaos/) for 2 seeds × 40 ops on the test's engine — embedded
// PGlite with the single `retailos start`, or, with TEST_DATABASE_URL, a Postgres server with `retailos
// serve` and two `retailos worker`s. Both sides are edited at random under the emulator's faults, a
// Retailos process is SIGKILLed and started again, then faults off, drain, one reconciliation, and both
// sides compared field by field: no record diverged, no edit lost, no stock level off start + Σ deltas,
// and every synced change has its Sync History entry. The long run (100 seeds × 2,000 ops) prints figures.
import { describe, expect, it } from 'vitest';
import { runSeed } from './run-seed.ts';

const engine = process.env['TEST_DATABASE_URL'] ? 'postgres' : 'pglite';
const OPS = 40;

describe(`chaos run on ${engine}: both sides edited at random under faults and kills`, () => {
  for (const seed of [11, 12]) {
    it(
      `seed ${seed}: the two sides converge, nothing lost, every synced change in Sync History`,
      { timeout: 600_000 },
      async () => {
        const r = await runSeed({
          seed,
          ops: OPS,
          engine,
          pgServerUrl: process.env['TEST_DATABASE_URL'] ?? '',
          log: () => {},
          planned: new Map([
            [8, 'fault'],
            [16, 'kill'],
            [24, 'fault'],
          ]),
        });
        const made = Object.values(r.stats.ops).reduce((n, t) => n + (t['done'] ?? 0), 0);
        expect(made, 'edits made on both sides').toBeGreaterThan(OPS / 2);
        expect(r.stats.kills.length, 'a Retailos process was killed').toBeGreaterThan(0);
        expect(r.verdict.diverged).toEqual([]);
        expect(r.verdict.lost).toEqual([]);
        expect(r.verdict.stockOff).toEqual([]);
        expect(r.verdict.unrecorded).toEqual([]);
        expect(r.openDeadLetters).toBe(0);
        expect(
          Object.values(r.exitCodes).every((c) => c === 0),
          JSON.stringify(r.exitCodes),
        ).toBe(true);
      },
    );
  }
});
