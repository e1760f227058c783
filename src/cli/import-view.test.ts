import { describe, expect, it } from 'vitest';
import { isFinished, renderImport, type ImportJson } from './import-view.ts';

const running: ImportJson = {
  state: 'running',
  reason: null,
  resources: [
    {
      resource: 'products',
      mode: 'bulk',
      state: 'running',
      reason: null,
      done: 500,
      total: 1000,
      rate_per_second: 250,
      eta_seconds: 2,
    },
    {
      resource: 'orders',
      mode: 'paged',
      state: 'paused',
      reason: 'Shopify answered 503',
      done: 0,
      total: null,
      rate_per_second: null,
      eta_seconds: null,
      parked: 2,
    },
  ],
};

describe('import progress view', () => {
  it('draws a half-full bar with counts, rate and ETA', () => {
    const out = renderImport(running);
    expect(out).toContain(`[${'█'.repeat(12)}${'·'.repeat(12)}]`);
    expect(out).toContain('500/1000');
    expect(out).toContain('250/s');
    expect(out).toContain('2s left');
  });
  it('shows why a resource is paused and what was parked', () => {
    expect(renderImport(running)).toMatch(/orders .*paused.*2 parked \(Shopify answered 503\)/);
  });
  it('says how each resource is read', () => {
    expect(renderImport(running)).toMatch(/products .*running +bulk /);
    expect(renderImport(running)).toMatch(/orders .*paused +page by page /);
  });
  it('knows when to stop following', () => {
    expect(isFinished(running)).toBe(false);
    expect(isFinished({ ...running, state: 'completed' })).toBe(true);
  });
});
