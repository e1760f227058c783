import { describe, expect, it } from 'vitest';
import { healthVerdict, minutes, type VerdictInput } from './health-verdict.ts';

const active = (topic: string) => ({
  topic,
  state: 'active' as const,
  reregisterError: null,
  failures24h: 0,
});
const base: VerdictInput = {
  connection: { shop: 'a.myshopify.com', state: 'syncing', reason: null },
  importRun: { state: 'completed', reason: null, done: 10, total: 10 },
  subscriptions: [active('PRODUCTS_UPDATE'), active('CUSTOMERS_UPDATE')],
  inbox: { pending: 0, oldestPendingAgeSeconds: null },
  outbox: { waiting: 0, oldestAgeSeconds: null },
  deadLetters: 0,
};
const missing = (topic: string, reregisterError: string | null = null) => ({
  topic,
  state: 'missing' as const,
  reregisterError,
  failures24h: 0,
});

describe('the Sync Health verdict', () => {
  it.each<[string, Partial<VerdictInput>, string, string]>([
    ['nothing wrong', {}, 'healthy', 'Healthy: every webhook active, nothing waiting'],
    ['no connection', { connection: null }, 'off', 'Not connected to Shopify'],
    [
      'two webhooks missing',
      { subscriptions: [missing('PRODUCTS_UPDATE'), missing('CUSTOMERS_UPDATE')] },
      'attention',
      '2 webhooks missing — re-registering',
    ],
    [
      'a re-registration Shopify refused',
      { subscriptions: [missing('PRODUCTS_UPDATE', 'Shopify refused the PRODUCTS_UPDATE subscription')] },
      'attention',
      '1 webhook missing — re-registering failed (Shopify refused the PRODUCTS_UPDATE subscription); retrying',
    ],
    [
      'an import running',
      {
        connection: { shop: 'a.myshopify.com', state: 'importing', reason: null },
        importRun: { state: 'running', reason: null, done: 45, total: 100 },
      },
      'working',
      'Import running (45%)',
    ],
    [
      'a failed import',
      { importRun: { state: 'failed', reason: 'Shopify answered 500 three times', done: 1, total: 9 } },
      'failed',
      'The import failed: Shopify answered 500 three times',
    ],
    [
      'a token Shopify refuses',
      { connection: { shop: 'a.myshopify.com', state: 'error_auth', reason: 'refresh refused' } },
      'failed',
      'Shopify no longer accepts Retailos’s access — reconnect: refresh refused',
    ],
    [
      'a failed reconciliation',
      { reconciliation: { state: 'failed', reason: 'Shopify answered 503', dryRun: false } },
      'attention',
      'The last reconciliation failed: Shopify answered 503; it is retried',
    ],
    [
      'a reconciliation running',
      { reconciliation: { state: 'running', reason: null, dryRun: false } },
      'working',
      'Reconciliation running',
    ],
    ['open dead letters', { deadLetters: 3 }, 'attention', '3 dead letters waiting for Replay or Discard'],
    [
      'a fresh inbox backlog',
      { inbox: { pending: 4, oldestPendingAgeSeconds: 20 } },
      'working',
      '4 webhooks waiting, oldest 20 s',
    ],
    [
      'a stale push backlog',
      { outbox: { waiting: 1, oldestAgeSeconds: 1800 } },
      'attention',
      '1 change waiting to push, oldest 30 min',
    ],
  ])('%s', (_, over, level, summary) => {
    const v = healthVerdict({ ...base, ...over });
    expect(v.level).toBe(level);
    expect(v.summary).toBe(summary);
    expect(v.reasons[0]).toBe(summary);
  });

  it('an import that waits on missing webhooks says both, the weightiest first', () => {
    const v = healthVerdict({
      ...base,
      connection: { shop: 'a.myshopify.com', state: 'importing', reason: null },
      importRun: { state: 'running', reason: null, done: 1, total: 4 },
      subscriptions: [missing('PRODUCTS_UPDATE'), active('CUSTOMERS_UPDATE')],
      inbox: { pending: 2, oldestPendingAgeSeconds: 3600 },
    });
    expect(v.reasons).toEqual([
      '1 webhook missing — re-registering',
      'Import running (25%)',
      '2 webhooks waiting, oldest 60 min: applied when the import ends',
    ]);
  });

  it('writes ages in seconds, minutes or hours', () => {
    expect([minutes(5), minutes(600), minutes(7200)]).toEqual(['5 s', '10 min', '2 h']);
  });
});
