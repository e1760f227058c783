import { describe, expect, it } from 'vitest';
import type { ImportResourceRow, ImportRun } from '../../db/shopify-imports.ts';
import { importProgress } from './progress.ts';

const t0 = new Date('2026-05-01T00:00:00Z');
const row = (over: Partial<ImportResourceRow>): ImportResourceRow => ({
  resource: 'products',
  state: 'running',
  reason: null,
  total: null,
  done: 0,
  parked: 0,
  bulkOperationId: null,
  url: null,
  linesDone: 0,
  bytesDone: 0,
  mode: 'bulk',
  pageFirst: null,
  pageChildFirst: null,
  pageCursor: null,
  pageOuterCursor: null,
  pageBudget: null,
  startedAt: t0,
  finishedAt: null,
  updatedAt: t0,
  ...over,
});
const run = (resources: ImportResourceRow[]): ImportRun => ({
  id: 'i',
  tenantId: 't',
  state: 'running',
  reason: null,
  createdAt: t0,
  startedAt: t0,
  finishedAt: null,
  updatedAt: t0,
  resources,
});

describe('import progress', () => {
  it('computes rate and ETA from done, total and elapsed time', () => {
    const p = importProgress(
      run([row({ done: 200, parked: 0, total: 1000 })]),
      new Date(t0.getTime() + 10_000),
    );
    expect(p.resources[0]).toMatchObject({ ratePerSecond: 20, etaSeconds: 40 });
  });

  it('knows no ETA before the total or the first record, and 0 when completed', () => {
    const now = new Date(t0.getTime() + 5_000);
    const [a, b, c] = importProgress(
      run([
        row({ resource: 'products', done: 0, total: 50 }),
        row({ resource: 'customers', done: 10, total: null }),
        row({
          resource: 'orders',
          state: 'completed',
          done: 9,
          parked: 1,
          total: 10,
          finishedAt: new Date(t0.getTime() + 3_000),
        }),
      ]),
      now,
    ).resources;
    expect([a?.ratePerSecond, a?.etaSeconds]).toEqual([null, null]);
    expect([b?.ratePerSecond, b?.etaSeconds]).toEqual([2, null]);
    expect([c?.ratePerSecond, c?.etaSeconds]).toEqual([3, 0]);
  });
});
