import { describe, expect, it } from 'vitest';
import { classify, fieldDifferences, type Cause } from './classify.ts';
import { scheduledHour, nextScheduledRun } from './start.ts';

describe('classify', () => {
  const cases: [string, { base?: string; local?: string; remote?: string }, Cause | null][] = [
    ['both sides hold the base', { base: 'b', local: 'b', remote: 'b' }, null],
    ['Shopify changed only', { base: 'b', local: 'b', remote: 'r' }, 'shopify_changed'],
    ['Retailos changed only', { base: 'b', local: 'l', remote: 'b' }, 'retailos_changed'],
    ['both changed differently', { base: 'b', local: 'l', remote: 'r' }, 'both_changed'],
    ['both changed alike (the base is only older)', { base: 'b', local: 'x', remote: 'x' }, null],
    ['on Shopify only, never synced', { remote: 'r' }, 'created_on_shopify'],
    ['in Retailos only, never synced', { local: 'l' }, 'created_in_retailos'],
    ['synced, then gone from Retailos', { base: 'b', remote: 'r' }, 'deleted_in_retailos'],
    ['synced, then gone from Shopify', { base: 'b', local: 'l' }, 'deleted_on_shopify'],
    ['gone from both', { base: 'b' }, null],
  ];
  it.each(cases)('%s', (_name, sides, cause) => {
    expect(classify({ base: sides.base, local: sides.local, remote: sides.remote })).toBe(cause);
  });
});

describe('fieldDifferences', () => {
  it('lists each differing field with the base, Retailos and Shopify values', () => {
    const base = { title: 'A', vendor: 'V', tags: [] };
    const local = { title: 'A', vendor: 'Mine', tags: [] };
    const remote = { title: 'B', vendor: 'V', tags: [] };
    expect(fieldDifferences(base, local, remote)).toEqual([
      { path: 'title', base: 'A', retailos: 'A', shopify: 'B' },
      { path: 'vendor', base: 'V', retailos: 'Mine', shopify: 'V' },
    ]);
  });

  it('without a base compares the two sides', () => {
    expect(fieldDifferences(null, { title: 'A' }, { title: 'B' })).toEqual([
      { path: 'title', base: null, retailos: 'A', shopify: 'B' },
    ]);
  });
});

describe('daily schedule', () => {
  it("spreads shops over the day by their id and names the next start of the shop's hour", () => {
    const hours = new Set(
      Array.from({ length: 200 }, (_, i) =>
        scheduledHour(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
      ),
    );
    expect(hours.size).toBeGreaterThan(16);
    const id = '11111111-2222-4333-8444-555555555555';
    const now = new Date('2026-03-01T12:30:00Z');
    const next = nextScheduledRun(id, now);
    expect(next.getUTCHours()).toBe(scheduledHour(id));
    expect(next.getTime()).toBeGreaterThan(now.getTime());
    expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(24 * 3_600_000);
    // Not within 20 hours of the last run: the sweep skips a shop that ran since.
    const later = nextScheduledRun(id, now, new Date(next.getTime() - 3_600_000));
    expect(later.getTime() - next.getTime()).toBe(24 * 3_600_000);
  });
});
