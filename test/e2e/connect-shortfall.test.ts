// Connecting when Shopify grants less than Retailos asked for, or when the webhook registration right
// after the grant fails: the connection says why, in the error state, with no import started and
// nothing half-done; connecting again (all granted, Shopify back) connects and imports. An optional
// scope not granted (read_all_orders) connects and says so.
import pino from 'pino';
import { TestClock, type PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresDb } from '../../src/db/pg-db.ts';
import { getLatestImport, type ImportRun } from '../../src/db/shopify-imports.ts';
import { createBoss } from '../../src/jobs/boss.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyImportJob } from '../../src/jobs/shopify-import.ts';
import { shopifyApplyWebhooksJob, shopifyOutboxJob } from '../../src/jobs/shopify-sync.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp, type TestSession, type TestTenant } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { emuList } from '../../test-support/import-compare.ts';
import { approveOnShopify, emulatorWiring } from '../../test-support/shopify.ts';

const SHOP = 'shortfall-a.myshopify.com';
const SHOP_B = 'shortfall-b.myshopify.com';
const KEY = 'connect-shortfall-key';
const SECRET = 'shpss_connect_shortfall';
const ORDERS = 30;

let emu: RunningEmulator;
let t: TestApp;
let boss: PgBoss;
const bossClock = new TestClock(new Date().toISOString());

beforeAll(async () => {
  emu = await startEmulator([
    ...['--shop', SHOP, '--shop', SHOP_B, '--api-key', KEY, '--api-secret', SECRET],
    ...['--seed', '5', '--products', '4', '--customers', '4', '--orders', String(ORDERS), '--locations', '1'],
  ]);
  const wiring = emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9');
  wiring.app.scopes = requestedScopes(true);
  t = await createTestApp({ shopify: wiring });
  t.clock.set(new Date()); // the emulator signs callbacks with real time
  const url =
    t.db.kind === 'postgres' ? ((t.db as PostgresDb).pool.options.connectionString as string) : undefined;
  boss = createBoss({
    db: t.db,
    databaseUrl: url,
    clock: bossClock,
    onError: (err) => pino().error(err),
    supervise: false,
  });
  await boss.start();
  await installQueues(boss, [shopifyImportJob, shopifyApplyWebhooksJob, shopifyOutboxJob] as never);
  Object.assign(t.deps, {
    enqueue: async (job: string, data: object, opts?: { singletonKey?: string; startAfter?: number }) => {
      await boss.send(job, data, opts ?? {});
    },
  });
}, 180_000);
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await t?.close();
  await emu?.stop();
});

async function drainImport(tenant: TestTenant, rounds = 100): Promise<ImportRun> {
  for (let i = 0; i < rounds; i += 1) {
    await drainQueue(boss, shopifyImportJob as never, t.deps);
    const run = await getLatestImport(t.db, tenant.tenantId);
    if (run && (run.state === 'completed' || run.state === 'failed')) return run;
    await bossClock.tick(30_000);
  }
  throw new Error('the import did not settle');
}

/** Connect → consent (approve) → callback, returning the callback's answer. */
async function connectOnce(s: TestSession, shop: string) {
  const started = await t.app.inject({
    method: 'POST',
    url: '/api/shopify/connect',
    headers: s.headers,
    payload: { shop },
  });
  expect(started.statusCode).toBe(200);
  const back = await approveOnShopify(started.json<{ authorize_url: string }>().authorize_url);
  return t.app.inject({
    method: 'GET',
    url: `/shopify/callback?${back.searchParams.toString()}`,
    headers: { cookie: s.headers['cookie'] as string },
  });
}

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
    const refused = await connectOnce(s, SHOP);
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
    const down = await connectOnce(s, SHOP);
    await emu.control('DELETE', '/faults');
    expect(down.statusCode).toBe(502);
    const c2 = await connection(s);
    expect(c2.state).toBe('error');
    expect(c2.state_reason).toMatch(/^webhook registration failed: .*503.*; connect again$/);
    expect(await getLatestImport(t.db, t.a.tenantId)).toBeUndefined();

    const again = await connectOnce(s, SHOP);
    expect(again.statusCode).toBe(302);
    expect((await connection(s)).state).toBe('importing');
    expect(await subscriptionsOnShopify(SHOP)).toBe(18);
    expect((await drainImport(t.a)).state).toBe('completed');
    expect((await connection(s)).state).toBe('syncing');
  });

  it('read_all_orders not granted: connects, shows the shortfall, imports the orders of the last 60 days', async () => {
    const s = await t.login(t.b);
    await withhold(['read_all_orders']);
    const res = await connectOnce(s, SHOP_B);
    await withhold([]);
    expect(res.statusCode).toBe(302);
    expect(res.headers['location']).toContain('missing_scopes=1');
    const c = await connection(s);
    expect(c).toMatchObject({ state: 'importing', missing_scopes: ['read_all_orders'] });
    expect((await drainImport(t.b)).state).toBe('completed');
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
