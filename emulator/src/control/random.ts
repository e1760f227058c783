import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../store/prng.ts';

/** Randomness passed in, so faults and ids can be reproduced from a seed. */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string;
}

/** A seeded PRNG (the store's mulberry32): the same seed gives the same sequence. */
export function createSeededRandom(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    hex(bytes) {
      let out = '';
      for (let i = 0; i < bytes; i++)
        out += Math.floor(next() * 256)
          .toString(16)
          .padStart(2, '0');
      return out;
    },
  };
}

/** Cryptographic randomness for secrets (tokens, codes) that must not be guessable. */
export function createCryptoRandom(): Random {
  return {
    next: () => randomBytes(4).readUInt32BE(0) / 4294967296,
    hex: (bytes) => randomBytes(bytes).toString('hex'),
  };
}

/** A v4-shaped UUID drawn from `random`. */
export function uuidFrom(random: Random): string {
  const h = random.hex(16).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
