import { v7 } from 'uuid';

/** A v4 UUID from 16 random bytes (randomness is passed in). */
export function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Makes a time-ordered id from the time now (ms) and 16 random bytes. */
export type TimeOrderedIds = (nowMs: number, random: Buffer) => string;

/**
 * A generator of UUIDv7 ids (RFC 9562: 48-bit Unix milliseconds first, version 7, variant 10, the
 * rest a 32-bit counter then random bits; the layout is the `uuid` package's `v7`). Time and
 * randomness are passed in (the caller's clock and `randomBytes`), and the counter is kept here as
 * RFC 9562's "fixed-length dedicated counter" (method 1): a new millisecond starts it at a random
 * 31-bit value, the same millisecond (or a clock that went back) adds one, and an overflow moves to
 * the next millisecond. So each id sorts after the one before it from the same generator, even when
 * the clock stands still or goes back: B-tree indexes on these ids take their inserts at the right
 * edge (decision 0007, item 4).
 */
export function timeOrderedIds(
  /** Where the counter stands (tests); a new generator starts at the first time it is given. */
  start: { msecs: number; seq: number } = { msecs: -Infinity, seq: 0 },
): TimeOrderedIds {
  let { msecs, seq } = start;
  return (nowMs, random) => {
    if (random.length < 16) throw new Error('a time-ordered id needs 16 random bytes');
    if (nowMs > msecs) {
      msecs = nowMs;
      seq = random.readUInt32BE(6) & 0x7fffffff;
    } else {
      seq = (seq + 1) | 0;
      if (seq === 0) msecs += 1;
    }
    return v7({ msecs, seq, random: new Uint8Array(random.buffer, random.byteOffset, 16) });
  };
}

/**
 * The process's generator of time-ordered ids (one counter for every import in this process, so ids
 * stay in order across batches and tenants).
 */
export const timeOrderedId: TimeOrderedIds = timeOrderedIds();

/**
 * Random bytes drawn from `source` a block at a time and handed out in order, each slice once: a
 * batch's ids then cost one call to the source per block instead of one per id (`randomBytes(16)` for
 * each of the import's ids was about 7 % of its JavaScript's CPU). A request larger than a block goes
 * to the source directly.
 */
export function pooledRandom(source: (n: number) => Buffer, block = 4096): (n: number) => Buffer {
  let pool: Buffer = Buffer.alloc(0);
  let at = 0;
  return (n) => {
    if (n > block) return source(n);
    if (at + n > pool.length) {
      pool = source(block);
      at = 0;
      if (pool.length < n) throw new Error(`the random source gave ${pool.length} bytes for ${block}`);
    }
    const slice = pool.subarray(at, at + n);
    at += n;
    return slice;
  };
}
