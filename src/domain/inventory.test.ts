import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideInventory } from './inventory.ts';

describe('inventory decisions', () => {
  it('setting available moves on hand by the same delta', () => {
    expect(decideInventory({ available: 5, onHand: 8 }, { kind: 'set', available: 9 })).toEqual({
      ok: true,
      available: 9,
      onHand: 12,
      delta: 4,
    });
  });
  it('an adjustment below zero is refused', () => {
    expect(decideInventory({ available: 2, onHand: 2 }, { kind: 'adjust', delta: -3 })).toEqual({
      ok: false,
      reason: 'negative_stock',
      available: -1,
    });
  });
  it('a set and the equivalent adjustment agree', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), (avail, extra, target) => {
        const cur = { available: avail, onHand: avail + extra };
        expect(decideInventory(cur, { kind: 'set', available: target })).toEqual(
          decideInventory(cur, { kind: 'adjust', delta: target - avail }),
        );
      }),
    );
  });
});
