// Connecting when Shopify grants less than Retailos asked for, or when the webhook registration right
// after the grant fails: the connection says why, in the error state, with no import started and
// nothing half-done; connecting again (all granted, Shopify back) connects and imports. An optional
// scope not granted (read_all_orders) connects and says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { type TestApp, type TestSession } from '../../test-support/app.ts';
import type { RunningEmulator } from '../../test-support/emulator.ts';
import type { ImportJobs } from '../../test-support/import-jobs.ts';
import { startImportStack, stopImportStack } from '../../test-support/import-stack.ts';
import { emuList } from '../../test-support/import-compare.ts';
import { connectThroughConsent } from '../../test-support/shopify.ts';

const SHOP = 'shortfall-a.myshopify.com';
const SHOP_B = 'shortfall-b.myshopify.com';
const KEY = 'connect-shortfall-key';
const SECRET = 'shpss_connect_shortfall';
const ORDERS = 30;

let emu: RunningEmulator;
let t: TestApp;
let jobs: ImportJobs;

beforeAll(async () => {
  ({ emu, t, jobs } = await startImportStack(KEY, SECRET, [
    ...['--shop', SHOP, '--shop', SHOP_B],
    ...['--seed', '5', '--products', '4', '--customers', '4', '--orders', String(ORDERS), '--locations', '1'],
  ]));
}, 180_000);
afterAll(() => stopImportStack({ emu, t, jobs }));

async function connection(s: TestSession) {
  const res = await t.app.inject({ method: 'GET', url: '/api/shopify/connection', headers: s.headers });
  return res.json<{ state: string; state_reason: string | null; missing_scopes: string[] }>();
}

async function subscriptionsOnShopify(shop: string): Promise<number> {
  const summary = await emu.control<{ webhookSubscriptions?: unknown[] }>('GET', `/shops/${shop}`);
  return summary.webhookSubscriptions?.length ?? 0;
}

const withhold = (scopes: string[]) => emu.control('PATCH', `/apps/${KEY}`, { withheldScopes: scopes });

describe('connecting with less than the sync needs', () => {
  it('a required scope not granted, then Shopify down during the subscriptions: each time a clear page, the error state with the reason, no import; then it connects and imports', async () => {
    const s = await t.login(t.a);
    await withhold(['read_customers', 'write_customers']);
    const refused = await connectThroughConsent(t, s, SHOP);
    await withhold([]);
    expect(refused.statusCode).toBe(502);
    expect(refused.body).toContain('Shopify did not grant read_customers, write_customers');
    const c = await connection(s);
    expect(c.state).toBe('error');
    expect(c.state_reason).toContain('read_customers, write_customers');
    expect(await subscriptionsOnShopify(SHOP)).toBe(0);
    expect(await getLatestImport(t.db, t.a.tenantId)).toBeUndefined();
    const { rows } = await t.db.query<{ access_token_sealed: string | null }>(
      'select access_token_sealed from shopify_connections where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(rows[0]?.access_token_sealed).toBeNull();

    // Connecting again, all granted, but Shopify's Admin API is down right after the grant (the token
    // exchange is OAuth and keeps working): the webhook registration fails, and no import starts.
    await emu.control('POST', '/faults', { profile: 'outage' });
    const down = await connectThroughConsent(t, s, SHOP);
    await emu.control('DELETE', '/faults');
    expect(down.statusCode).toBe(502);
    const c2 = await connection(s);
    expect(c2.state).toBe('error');
    expect(c2.state_reason).toMatch(/^webhook registration failed: .*503.*; connect again$/);
    expect(await getLatestImport(t.db, t.a.tenantId)).toBeUndefined();

    const again = await connectThroughConsent(t, s, SHOP);
    expect(again.statusCode).toBe(302);
    expect((await connection(s)).state).toBe('importing');
    expect(await subscriptionsOnShopify(SHOP)).toBe(18);
    expect((await jobs.drainImport(t.a)).state).toBe('completed');
    expect((await connection(s)).state).toBe('syncing');
  });

  it('read_all_orders not granted: connects, shows the shortfall, imports the orders of the last 60 days', async () => {
    const s = await t.login(t.b);
    await withhold(['read_all_orders']);
    const res = await connectThroughConsent(t, s, SHOP_B);
    await withhold([]);
    expect(res.statusCode).toBe(302);
    expect(res.headers['location']).toContain('missing_scopes=1');
    const c = await connection(s);
    expect(c).toMatchObject({ state: 'importing', missing_scopes: ['read_all_orders'] });
    expect((await jobs.drainImport(t.b)).state).toBe('completed');
    const { now } = await emu.control<{ now: string }>('GET', '/clock');
    const since = Date.parse(now) - 60 * 86_400_000;
    const all = await emuList<{ createdAt: string }>(emu, SHOP_B, 'orders');
    const recent = all.filter((o) => Date.parse(o.createdAt) >= since).length;
    expect(all).toHaveLength(ORDERS);
    expect(recent).toBeLessThan(ORDERS);
    const { rows } = await t.db.query<{ n: number }>(
      'select count(*)::int as n from orders where tenant_id = $1',
      [t.b.tenantId],
    );
    expect(rows[0]?.n).toBe(recent);
  });
});
