import { describe, expect, it } from 'vitest';
import { IMPORT_TABLES, statsDue } from './planner-stats.ts';

describe('statsDue', () => {
  it.each([
    // batch, records done before → after the batch, due
    [500, 0, 499, false], // less than one batch in: nothing worth sampling yet
    [500, 0, 500, true], // the first full batch
    [500, 500, 1000, false],
    [500, 1500, 2000, true], // 4 batches
    [500, 2000, 2500, false],
    [500, 7900, 8100, true], // 16 batches, passed mid-batch
    [500, 8100, 31_999, false],
    [500, 31_999, 32_000, true], // 64
    [500, 32_000, 127_999, false],
    [500, 127_999, 128_000, true], // 256
    [500, 0, 200_000, true], // one jump over several marks is one refresh
    [10, 30, 40, true],
    [10, 40, 50, false],
  ])('batch %i, %i → %i records: %s', (batch, before, after, due) => {
    expect(statsDue(batch, before, after)).toBe(due);
  });

  it('refreshes about log4 of the batches times: 7 times over 10,000 batches', () => {
    let refreshes = 0;
    for (let b = 0; b < 10_000; b += 1) if (statsDue(500, b * 500, (b + 1) * 500)) refreshes += 1;
    expect(refreshes).toBe(7); // 1, 4, 16, 64, 256, 1024, 4096
  });

  it('lists each table the import fills once, the locations first', () => {
    expect(IMPORT_TABLES[0]).toBe('locations');
    expect(new Set(IMPORT_TABLES).size).toBe(IMPORT_TABLES.length);
    expect([...IMPORT_TABLES].sort()).toEqual(
      [
        'customers',
        'inventory_adjustments',
        'inventory_levels',
        'locations',
        'order_line_items',
        'orders',
        'products',
        'shopify_links',
        'variants',
      ].sort(),
    );
  });
});
