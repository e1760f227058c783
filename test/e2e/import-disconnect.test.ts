// Disconnect while the initial import runs: the import stops with the merchant's reason at its next
// batch (that batch rolls back), nothing more is read or written, and connecting again imports it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestTenant } from '../../test-support/app.ts';
import type { RunningEmulator } from '../../test-support/emulator.ts';
import type { ImportJobs } from '../../test-support/import-jobs.ts';
import { startImportStack, stopImportStack } from '../../test-support/import-stack.ts';
import { expectImported } from '../../test-support/import-compare.ts';
import { connectShop } from '../../test-support/shopify.ts';

const SHOP = 'import-disconnect.myshopify.com';
const KEY = 'import-disconnect-key';
const SECRET = 'shpss_import_disconnect';
let emu: RunningEmulator;
let t: TestApp;
let jobs: ImportJobs;

beforeAll(async () => {
  ({ emu, t, jobs } = await startImportStack(
    KEY,
    SECRET,
    [
      ...['--shop', SHOP, '--seed', '8'],
      ...['--products', '12', '--customers', '6', '--orders', '8', '--locations', '2'],
    ],
    { shopifyImportMode: 'bulk' },
  ));
}, 180_000);
afterAll(() => stopImportStack({ emu, t, jobs }));

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
    ['products', 'variants', 'customers', 'orders', 'inventory_levels', 'shopify_links'].map((table) =>
      count(table, tenant),
    ),
  );

describe('disconnecting while the import runs', () => {
  it('stops the import at once with the reason, writes nothing after it, and a new connect imports the rest', async () => {
    const s = await t.login(t.a);
    let batches = 0;
    let atDisconnect: number[] = [];
    // One lane, small batches: the merchant disconnects between the 5th batch and the 6th.
    jobs.setOptions({
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
    const stopped = await jobs.drainImport(t.a);
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
    jobs.setOptions({ batchSize: 2 });
    await connectShop(t, s, SHOP);
    expect((await jobs.drainImport(t.a)).state).toBe('completed');
    await expectImported(t.db, emu, SHOP, t.a.tenantId);
  });
});
