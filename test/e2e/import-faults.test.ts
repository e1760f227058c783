import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyImportJob } from '../../src/jobs/shopify-import.ts';
import { startImport } from '../../src/sync/import/start.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp, type TestTenant } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { startImportJobs, type ImportJobs } from '../../test-support/import-jobs.ts';
import { connectShop, emulatorWiring } from '../../test-support/shopify.ts';

const SHOP = 'import-outage.myshopify.com';
const SHOP_B = 'import-revoked.myshopify.com';
const KEY = 'import-faults-key';
const SECRET = 'shpss_import_faults';
/** Drops the sync bases and keeps the links (each record's row in shopify_links, migration 0045). */
const NO_BASE = 'snapshot_hash = null, snapshot = null, remote_updated_at = null, synced_at = null';

let emu: RunningEmulator;
let t: TestApp;
let jobs: ImportJobs;

beforeAll(async () => {
  emu = await startEmulator([
    ...['--shop', SHOP, '--shop', SHOP_B, '--api-key', KEY, '--api-secret', SECRET, '--seed', '4'],
    ...['--products', '6', '--customers', '3', '--orders', '3', '--locations', '1'],
  ]);
  const wiring = emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9');
  wiring.app.scopes = requestedScopes(true);
  // Faults of the bulk path (auto would read these small stores page by page).
  t = await createTestApp({ shopify: wiring, config: { shopifyImportMode: 'bulk' } });
  t.clock.set(new Date());
  jobs = await startImportJobs(t);
  jobs.setOptions({ batchSize: 5 });
}, 180_000);
afterAll(async () => {
  await jobs?.stop();
  await t?.close();
  await emu?.stop();
});

const drainOnce = () => drainQueue(jobs.boss, shopifyImportJob as never, t.deps);
const connectionOf = async (tenant: TestTenant) =>
  (
    await t.db.query<{ state: string; state_reason: string | null }>(
      'select state, state_reason from shopify_connections where tenant_id = $1',
      [tenant.tenantId],
    )
  ).rows[0];

describe('the import under faults', () => {
  it('shows an outage as paused with its reason, retries with backoff, then completes', async () => {
    await connectShop(t, await t.login(t.a), SHOP);
    await emu.control('POST', '/faults', { profile: 'outage' });
    await startImport(t.deps, t.a.tenantId);
    expect(await drainOnce()).toBe(1);
    const paused = await getLatestImport(t.db, t.a.tenantId);
    expect(paused?.state).toBe('paused');
    expect(paused?.reason).toMatch(/503/);
    const [job] = await jobs.boss.findJobs(shopifyImportJob.name, { queued: true });
    expect(job?.state).toBe('retry');
    expect(await drainOnce()).toBe(0); // the retry waits for its backoff, no busy loop
    await emu.control('DELETE', '/faults');
    const run = await jobs.drainImport(t.a);
    expect(run.state).toBe('completed');
    expect(run.reason).toBeNull();
    expect((await connectionOf(t.a))?.state).toBe('syncing');
    const { rows } = await t.db.query<{ n: number }>(
      'select count(*)::int as n from products where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(rows[0]?.n).toBe(6);
  });

  it('waits out Shopify throttling where Shopify says, and still imports everything', async () => {
    await emu.control('DELETE', '/calls');
    await emu.control('POST', '/faults', { profile: 'throttle-storm' });
    await t.db.query(`update products set title = 'changed here' where tenant_id = $1`, [t.a.tenantId]);
    await t.db.query(`update shopify_links set ${NO_BASE} where tenant_id = $1 and entity = 'product'`, [
      t.a.tenantId,
    ]);
    await startImport(t.deps, t.a.tenantId);
    const run = await jobs.drainImport(t.a);
    await emu.control('DELETE', '/faults');
    expect(run.state).toBe('completed');
    const calls = await emu.control<{ calls: { throttled: boolean }[] }>('GET', `/calls?shop=${SHOP}`);
    expect(calls.calls.some((c) => c.throttled)).toBe(true);
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from products where tenant_id = $1 and title = 'changed here'`,
      [t.a.tenantId],
    );
    expect(rows[0]?.n).toBe(0); // every product re-imported from Shopify
  });

  it('exports a resource again when its result link has expired, and finishes', async () => {
    let refused = 0;
    const expiring: typeof fetch = async (input, init) => {
      if (refused === 0) {
        refused += 1;
        return new Response('ExpiredToken: the signed URL has expired', { status: 400 });
      }
      return fetch(input, init);
    };
    await emu.control('DELETE', '/calls');
    Object.assign(t.deps, { importOptions: { batchSize: 5, fetch: expiring } });
    await t.db.query(`update shopify_links set ${NO_BASE} where tenant_id = $1`, [t.a.tenantId]);
    await startImport(t.deps, t.a.tenantId);
    const run = await jobs.drainImport(t.a);
    Object.assign(t.deps, { importOptions: { batchSize: 5 } });
    expect(refused).toBe(1);
    expect(run.state).toBe('completed');
    const bulkRuns = await emu.control<{ calls: { rootFields: string[] }[] }>(
      'GET',
      `/calls?shop=${SHOP}&operation=bulkOperationRunQuery`,
    );
    expect(bulkRuns.calls).toHaveLength(5); // four exports and the one run again
    const { rows } = await t.db.query<{ n: number }>(
      'select count(*)::int as n from products where tenant_id = $1',
      [t.a.tenantId],
    );
    expect(rows[0]?.n).toBe(6);
  });

  it("writes two files at once; a failed one leaves the other one's batches, pauses with its reason, then resumes", async () => {
    let downloads = 0;
    let committed = 0;
    let committedBeforeSecond: number | undefined;
    const resetSecond: typeof fetch = async (input, init) => {
      downloads += 1;
      if (downloads === 2) committedBeforeSecond = committed;
      if (downloads === 2) throw new TypeError('fetch failed: connection reset by peer (test)');
      return fetch(input, init);
    };
    const afterBatch = () => {
      committed += 1;
    };
    Object.assign(t.deps, {
      importOptions: { batchSize: 5, ingestLanes: 2, fetch: resetSecond, afterBatch },
    });
    await t.db.query(`update shopify_links set ${NO_BASE} where tenant_id = $1`, [t.a.tenantId]);
    await startImport(t.deps, t.a.tenantId);
    for (let i = 0; i < 20 && downloads < 2; i += 1) {
      await drainOnce();
      await jobs.clock.tick(30_000);
    }
    expect(committedBeforeSecond, 'both files were opened before any batch committed').toBe(0);
    const paused = await getLatestImport(t.db, t.a.tenantId);
    expect(paused?.state).toBe('paused');
    expect(paused?.reason).toMatch(/connection reset by peer \(test\)/);
    // Products and customers were written side by side: the lane that failed committed nothing, the
    // other wrote its whole file (6 products or 3 customers, in batches of 5) before the step ended.
    const sideBySide = paused?.resources.filter(
      (r) => r.resource === 'products' || r.resource === 'customers',
    );
    expect(sideBySide?.map((r) => [r.state, r.done]).sort()).toEqual(
      [
        ['completed', sideBySide?.find((r) => r.state === 'completed')?.resource === 'products' ? 6 : 3],
        ['running', 0],
      ].sort(),
    );
    const run = await jobs.drainImport(t.a);
    Object.assign(t.deps, { importOptions: { batchSize: 5 } });
    expect(run.state).toBe('completed');
    expect(run.resources.map((r) => [r.resource, r.done])).toEqual([
      ['locations', 1],
      ['products', 6],
      ['customers', 3],
      ['orders', 3],
      ['inventory', 18],
    ]);
  });

  it('moves the connection to error_auth when Shopify refuses the token, and stops retrying', async () => {
    await connectShop(t, await t.login(t.b), SHOP_B);
    await emu.control('POST', `/shops/${SHOP_B}/uninstall`, {});
    await startImport(t.deps, t.b.tenantId);
    await drainOnce();
    expect(await connectionOf(t.b)).toEqual({
      state: 'error_auth',
      state_reason: 'Shopify refused the access token (401)',
    });
    const run = await getLatestImport(t.db, t.b.tenantId);
    expect(run?.state).toBe('paused');
    expect(run?.reason).toContain('reconnect the store to resume');
    await jobs.clock.tick(600_000);
    expect(await drainOnce()).toBe(0);
  });
});
