/**
 * How a large resource is split into Shopify id ranges for its bulk exports (pure). Shopify offers a
 * bulk result only once the whole operation completed, so an export's file is written after it; the
 * ranges export one after another, each written while the next exports, and end with a small one, so
 * little is left to write when the last export completes (decision 0007, "The paced figure").
 *
 * Range sizes shrink toward the end: the last holds `tail` records, each one before it `1 / ratio` as
 * many, so a range's write (at a rate of at least `pace / ratio`) ends before the next one's export.
 * The first range takes what is left. Bounds are inclusive Shopify ids; the first range has no lower
 * bound and the last no upper one, and each begins one past the end of the one before: every id, and
 * so every record (one created during the import too), falls in exactly one range.
 */

export interface RangePlanOptions {
  /** Records in the last range. */
  tail: number;
  /** Each range's size ÷ the one before it (0 < ratio < 1). */
  ratio: number;
  /** Most ranges for one resource. */
  maxRanges: number;
}

/** `rank` records have an id ≤ `id` (a count Shopify gave, or the span's ends). */
export interface IdSample {
  id: bigint;
  rank: number;
}

export interface IdRange {
  fromId: bigint | null;
  toId: bigint | null;
}

/** The ranks at which ranges end (ascending), the last range's end excluded; [] for one range. */
export function rangeEnds(total: number, o: RangePlanOptions): number[] {
  const ends: number[] = [];
  let size = o.tail;
  let end = total - size;
  // A boundary only where the records before it are more than the next range would hold.
  while (end > size / o.ratio && ends.length < o.maxRanges - 1) {
    ends.unshift(end);
    size /= o.ratio;
    end -= size;
  }
  return ends.map((e) => Math.round(e));
}

/** The id at which `rank` records are reached, interpolating between the samples (sorted by id). */
export function idAtRank(samples: readonly IdSample[], rank: number): bigint {
  const first = samples[0];
  if (!first) throw new Error('no id samples');
  let prev = first;
  for (const next of samples) {
    if (next.rank >= rank) {
      if (next.rank === prev.rank || next.id === prev.id) return next.id;
      const scale = 1_000_000n;
      const part = BigInt(Math.round(((rank - prev.rank) / (next.rank - prev.rank)) * 1_000_000));
      return prev.id + ((next.id - prev.id) * part) / scale;
    }
    prev = next;
  }
  return prev.id;
}

/** `count` ids spread evenly over (min, max), where the counts are taken. */
export function samplePoints(min: bigint, max: bigint, count: number): bigint[] {
  const span = max - min;
  if (span <= 1n) return [];
  const points = new Set<bigint>();
  for (let i = 1; i <= count; i += 1) {
    const id = min + (span * BigInt(i)) / BigInt(count + 1);
    if (id > min && id < max) points.add(id);
  }
  return [...points];
}

/**
 * The ranges for a resource of `total` records, from samples of its id distribution (sorted by id, the
 * first with rank 0 below the smallest id, the last the largest id with rank `total`).
 */
export function planRanges(samples: readonly IdSample[], total: number, o: RangePlanOptions): IdRange[] {
  const ends: bigint[] = [];
  for (const rank of rangeEnds(total, o)) {
    const id = idAtRank(samples, rank);
    if (ends.length === 0 || id > (ends[ends.length - 1] as bigint)) ends.push(id);
  }
  return [...ends, null].map((toId, i) => ({
    fromId: i === 0 ? null : (ends[i - 1] as bigint) + 1n,
    toId,
  }));
}

/** Shopify's search terms for a range (the documented `id:>=` and `id:<=`); '' for the open range. */
export function rangeSearch(r: { fromId: string | null; toId: string | null }): string {
  return [r.fromId === null ? '' : `id:>=${r.fromId}`, r.toId === null ? '' : `id:<=${r.toId}`]
    .filter((t) => t !== '')
    .join(' ');
}
