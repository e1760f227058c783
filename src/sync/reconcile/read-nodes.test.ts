import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectionCost, stampHolds } from './read-nodes.ts';

// Shopify's `updatedAt` has whole seconds: an edit shows as the second it was made in.
const stamp = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const iso = (ms: number): string => new Date(ms).toISOString();

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const ms = fc.integer({ min: 0, max: 20_000 });

describe('stampHolds: an updatedAt that proves the export read the record as it is now', () => {
  it('never hides an edit made after the export read the record, even in the same second', () => {
    fc.assert(
      fc.property(ms, ms, ms, ms, (lastEdit, began, readAfter, editAfter) => {
        // The record was last edited at `lastEdit`; the export began at `began` and read it at `read`
        // (the read saw that edit: it came before); then an edit at `edit`, after the read.
        const read = Math.max(began, lastEdit) + readAfter;
        const edit = read + 1 + editAfter;
        const holds = stampHolds(stamp(T0 + lastEdit), stamp(T0 + edit), iso(T0 + began));
        expect(holds).toBe(false);
      }),
    );
  });

  it('holds for a record last edited in a second before the export began and not edited since', () => {
    fc.assert(
      fc.property(ms, ms, (lastEdit, gap) => {
        const began = (Math.floor(lastEdit / 1000) + 1) * 1000 + gap;
        expect(stampHolds(stamp(T0 + lastEdit), stamp(T0 + lastEdit), iso(T0 + began))).toBe(true);
      }),
    );
  });

  it('does not hold for an edit in the second the export began, nor without the export time', () => {
    expect(stampHolds(stamp(T0 + 1_000), stamp(T0 + 1_000), iso(T0 + 1_900))).toBe(false);
    expect(stampHolds(stamp(T0), stamp(T0), null)).toBe(false);
    expect(stampHolds(stamp(T0), '', iso(T0 + 5_000))).toBe(false);
  });

  it("accepts Shopify's times with an offset as the same instant", () => {
    expect(stampHolds('2026-05-01T12:00:00Z', '2026-05-01T08:00:00-04:00', iso(T0 + 5_000))).toBe(true);
  });
});

describe('selectionCost', () => {
  it('costs an id-and-updatedAt read one point a record', () => {
    expect(selectionCost('id updatedAt')).toBe(1);
  });
});
