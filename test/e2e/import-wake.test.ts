import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRanges } from '../../src/db/shopify-import-ranges.ts';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyImportJob } from '../../src/jobs/shopify-import.ts';
import { shopifyApplyWebhooksJob, shopifyOutboxJob } from '../../src/jobs/shopify-sync.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { expectImported, expectWrittenOnce } from '../../test-support/import-compare.ts';
import { startTestBoss } from '../../test-support/import-jobs.ts';
import { connectShop, emulatorWiring } from '../../test-support/shopify.ts';

/**
 * The import reacts to `bulk_operations/finish`: the delivery wakes its job at once. Here exports run
 * at ten objects a second on the emulator's clock, which the test moves 30 s at a time, the job's
 * poll is ten minutes away and the queue's clock never moves: every step after an export finished ran
 * because its delivery woke the job (the poll stays the fallback: import.test.ts moves the clock).
 */
const SHOP = 'import-wake.myshopify.com';
const KEY = 'wake-key';
const SECRET = 'shpss_wake_secret';

let emu: RunningEmulator;
let t: TestApp;
let stopBoss: (() => Promise<void>) | undefined;

beforeAll(async () => {
  emu = await startEmulator([
    ...['--shop', SHOP, '--api-key', KEY, '--api-secret', SECRET, '--seed', '31'],
    ...['--products', '20', '--variants-per-product', '2', '--customers', '15', '--orders', '18'],
    ...['--locations', '2'],
    // Paced exports, on the emulator's clock: one finishes only when the test moves that clock.
    ...['--bulk-pace', '10'],
  ]);
  const wiring = emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9');
  wiring.app.scopes = requestedScopes(true);
  t = await createTestApp({ shopify: wiring, config: { shopifyImportMode: 'bulk' } });
  t.clock.set(new Date());
  wiring.app.appUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
}, 180_000);
afterAll(async () => {
  await stopBoss?.();
  await t?.close();
  await emu?.stop();
});

interface Operation {
  id: string;
  status: string;
}

/** Waits (on the emulator's answers, not on time) until none of the shop's bulk operations runs. */
async function exportsSettled(): Promise<number> {
  for (let i = 0; i < 2_000; i += 1) {
    const { operations } = await emu.control<{ operations: Operation[] }>(
      'GET',
      `/bulk/operations?shop=${SHOP}`,
    );
    if (operations.every((o) => o.status !== 'CREATED' && o.status !== 'RUNNING')) return operations.length;
  }
  throw new Error('the exports did not finish');
}

describe('the import and bulk_operations/finish', () => {
  it('each finished export wakes the import, which completes with its poll never due', async () => {
    const { boss } = await startTestBoss(t, [shopifyImportJob, shopifyApplyWebhooksJob, shopifyOutboxJob]);
    stopBoss = () => boss.stop({ graceful: false });
    // Ranged exports (a last range of 4), so several exports finish one after another.
    Object.assign(t.deps, { importOptions: { batchSize: 5, rangeTail: 4, pollDelayMs: 600_000 } });
    await connectShop(t, await t.login(t.a), SHOP); // registers the webhooks, starts the import
    let rounds = 0;
    for (; rounds < 60; rounds += 1) {
      await drainQueue(boss, shopifyImportJob as never, t.deps);
      const run = await getLatestImport(t.db, t.a.tenantId);
      if (run?.state === 'completed' || run?.state === 'failed') break;
      await emu.control('POST', '/clock/advance', { seconds: 30 });
      await exportsSettled();
      // Deliveries go out on the emulator's own timer; drain what is still queued.
      await emu.control('POST', '/webhooks/drain');
    }
    const run = await getLatestImport(t.db, t.a.tenantId);
    expect([run?.state, run?.reason]).toEqual(['completed', null]);
    expect(rounds).toBeLessThan(60);
    const ranges = await listRanges(t.db, run?.id as string);
    expect(ranges.filter((r) => r.resource === 'orders').length).toBeGreaterThan(2);
    // One delivery per export, each stored (they are ignored by the entity sync after the import).
    const exports = await exportsSettled();
    const finished = await t.db.query<{ n: number }>(
      `select count(*)::int as n from shopify_webhook_inbox where tenant_id = $1 and topic = 'bulk_operations/finish'`,
      [t.a.tenantId],
    );
    expect(finished.rows[0]?.n).toBe(exports);
    const want = await expectImported(t.db, emu, SHOP, t.a.tenantId);
    expect(await expectWrittenOnce(t.db, t.a.tenantId)).toMatchObject({
      product: want.products.length,
      customer: want.customers.length,
      order: want.orders.length,
    });
  }, 180_000);
});
