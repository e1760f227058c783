// A worker takes the import's job and its process dies (kill -9): the job stays `active`. The merchant
// disconnects and connects again. The new import must run once the dead worker's heartbeat is missed,
// not wait for the dead job's hour-long expiry, pending all that time (the job is one per shop).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { type TestApp } from '../../test-support/app.ts';
import type { RunningEmulator } from '../../test-support/emulator.ts';
import type { ImportJobs } from '../../test-support/import-jobs.ts';
import { startImportStack, stopImportStack } from '../../test-support/import-stack.ts';
import { connectShop } from '../../test-support/shopify.ts';

const SHOP = 'import-stuck.myshopify.com';
const KEY = 'import-stuck-key';
const SECRET = 'shpss_import_stuck';
let emu: RunningEmulator;
let t: TestApp;
let jobs: ImportJobs;

beforeAll(async () => {
  ({ emu, t, jobs } = await startImportStack(KEY, SECRET, [
    ...['--shop', SHOP, '--seed', '12'],
    ...['--products', '5', '--customers', '3', '--orders', '3', '--locations', '1'],
  ]));
}, 180_000);
afterAll(() => stopImportStack({ emu, t, jobs }));

describe('an import whose worker died, then Disconnect and Connect again', () => {
  it('the new import runs once the dead job misses its heartbeat, and completes', async () => {
    const session = await t.login(t.a);
    await connectShop(t, session, SHOP);
    const [stuck] = await jobs.boss.fetch('shopify.import'); // taken by a worker that then dies
    expect(stuck).toBeDefined();

    const off = await t.app.inject({
      method: 'POST',
      url: '/api/shopify/disconnect',
      headers: session.headers,
    });
    expect(off.statusCode).toBeLessThan(300);
    await connectShop(t, session, SHOP);
    expect((await getLatestImport(t.db, t.a.tenantId))?.state).toBe('pending');

    // A minute on: the dead worker sent no heartbeat; the supervisor's pass retries its job.
    await jobs.clock.tick(60_000);
    await jobs.boss.supervise('shopify.import');
    const run = await jobs.drainImport(t.a, { rounds: 40, tickMs: 10_000 });
    expect(run.state).toBe('completed');
    expect(run.resources.map((r) => [r.resource, r.done])).toEqual([
      ['locations', 1],
      ['products', 5],
      ['customers', 3],
      ['orders', 3],
      ['inventory', 15], // three variants per product (the emulator's default)
    ]);
  });
});
