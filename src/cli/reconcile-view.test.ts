import { describe, expect, it } from 'vitest';
import { progressLine, renderRun, type RunJson } from './reconcile-view.ts';

const run = (over: Partial<RunJson>): RunJson => ({
  id: 'r1',
  dry_run: false,
  state: 'running',
  phase: 'compare',
  reason: null,
  started_at: '2026-01-01T00:00:00.000Z',
  points_spent: 12,
  progress: null,
  report: null,
  ...over,
});

describe('reconcile view', () => {
  it('draws a bar with done/total and the ETA from the rate so far', () => {
    const line = progressLine(
      run({ progress: { phase: 'compare', kind: 'product', done: 250, total: 1000 } }),
      10_000,
    );
    expect(line).toBe('compare product [######..................] 250/1000 ETA 30s · 12 points');
  });

  it('a failed run says why', () => {
    expect(renderRun(run({ state: 'failed', reason: 'Shopify answered 503' }))).toBe(
      'run r1 failed: Shopify answered 503 (it is retried later)',
    );
  });

  it('a dry run lists each difference field by field', () => {
    const text = renderRun(
      run({
        dry_run: true,
        state: 'completed',
        report: { kinds: {}, duration_ms: 1500, points_spent: 40 },
        differences: [
          {
            entity: 'product',
            display_name: 'Hat',
            cause: 'shopify_changed',
            fields: [{ path: 'title', base: 'Hat', retailos: 'Hat', shopify: 'Cap' }],
          },
        ],
      }),
    );
    expect(text.split('\n').slice(-2)).toEqual([
      'product Hat: shopify_changed',
      '  title: base "Hat" · Retailos "Hat" · Shopify "Cap"',
    ]);
  });
});
