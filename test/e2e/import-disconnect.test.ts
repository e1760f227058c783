// Disconnect while the initial import runs: the import stops with the merchant's reason at its next
// batch (that batch rolls back), nothing more is read or written, and connecting again imports it all.
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
import type { ImportOptions } from '../../src/sync/import/options.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp, type TestTenant } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { expectImported } from '../../test-support/import-compare.ts';
import { connectShop, emulatorWiring } from '../../test-support/shopify.ts';

const SHOP = 'import-disconnect.myshopify.com';
const KEY = 'import-disconnect-key';
const SECRET = 'shpss_import_disconnect';
let emu: RunningEmulator;
let t: TestApp;
let boss: PgBoss;
const bossClock = new TestClock(new Date().toISOString());

beforeAll(async () => {
  emu = await startEmulator([
    ...['--shop', SHOP, '--api-key', KEY, '--api-secret', SECRET, '--seed', '8'],
    ...['--products', '12', '--customers', '6', '--orders', '8', '--locations', '2'],
  ]);
  const wiring = emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9');
  wiring.app.scopes = requestedScopes(true);
  t = await createTestApp({ shopify: wiring, config: { shopifyImportMode: 'bulk' } });
  t.clock.set(new Date());
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

const setOptions = (importOptions: ImportOptions): void => {
  Object.assign(t.deps, { importOptions });
};

async function drainImport(tenant: TestTenant, rounds = 300): Promise<ImportRun> {
  for (let i = 0; i < rounds; i += 1) {
    await drainQueue(boss, shopifyImportJob as never, t.deps);
    const run = await getLatestImport(t.db, tenant.tenantId);
    if (run && (run.state === 'completed' || run.state === 'failed')) return run;
    await bossClock.tick(5_000);
  }
  throw new Error('the import did not settle');
}

const count = async (table: string, tenant: TestTenant): Promise<number> =>
  Number(
    (
      await t.db.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [
        tenant.tenantId,
      ])
    ).rows[0]?.n,
  );

const written = async (tenant: TestTenant): Promise<number[]> =>
  Promise.all(
    ['products', 'variants', 'customers', 'orders', 'inventory_levels', 'shopify_id_map'].map((table) =>
      count(table, tenant),
    ),
  );

describe('disconnecting while the import runs', () => {
  it('stops the import at once with the reason, writes nothing after it, and a new connect imports the rest', async () => {
    const s = await t.login(t.a);
    let batches = 0;
    let atDisconnect: number[] = [];
    // One lane, small batches: the merchant disconnects between the 5th batch and the 6th.
    setOptions({
      batchSize: 2,
      ingestLanes: 1,
      afterBatch: async () => {
        batches += 1;
        if (batches !== 5) return;
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/shopify/disconnect',
          headers: s.headers,
        });
        expect(res.statusCode).toBe(200);
        atDisconnect = await written(t.a);
      },
    });
    await connectShop(t, s, SHOP);
    const stopped = await drainImport(t.a);
    expect(batches).toBe(5);
    expect(stopped).toMatchObject({ state: 'failed', reason: 'disconnected by the merchant' });
    expect(stopped.resources.some((r) => r.state !== 'completed')).toBe(true);
    expect(await written(t.a)).toEqual(atDisconnect);
    const progress = await t.app.inject({ method: 'GET', url: '/api/shopify/import', headers: s.headers });
    expect(progress.json()).toMatchObject({ state: 'failed', reason: 'disconnected by the merchant' });
    const connection = await t.app.inject({
      method: 'GET',
      url: '/api/shopify/connection',
      headers: s.headers,
    });
    expect(connection.json()).toMatchObject({ state: 'disconnected' });

    // Connecting again imports everything, the records written before the disconnect once.
    setOptions({ batchSize: 2 });
    await connectShop(t, s, SHOP);
    expect((await drainImport(t.a)).state).toBe('completed');
    await expectImported(t.db, emu, SHOP, t.a.tenantId);
  });
});
