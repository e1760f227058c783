import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  idAtRank,
  planRanges,
  rangeEnds,
  rangeSearch,
  samplePoints,
  type IdRange,
  type IdSample,
} from './range-plan.ts';

const OPTS = { tail: 500, ratio: 0.7, maxRanges: 16 };

/** Which ranges hold `id` (by their inclusive bounds; null is open). */
const holders = (ranges: readonly IdRange[], id: bigint) =>
  ranges.filter((r) => (r.fromId === null || id >= r.fromId) && (r.toId === null || id <= r.toId));

/** Samples of a store whose ids are exactly `ids` (sorted, distinct), counted at `points`. */
function samplesOf(ids: readonly bigint[], points: readonly bigint[]): IdSample[] {
  const min = ids[0] as bigint;
  const max = ids[ids.length - 1] as bigint;
  const rank = (x: bigint) => ids.filter((id) => id <= x).length;
  return [
    { id: min - 1n, rank: 0 },
    ...points.map((id) => ({ id, rank: rank(id) })),
    { id: max, rank: ids.length },
  ];
}

describe('rangeEnds', () => {
  it('ends with a range of `tail` records, each before it larger by 1 / ratio, the first taking the rest', () => {
    const ends = rangeEnds(50_000, OPTS);
    const sizes = [...ends, 50_000].map((e, i) => e - (i === 0 ? 0 : (ends[i - 1] as number)));
    expect(sizes.at(-1)).toBe(500);
    expect(sizes.at(-2)).toBe(714);
    for (let i = 1; i < sizes.length - 1; i += 1)
      expect(sizes[i] as number).toBeGreaterThan(sizes[i + 1] as number);
    expect(sizes[0] as number).toBeGreaterThan((sizes[1] as number) * 0.7);
    expect(sizes.length).toBe(10);
  });

  it('keeps a small resource in one range, and never makes more than maxRanges', () => {
    expect(rangeEnds(1000, OPTS)).toEqual([]);
    expect(rangeEnds(10_000_000, OPTS).length).toBe(15);
  });
});

describe('planRanges', () => {
  it('covers every id exactly once, whatever the ids, samples and options (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.1, max: 0.95, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n }), { maxLength: 20 }),
        (raw, sampleCount, tail, ratio, maxRanges, probes) => {
          const ids = [...raw].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const min = ids[0] as bigint;
          const max = ids[ids.length - 1] as bigint;
          const ranges = planRanges(samplesOf(ids, samplePoints(min, max, sampleCount)), ids.length, {
            tail,
            ratio,
            maxRanges,
          });
          expect(ranges.length).toBeLessThanOrEqual(maxRanges);
          expect(ranges[0]?.fromId).toBeNull();
          expect(ranges.at(-1)?.toId).toBeNull();
          ranges.forEach((r, i) => {
            if (r.fromId !== null && r.toId !== null) expect(r.fromId <= r.toId).toBe(true);
            if (i > 0) expect(r.fromId).toBe((ranges[i - 1]?.toId as bigint) + 1n);
          });
          for (const id of [...ids, ...probes, 0n, max + 1n]) expect(holders(ranges, id).length).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on evenly spread ids, gives ranges the sizes rangeEnds asks for', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => 1_000n + BigInt(i) * 3n);
    const ranges = planRanges(
      samplesOf(ids, samplePoints(ids[0] as bigint, ids.at(-1) as bigint, 16)),
      ids.length,
      OPTS,
    );
    const sizes = ranges.map((r) => ids.filter((id) => holders([r], id).length === 1).length);
    const ends = rangeEnds(ids.length, OPTS);
    const want = [...ends, ids.length].map((e, i) => e - (i === 0 ? 0 : (ends[i - 1] as number)));
    sizes.forEach((n, i) => expect(Math.abs(n - (want[i] as number))).toBeLessThanOrEqual(1));
  });
});

describe('idAtRank and rangeSearch', () => {
  it('interpolates between samples, with 64-bit ids exact', () => {
    const base = 2n ** 53n;
    const samples = [
      { id: base, rank: 0 },
      { id: base + 1000n, rank: 100 },
    ];
    expect(idAtRank(samples, 50)).toBe(base + 500n);
    expect(idAtRank(samples, 100)).toBe(base + 1000n);
  });

  it("writes Shopify's documented id comparators, an open bound as none", () => {
    expect(rangeSearch({ fromId: null, toId: '9007199254740993' })).toBe('id:<=9007199254740993');
    expect(rangeSearch({ fromId: '10', toId: '20' })).toBe('id:>=10 id:<=20');
    expect(rangeSearch({ fromId: '21', toId: null })).toBe('id:>=21');
    expect(rangeSearch({ fromId: null, toId: null })).toBe('');
  });
});
