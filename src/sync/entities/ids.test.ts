import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pooledRandom, timeOrderedIds, uuidFrom } from './ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The 48-bit milliseconds an id starts with. */
const msOf = (id: string): number => parseInt(id.replaceAll('-', '').slice(0, 12), 16);
/** The 32-bit counter after the version and around the variant bits (RFC 9562 method 1, `uuid`'s layout). */
function counterOf(id: string): number {
  const b = Buffer.from(id.replaceAll('-', ''), 'hex');
  const at = (i: number): number => b.readUInt8(i);
  return (
    (at(6) & 0x0f) * 2 ** 28 + at(7) * 2 ** 20 + (at(8) & 0x3f) * 2 ** 14 + at(9) * 2 ** 6 + (at(10) >> 2)
  );
}

describe('time-ordered ids (UUIDv7)', () => {
  it('start with the milliseconds given, carry version 7 and variant 10, and keep the random tail', () => {
    const at = Date.UTC(2026, 11, 6, 18, 30, 0, 123);
    const random = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const id = timeOrderedIds()(at, random);
    expect(id).toMatch(UUID_V7);
    expect(msOf(id)).toBe(at);
    // The last 5 bytes are the random bytes' (the counter takes rand_a and the first bits of rand_b).
    expect(id.slice(-10)).toBe('bbccddeeff');
  });

  it('sort in the order they were made, whatever the clock does (still, forward, back), and never repeat', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 300, maxLength: 300 }),
        (steps, randoms) => {
          const next = timeOrderedIds();
          let now = Date.UTC(2026, 0, 1);
          const ids = steps.map((step, i) => {
            now += step;
            return next(now, Buffer.from(randoms[i] as Uint8Array));
          });
          for (const id of ids) expect(id).toMatch(UUID_V7);
          expect([...ids].sort()).toEqual(ids);
          expect(new Set(ids).size).toBe(ids.length);
          // The time prefix never goes back, and never runs ahead of the latest time given (no overflow here).
          const prefixes = ids.map(msOf);
          expect([...prefixes].sort((a, b) => a - b)).toEqual(prefixes);
          const times = steps.map(
            (_, i) => Date.UTC(2026, 0, 1) + steps.slice(0, i + 1).reduce((a, b) => a + b),
          );
          expect(Math.max(...prefixes)).toBeLessThanOrEqual(Math.max(...times));
        },
      ),
    );
  });

  it('a counter that overflows within one millisecond moves the time prefix on by one, still in order', () => {
    const at = Date.UTC(2026, 0, 1);
    const random = randomBytes(16);
    const before = timeOrderedIds({ msecs: at - 1, seq: 0 })(at - 1, random); // counter → 1
    const full = timeOrderedIds({ msecs: at, seq: 0xfffffffe | 0 })(at, random); // counter → 2^32 − 1
    const wrapped = timeOrderedIds({ msecs: at, seq: 0xffffffff | 0 })(at, random); // counter → 0, time + 1
    expect(msOf(full)).toBe(at);
    expect(msOf(wrapped)).toBe(at + 1);
    expect([before, full, wrapped].map(counterOf)).toEqual([1, 0xffffffff, 0]);
    expect([wrapped, full, before].sort()).toEqual([before, full, wrapped]);
  });

  it('refuse fewer than 16 random bytes', () => {
    expect(() => timeOrderedIds()(Date.now(), Buffer.alloc(8))).toThrow(/16 random bytes/);
  });
});

describe('random ids (v4)', () => {
  it('carry version 4 and variant 10', () => {
    expect(uuidFrom(Buffer.alloc(16, 0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
  });
});

describe('pooled random bytes', () => {
  it("hand out the source's bytes in order, each once, one source call per block", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 60 }),
        (block, sizes) => {
          let next = 0;
          const calls: number[] = [];
          const source = (n: number) => {
            calls.push(n);
            return Buffer.from(Array.from({ length: n }, () => next++ % 256));
          };
          const random = pooledRandom(source, block);
          const slices = sizes.map((n) => Buffer.from(random(n)));
          // The model: where in the source's stream each slice starts (a request that does not fit
          // what is left of the block skips the rest and takes a new block).
          let stream = 0;
          let left = 0;
          let at = 0;
          let expected = 0;
          sizes.forEach((n, i) => {
            let from: number;
            if (n > block) {
              from = stream;
              stream += n;
              expected += 1;
            } else {
              if (n > left) {
                at = stream;
                stream += block;
                left = block;
                expected += 1;
              }
              from = at + (block - left);
              left -= n;
            }
            const want = Array.from({ length: n }, (_, k) => (from + k) % 256);
            expect([...(slices[i] ?? [])]).toEqual(want);
          });
          expect(calls.length).toBe(expected);
        },
      ),
    );
  });

  it('never hand out a byte twice: slices do not overlap in the pool', () => {
    const random = pooledRandom((n) => Buffer.alloc(n), 64);
    const slices = Array.from({ length: 20 }, () => random(16));
    slices.forEach((s, i) => s.fill(i + 1));
    slices.forEach((s, i) => expect([...s]).toEqual(Array(16).fill(i + 1)));
  });

  it('make unique, ordered time-ordered ids from pooled bytes', () => {
    const random = pooledRandom(randomBytes);
    const ids = timeOrderedIds();
    const made = Array.from({ length: 5_000 }, () => ids(1_700_000_000_000, random(16)));
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });

  it('refuse a source that gives fewer bytes than asked', () => {
    expect(() => pooledRandom(() => Buffer.alloc(8), 4096)(16)).toThrow(/gave 8 bytes/);
  });
});
