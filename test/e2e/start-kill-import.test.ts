// The initial import survives kill -9 of the real product: `retailos start` (bin/retailos.js) is
// SIGKILLed twice while its own workers import, and started again each time. After each restart the
// import moves again within 30 s (a dead process's job is retried at once in embedded mode, at its
// missed heartbeat on a Postgres server; before, it stayed active for its hour-long expiry), and it
// ends with exact counts: every record once, none twice.
// Runs on embedded PGlite, and on a fresh Postgres database when TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJson } from '../../src/cli/import-view.ts';
import { listRanges } from '../../src/db/shopify-import-ranges.ts';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { createFreshDatabase } from '../../test-support/db.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { expectImported, expectWrittenOnce } from '../../test-support/import-compare.ts';
import {
  Browser,
  eventually,
  freePort,
  startRetailos,
  withStoppedDb,
  type RetailosProcess,
  type StartSetup,
} from '../../test-support/retailos-process.ts';

const SHOP = 'start-kill.myshopify.com';
const KEY = 'start-kill-key';
const SECRET = 'shpss_start_kill_secret';
const STORE = { products: 250, variantsPerProduct: 3, customers: 250, orders: 250, locations: 2 }; // lists of 250 at most (the emulator's page)
/** The promise: progress moves again at most this long after the restart. */
const RESUMES_WITHIN_MS = 30_000;

let emu: RunningEmulator;
let setup: StartSetup;
let database: { drop(): Promise<void> } | undefined;
let current: RetailosProcess | undefined;

beforeAll(async () => {
  emu = await startEmulator([
    ...['--shop', SHOP, '--api-key', KEY, '--api-secret', SECRET, '--seed', '23'],
    ...['--products', String(STORE.products), '--variants-per-product', String(STORE.variantsPerProduct)],
    ...['--customers', String(STORE.customers), '--orders', String(STORE.orders)],
    ...['--locations', String(STORE.locations)],
  ]);
  const serverUrl = process.env['TEST_DATABASE_URL'];
  const fresh = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  database = fresh;
  setup = {
    dataDir: mkdtempSync(join(tmpdir(), 'rtl-start-kill-')),
    databaseUrl: fresh?.url,
    shopify: { emu, apiKey: KEY, apiSecret: SECRET },
    port: await freePort(),
    // Products, customers and orders export in Shopify id ranges (250 records: 5 ranges each).
    env: { SHOPIFY_IMPORT_RANGE_TAIL: '20' },
  };
}, 120_000);

afterAll(async () => {
  await current?.kill();
  await emu?.stop();
  await database?.drop();
  if (setup) rmSync(setup.dataDir, { recursive: true, force: true });
});

/** Records written so far, all resources but locations (written in one go before the rest). */
const written = (p: ImportJson): number =>
  p.resources.filter((r) => r.resource !== 'locations').reduce((n, r) => n + r.done, 0);

async function progress(b: Browser): Promise<ImportJson> {
  const res = await b.api<ImportJson>('GET', '/api/shopify/import');
  expect(res.status).toBe(200);
  return res.json;
}

describe('retailos start, killed with -9 while it imports', () => {
  it('moves again within 30 s of each restart and ends with exact counts', { timeout: 600_000 }, async () => {
    current = await startRetailos(setup);
    let b = new Browser(current.url);
    await b.login();
    await b.connect(SHOP);

    const kills: number[] = [];
    let before = 0; // records written when the previous life was killed
    for (const life of ['first', 'second']) {
      // Kill in the middle of writing: once this life has committed a batch more than the last one.
      const atKill = await eventually(
        `the ${life} life writes a batch`,
        async () => {
          const p = await progress(b);
          if (p.state === 'completed' || p.state === 'failed') throw new Error(`import ${p.state} too early`);
          const done = written(p);
          return done > before ? done : undefined;
        },
        240_000,
      );
      console.log(`kill -9 in the ${life} life, ${atKill} records written`);
      await current.kill();
      kills.push(atKill);

      current = await startRetailos(setup);
      b = new Browser(current.url);
      await b.login();
      const resumedFrom = written(await progress(b));
      expect(resumedFrom, 'committed batches survive the kill').toBeGreaterThanOrEqual(before);
      await eventually(
        'the import moves again after the restart',
        async () => {
          const p = await progress(b);
          return p.state === 'completed' || written(p) > resumedFrom;
        },
        RESUMES_WITHIN_MS,
      );
      console.log(`restarted from ${resumedFrom} records written: the import moves again`);
      before = Math.max(atKill, resumedFrom);
    }
    expect(kills).toHaveLength(2);

    const done = await eventually(
      'the import completes',
      async () => {
        const p = await progress(b);
        if (p.state === 'failed') throw new Error(`the import failed: ${p.reason}`);
        return p.state === 'completed' ? p : undefined;
      },
      300_000,
    );
    const levels = STORE.products * STORE.variantsPerProduct * STORE.locations;
    expect(done.resources.map((r) => [r.resource, r.state, r.done, r.parked])).toEqual([
      ['locations', 'completed', STORE.locations, 0],
      ['products', 'completed', STORE.products, 0],
      ['customers', 'completed', STORE.customers, 0],
      ['orders', 'completed', STORE.orders, 0],
      ['inventory', 'completed', levels, 0],
    ]);
    expect((await b.api<{ state: string }>('GET', '/api/shopify/connection')).json.state).toBe('syncing');
    expect(await current.stop()).toBe(0);
    current = undefined;

    await withStoppedDb(setup, async (db) => {
      const { rows } = await db.query<{ tenant_id: string }>(
        'select tenant_id from shopify_connections where shop = $1',
        [SHOP],
      );
      const tenantId = rows[0]?.tenant_id as string;
      await expectImported(db, emu, SHOP, tenantId); // field by field, each record once
      const run = await getLatestImport(db, tenantId);
      const ranges = await listRanges(db, run?.id as string);
      for (const resource of ['products', 'customers', 'orders']) {
        const mine = ranges.filter((r) => r.resource === resource);
        expect(mine.length, `${resource} ranges`).toBeGreaterThan(2);
        expect(mine.every((r) => r.state === 'completed')).toBe(true);
        expect(
          mine.reduce((n, r) => n + (r.total ?? 0), 0),
          `${resource} in its ranges`,
        ).toBe(250);
      }
      const links = await db.query<{ entity: string; n: number }>(
        'select entity, count(*)::int as n from shopify_links where tenant_id = $1 group by entity',
        [tenantId],
      );
      expect(Object.fromEntries(links.rows.map((r) => [r.entity, r.n]))).toMatchObject({
        location: STORE.locations,
        product: STORE.products,
        variant: STORE.products * STORE.variantsPerProduct,
        customer: STORE.customers,
        order: STORE.orders,
      });
      // No change rows (decision 0007); each record written once, named once in Sync History.
      expect(
        (
          await db.query<{ n: number }>('select count(*)::int as n from changes where tenant_id = $1', [
            tenantId,
          ])
        ).rows[0]?.n,
      ).toBe(0);
      expect(await expectWrittenOnce(db, tenantId)).toMatchObject({
        location: STORE.locations,
        product: STORE.products,
        customer: STORE.customers,
        order: STORE.orders,
      });
    });
  });
});
