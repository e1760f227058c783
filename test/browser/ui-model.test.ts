import { describe, expect, it } from 'vitest';
import { fraction, parseImportProgress } from '../../web/src/shopify/import-progress-model.ts';
import { normaliseShop } from '../../web/src/shopify/shop-domain.ts';

describe('the shop domain a merchant types', () => {
  it.each([
    ['my-store', 'my-store.myshopify.com'],
    ['  My-Store.myshopify.com ', 'my-store.myshopify.com'],
    ['https://my-store.myshopify.com/', 'my-store.myshopify.com'],
    ['evil.com/x.myshopify.com', 'evil.com/x.myshopify.com'],
    ['', ''],
  ])('%j is sent as %j (the server still checks it strictly)', (typed, sent) => {
    expect(normaliseShop(typed)).toBe(sent);
  });
});

describe('reading the import progress', () => {
  it('reads resources given as a list', () => {
    const p = parseImportProgress({
      state: 'running',
      rate_per_second: 120,
      eta_seconds: 30,
      started_at: '2026-01-01T00:00:00Z',
      resources: [
        {
          resource: 'products',
          mode: 'bulk',
          state: 'running',
          done: 40,
          parked: 2,
          total: 100,
          rate_per_second: 80,
          eta_seconds: 1,
        },
        { resource: 'orders', state: 'failed', reason: 'THROTTLED', done: 5, total: null },
      ],
    });
    expect(p).toEqual({
      state: 'running',
      rate: 120,
      etaSeconds: 30,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: null,
      reason: null,
      resources: [
        {
          resource: 'products',
          mode: 'bulk',
          done: 40,
          parked: 2,
          total: 100,
          rate: 80,
          etaSeconds: 1,
          state: 'running',
          reason: null,
        },
        {
          resource: 'orders',
          mode: null,
          done: 5,
          parked: 0,
          total: null,
          rate: null,
          etaSeconds: null,
          state: 'failed',
          reason: 'THROTTLED',
        },
      ],
    });
  });

  it('derives the overall rate and time left from the unfinished resources, as the server sends them', () => {
    const p = parseImportProgress({
      id: 'x',
      state: 'running',
      reason: null,
      resources: [
        {
          resource: 'locations',
          state: 'completed',
          done: 2,
          parked: 0,
          total: 2,
          rate_per_second: 50,
          eta_seconds: 0,
        },
        {
          resource: 'products',
          state: 'running',
          done: 10,
          parked: 0,
          total: 40,
          rate_per_second: 5,
          eta_seconds: 6,
        },
        {
          resource: 'customers',
          state: 'running',
          done: 1,
          parked: 0,
          total: 9,
          rate_per_second: 2,
          eta_seconds: 4,
        },
      ],
    });
    expect(p?.rate).toBe(7);
    expect(p?.etaSeconds).toBe(10);
    const unknown = parseImportProgress({
      resources: [{ resource: 'orders', state: 'pending', done: 0, total: null }],
    });
    expect(unknown?.etaSeconds).toBeNull();
    const done = parseImportProgress({
      resources: [{ resource: 'orders', state: 'completed', done: 3, total: 3 }],
    });
    expect(done?.etaSeconds).toBe(0);
  });

  it('reads resources keyed by name and sums their rates when no overall rate is given', () => {
    const p = parseImportProgress({
      status: 'running',
      resources: { products: { done: 3, total: 3, rate: 2 }, customers: { imported: 1, rate: 1 } },
    });
    expect(p?.state).toBe('running');
    expect(p?.rate).toBe(3);
    expect(p?.resources.map((r) => [r.resource, r.done, r.total])).toEqual([
      ['products', 3, 3],
      ['customers', 1, null],
    ]);
  });

  it('gives a finished import its average rate (records ÷ elapsed) and no time left, as the server sends it', () => {
    const p = parseImportProgress({
      id: 'x',
      state: 'completed',
      reason: null,
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:00:20.000Z',
      resources: [
        {
          resource: 'locations',
          state: 'completed',
          done: 2,
          parked: 0,
          total: 2,
          rate_per_second: 50,
          eta_seconds: 0,
        },
        {
          resource: 'products',
          state: 'completed',
          done: 98,
          parked: 1,
          total: 99,
          rate_per_second: 5,
          eta_seconds: 0,
        },
      ],
    });
    expect(p?.rate).toBe(5);
    expect(p?.etaSeconds).toBeNull();
    expect(p?.resources.map((r) => r.etaSeconds)).toEqual([null, null]);
    const instant = parseImportProgress({
      state: 'completed',
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:00:00.000Z',
      resources: [{ resource: 'orders', state: 'completed', done: 3, total: 3 }],
    });
    expect(instant?.rate).toBeNull();
    expect(instant?.etaSeconds).toBeNull();
  });

  it('shows nothing for a body that is not an object, and unknown numbers as unknown', () => {
    expect(parseImportProgress('nope')).toBeNull();
    expect(parseImportProgress({ resources: [{ resource: 'x', done: 'many' }] })?.resources[0]?.done).toBe(0);
  });

  it.each([
    [0, 10, 0],
    [5, 10, 0.5],
    [12, 10, 1],
    [0, 0, 1],
    [3, null, null],
  ])('%i of %j done is %j', (done, total, expected) => {
    expect(fraction(done, total)).toBe(expected);
  });
});
