import { describe, expect, it } from 'vitest';
import {
  budgetUsed,
  formatLag,
  reconciliationResult,
  subscriptionNotes,
  topicName,
  type Subscription,
} from '../../web/src/shopify/health-model.ts';
import { tabOf } from '../../web/src/shopify/shopify-tabs-model.ts';

describe('App › Shopify’s tab for an address', () => {
  it.each([
    ['/app/shopify', 'overview'],
    ['/app/shopify/', 'overview'],
    ['/app/shopify/health', 'health'],
    ['/app/shopify/history', 'history'],
    ['/app/shopify/dead-letters', 'dead-letters'],
    ['/app/shopify/dead-letters/42', 'dead-letters'],
    ['/app/shopify/healthy', null],
    ['/app/shopify/nothing', null],
  ])('%s → %s', (path, tab) => {
    expect(tabOf(path)).toBe(tab);
  });
});

describe('Sync Health’s words and figures', () => {
  it('names topics as Shopify’s deliveries do', () => {
    expect(topicName('INVENTORY_LEVELS_UPDATE')).toBe('inventory_levels/update');
    expect(topicName('APP_UNINSTALLED')).toBe('app/uninstalled');
  });

  it.each([
    [null, '—'],
    [850, '850 ms'],
    [2300, '2.3 s'],
    [180_000, '3 min'],
  ])('writes a lag of %s ms as %s', (ms, text) => {
    expect(formatLag(ms)).toBe(text);
  });

  it('gives the share of the cost budget in use', () => {
    const t = {
      maximum_available: 2000,
      currently_available: 1500,
      restore_rate: 100,
      calls: 1,
      throttled: 0,
      points_spent: 500,
      since: '',
    };
    expect(budgetUsed(t)).toBe(25);
    expect(budgetUsed({ ...t, currently_available: 2000 })).toBe(0);
  });

  const sub = (over: Partial<Subscription>): Subscription => ({
    topic: 'CUSTOMERS_UPDATE',
    state: 'active',
    last_delivery_at: null,
    deliveries_24h: 0,
    failures_24h: 0,
    lag_p50_ms: null,
    lag_p99_ms: null,
    last_checked_at: null,
    reregistered_at: null,
    missing_since: null,
    reregister_error: null,
    backfill: null,
    ...over,
  });
  const date = (iso: string | null) => `<${iso}>`;

  it('says a webhook is missing and re-registering, and why the last attempt failed', () => {
    expect(
      subscriptionNotes(
        sub({
          state: 'missing',
          missing_since: 'T1',
          reregister_error: 'refused',
          backfill: { from: 'T0', at: null, records: null, note: null },
        }),
        date,
      ),
    ).toEqual([
      'Missing on Shopify since <T1> — re-registering',
      'Last attempt failed: refused',
      'What changed since <T0> is read back once it is registered again',
    ]);
  });

  it('once registered again, shows the back-fill as such: pending, its count, or why none', () => {
    const back = { reregistered_at: 'T2' };
    expect(
      subscriptionNotes(
        sub({ ...back, backfill: { from: 'T0', at: null, records: null, note: null } }),
        date,
      ),
    ).toEqual(['Re-registered <T2>', 'Back-fill since <T0> pending']);
    expect(
      subscriptionNotes(sub({ ...back, backfill: { from: 'T0', at: 'T3', records: 1, note: null } }), date),
    ).toEqual(['Re-registered <T2>', 'Back-filled 1 record changed since <T0>']);
    expect(
      subscriptionNotes(
        sub({
          ...back,
          backfill: {
            from: 'T0',
            at: 'T3',
            records: 0,
            note: 'Shopify lists no deleted orders by date: not back-filled',
          },
        }),
        date,
      ),
    ).toEqual(['Re-registered <T2>', 'Back-fill: Shopify lists no deleted orders by date: not back-filled']);
  });

  it('says a reconciliation run’s result in words', () => {
    const run = {
      id: 'r',
      state: 'completed' as const,
      dry_run: false,
      trigger: 'schedule',
      started_at: '',
      finished_at: '',
      reason: null,
      compared: 120,
      differences: 3,
      repaired: 2,
      left_to_live_sync: 1,
      failed: 0,
    };
    expect(reconciliationResult(run)).toBe(
      'Compared 120 records: 3 differences, 2 repaired, 1 left to live sync',
    );
    expect(
      reconciliationResult({ ...run, differences: 0, repaired: 0, left_to_live_sync: 0, compared: 1 }),
    ).toBe('Compared 1 record: 0 differences');
    expect(reconciliationResult({ ...run, state: 'failed', reason: 'Shopify answered 503' })).toBe(
      'Failed: Shopify answered 503 (retried)',
    );
  });
});
