import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GidSet, PairSet } from './seen-set.ts';

const gid = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }).map((n) => `gid://shopify/Order/${n}`),
  fc.bigInt({ min: 1n, max: 10n ** 15n - 1n }).map((n) => `gid://shopify/DraftOrder/${n}`),
  fc.bigInt({ min: 0n, max: 10n ** 18n }).map((n) => `gid://shopify/Order/${n}`),
  fc.string().map((s) => `gid://shopify/Order/${s}`),
  fc.string(),
);

describe('GidSet', () => {
  it('holds exactly the GIDs added, whatever their type or shape (as a Set of strings does)', () => {
    fc.assert(
      fc.property(fc.array(gid), fc.array(gid), (added, asked) => {
        const set = new GidSet();
        const plain = new Set<string>();
        for (const g of added) {
          set.add(g);
          plain.add(g);
        }
        for (const g of [...added, ...asked]) expect(set.has(g)).toBe(plain.has(g));
        expect(set.size).toBe(plain.size);
      }),
    );
  });

  it('keeps a number for a GID of its first type, the GID itself otherwise', () => {
    const set = new GidSet();
    set.add('gid://shopify/Order/12');
    expect(set.has('gid://shopify/DraftOrder/12')).toBe(false);
    expect(set.has('gid://shopify/Order/012')).toBe(false);
    expect(set.has('gid://shopify/Order/12')).toBe(true);
  });
});

describe('PairSet', () => {
  it('holds exactly the pairs added', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(gid, gid)), fc.array(fc.tuple(gid, gid)), (added, asked) => {
        const set = new PairSet();
        const plain = new Set<string>();
        for (const [i, l] of added) {
          set.add(i, l);
          plain.add(JSON.stringify([i, l]));
        }
        for (const [i, l] of [...added, ...asked])
          expect(set.has(i, l)).toBe(plain.has(JSON.stringify([i, l])));
      }),
    );
  });
});
