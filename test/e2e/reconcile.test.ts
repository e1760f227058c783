import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/core/errors.ts';
import { listDifferences, type ReconcileRun } from '../../src/db/shopify-reconcile.ts';
import { listHistory } from '../../src/db/shopify-sync-history.ts';
import { installQueues } from '../../src/jobs/install.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import { executeRun, type RunOptions } from '../../src/sync/reconcile/run.ts';
import { requestRun } from '../../src/sync/reconcile/start.ts';
import type { RunReport } from '../../src/sync/reconcile/report.ts';
import {
  expectOk,
  mutationsOf,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';

const SHOP = 'reconcile.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  variants: {
    id: number;
    sku: string | null;
    price: string;
    inventory: { locationId: number; available: number }[];
  }[];
}

let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness(SHOP, [
    '--seed',
    '31',
    '--products',
    '8',
    '--customers',
    '3',
    '--orders',
    '2',
    '--locations',
    '1',
  ]);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
}, 240_000);
afterAll(async () => {
  await h?.close();
});

// The emulator runs its bulk exports at once; polling just yields to the event loop.
const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One run carried out by hand (as its job would), with an optional hook on its progress. */
async function reconcile(dryRun = false, onProgress?: RunOptions['onProgress']): Promise<ReconcileRun> {
  const run = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun, trigger: 'demand' });
  const done = await executeRun(h.t.deps, h.t.a.tenantId, run.id, {
    wait: yieldOnce,
    pollMs: 0,
    ...(onProgress ? { onProgress } : {}),
  });
  if (!done) throw new Error('the run is gone');
  return done;
}

const products = async (): Promise<EmuProduct[]> =>
  (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`)).products;

async function pick(n: number): Promise<EmuProduct> {
  const p = (await products())[n];
  if (!p) throw new Error(`no product #${n}`);
  return p;
}

async function localBySku(sku: string): Promise<ApiProduct | undefined> {
  const res = await h.api<{ items: ApiProduct[] }>('GET', `/api/products?sku=${encodeURIComponent(sku)}`);
  expectOk(res);
  return res.body.items[0];
}

const sku0 = (p: EmuProduct): string => p.variants[0]?.sku as string;

/** Webhooks lost from now on (the emulator drops every delivery). */
const dropWebhooks = () => h.emu.control('POST', '/faults', { webhookDropRate: 1 });
const faultsOff = () => h.emu.control('DELETE', '/faults');

/** A Retailos edit whose push is lost: its change is marked handed before the relay could queue it. */
async function losePushes(): Promise<void> {
  await h.t.db.query(`update changes set relayed_at = now() where tenant_id = $1 and relayed_at is null`, [
    h.t.a.tenantId,
  ]);
}

const historyCount = async (): Promise<number> =>
  (await listHistory(h.t.db, h.t.a.tenantId, {}, 10_000)).length;

const report = (r: ReconcileRun): RunReport => r.report as RunReport;

describe('daily drift reconciliation', () => {
  it('a store with no drift: the run compares every record and writes nothing', async () => {
    await h.settle();
    const before = await historyCount();
    const since = await h.lastCall();
    const run = await reconcile();
    expect(run.state).toBe('completed');
    const r = report(run);
    for (const kind of ['location', 'product', 'customer', 'order', 'inventory_level']) {
      const k = r.kinds[kind];
      expect(k?.compared, kind).toBeGreaterThan(0);
      expect(k?.equal, kind).toBe(k?.compared);
      expect(k?.shopify, kind).toEqual(k?.retailos);
    }
    expect(await historyCount()).toBe(before);
    expect(mutationsOf(await h.calls(since))).toEqual([
      'bulkOperationRunQuery',
      'bulkOperationRunQuery',
      'bulkOperationRunQuery',
      'bulkOperationRunQuery',
    ]);
    expect(await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100)).toEqual([]);
  });

  it('a title changed on Shopify whose webhook was lost is applied to Retailos, with a reconcile history entry', async () => {
    const p = await pick(0);
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, {
      title: 'Renamed while webhooks were lost',
    });
    await h.settle();
    expect((await localBySku(sku0(p)))?.title).toBe(p.title);
    await faultsOff();
    const run = await reconcile();
    const local = await localBySku(sku0(p));
    expect(local?.title).toBe('Renamed while webhooks were lost');
    expect(report(run).kinds['product']?.repaired).toEqual({ 'Shopify change not received': 1 });
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: local?.id }, 5);
    expect(history[0]).toMatchObject({
      origin: 'reconcile',
      direction: 'inbound',
      cause: 'Shopify change not received',
    });
    expect(report(run).kinds['product']?.shopify).toEqual(report(run).kinds['product']?.retailos);
  });

  it('a dry run lists the differences field by field and writes nothing', async () => {
    const p = await pick(1);
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Dry title' });
    await h.settle();
    await faultsOff();
    const before = await historyCount();
    const since = await h.lastCall();
    const run = await reconcile(true);
    expect(run.state).toBe('completed');
    const diffs = await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100);
    expect(diffs.map((d) => [d.entity, d.cause, d.state])).toEqual([
      ['product', 'shopify_changed', 'pending'],
    ]);
    expect(diffs[0]?.fields).toEqual([
      { path: 'title', base: p.title, retailos: p.title, shopify: 'Dry title' },
    ]);
    expect(await historyCount()).toBe(before);
    expect((await localBySku(sku0(p)))?.title).toBe(p.title);
    expect(mutationsOf(await h.calls(since)).filter((m) => m !== 'bulkOperationRunQuery')).toEqual([]);
    await reconcile(); // repaired for the next tests
    expect((await localBySku(sku0(p)))?.title).toBe('Dry title');
  });

  it('a Retailos edit whose push was lost is pushed; both sides changed are merged', async () => {
    const lost = await pick(2);
    const both = await pick(3);
    const l1 = (await localBySku(sku0(lost))) as ApiProduct;
    const l2 = (await localBySku(sku0(both))) as ApiProduct;
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${both.id}`, { title: 'Both: Shopify title' });
    expectOk(await h.api('PATCH', `/api/products/${l1.id}`, { title: 'Lost push title' }));
    expectOk(
      await h.api('PATCH', `/api/products/${l2.id}`, {
        variants: variantsBody(l2, (_v, i) => (i === 0 ? { price: '43.21' } : {})),
      }),
    );
    await losePushes();
    await h.settle();
    await faultsOff();
    expect((await pick(2)).title).toBe(lost.title);
    const run = await reconcile();
    expect((await pick(2)).title).toBe('Lost push title');
    const b = await pick(3);
    expect([b.title, b.variants[0]?.price]).toEqual(['Both: Shopify title', '43.21']);
    const lb = await localBySku(sku0(both));
    expect([lb?.title, lb?.variants[0]?.price]).toEqual(['Both: Shopify title', '43.21']);
    expect(report(run).kinds['product']?.repaired).toEqual({
      'push not delivered': 1,
      'changed on both sides, a change not synced': 1,
    });
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: l1.id }, 5);
    expect(history[0]).toMatchObject({
      origin: 'reconcile',
      direction: 'outbound',
      cause: 'push not delivered',
    });
  });

  it('a customer created on Shopify only is created in Retailos; a product deleted on Shopify is deleted in Retailos', async () => {
    const gone = await pick(4);
    await dropWebhooks();
    await h.emu.control('POST', `/shops/${SHOP}/customers`, {
      firstName: 'Only',
      lastName: 'OnShopify',
      email: 'only.on.shopify@example.com',
    });
    await h.emu.control('DELETE', `/shops/${SHOP}/products/${gone.id}`);
    await h.settle();
    await faultsOff();
    expect(await localBySku(sku0(gone))).toBeDefined();
    const run = await reconcile();
    expect(await localBySku(sku0(gone))).toBeUndefined();
    const customers = await h.api<{ items: { email: string | null }[] }>('GET', '/api/customers?limit=100');
    expect(customers.body.items.map((c) => c.email)).toContain('only.on.shopify@example.com');
    expect(report(run).kinds['customer']?.repaired).toEqual({ 'created on Shopify, never received': 1 });
    expect(report(run).kinds['product']?.repaired).toEqual({
      'deleted on Shopify, deletion not received': 1,
    });
  });

  it('never backwards: a record edited in Retailos after the run read it is left to live sync', async () => {
    const p = await pick(5);
    const local = (await localBySku(sku0(p))) as ApiProduct;
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, {
      title: 'Shopify title, read by the run',
    });
    await h.settle();
    await faultsOff();
    let edited = false;
    const run = await reconcile(false, async (prog) => {
      if (prog.phase !== 'compare' || prog.kind !== 'customer' || edited) return;
      edited = true;
      // After products were compared, before any repair: the merchant edits the product.
      expectOk(await h.api('PATCH', `/api/products/${local.id}`, { vendor: 'Edited during the run' }));
    });
    expect(edited).toBe(true);
    const diffs = await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100);
    expect(diffs.find((d) => d.localId === local.id)).toMatchObject({
      state: 'left_to_live_sync',
      outcome: 'left to live sync: edited in Retailos after the run read it',
    });
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: local.id }, 5);
    expect(history.filter((e) => e.origin === 'reconcile')).toEqual([]);
    // Live sync then pushes the edit, merged with Shopify's title.
    await h.settle();
    const after = await pick(5);
    expect(after.title).toBe('Shopify title, read by the run');
    expect((await localBySku(sku0(p)))?.title).toBe('Shopify title, read by the run');
  });

  it('a second run while one runs answers conflict naming it; a shop not syncing is refused', async () => {
    const first = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: true, trigger: 'demand' });
    const second = requestRun(h.t.deps, h.t.a.tenantId, { dryRun: true, trigger: 'demand' });
    await expect(second).rejects.toMatchObject({ kind: 'conflict', code: 'reconcile_running' });
    await expect(second).rejects.toThrow(first.id);
    await executeRun(h.t.deps, h.t.a.tenantId, first.id, { wait: yieldOnce, pollMs: 0 });
    const other = requestRun(h.t.deps, h.t.b.tenantId, { dryRun: false, trigger: 'demand' });
    await expect(other).rejects.toBeInstanceOf(CoreError);
    await expect(other).rejects.toMatchObject({ code: 'not_syncing' });
  });

  it('a Shopify outage mid-run fails the run with the reason, nothing half-applied; the retry repairs', async () => {
    const p = await pick(6);
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'After the outage' });
    await h.settle();
    await faultsOff();
    const before = await historyCount();
    const run = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: false, trigger: 'demand' });
    let outage = false;
    const opts: RunOptions = {
      wait: yieldOnce,
      pollMs: 0,
      onProgress: async (prog) => {
        if (prog.kind === 'customer' && !outage) {
          outage = true;
          await h.emu.control('POST', '/faults', { outage: true });
        }
      },
    };
    await expect(executeRun(h.t.deps, h.t.a.tenantId, run.id, opts)).rejects.toThrow();
    const failed = (await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100)).filter(
      (d) => d.state !== 'pending',
    );
    expect(failed).toEqual([]);
    expect(await historyCount()).toBe(before);
    expect((await localBySku(sku0(p)))?.title).toBe(p.title);
    await faultsOff();
    const retried = await executeRun(h.t.deps, h.t.a.tenantId, run.id, { wait: yieldOnce, pollMs: 0 });
    expect(retried?.state).toBe('completed');
    expect((await localBySku(sku0(p)))?.title).toBe('After the outage');
  });

  it('stock changed on Shopify with its webhook lost is counted, and a sale made during the run still counts', async () => {
    const last = (await products()).length - 1;
    const p = await pick(last);
    const sku = sku0(p);
    const emuLocation = p.variants[0]?.inventory[0]?.locationId as number;
    const locations = await h.api<{ items: { id: string }[] }>('GET', '/api/locations');
    const level = async () => {
      const res = await h.api<{ items: { variant_id: string; location_id: string; available: number }[] }>(
        'GET',
        `/api/inventory?sku=${encodeURIComponent(sku)}`,
      );
      return res.body.items[0] as { variant_id: string; location_id: string; available: number };
    };
    const remoteAvailable = async () =>
      (await pick(last)).variants[0]?.inventory.find((i) => i.locationId === emuLocation)?.available;
    expect(locations.body.items.length).toBe(1);
    await h.emu.control('POST', `/shops/${SHOP}/inventory/set`, {
      sku,
      locationId: emuLocation,
      quantity: 10,
    });
    await h.settle();
    const start = (await level()).available;
    expect(start).toBe(10);
    expect(await remoteAvailable()).toBe(start);
    await dropWebhooks();
    await h.emu.control('POST', `/shops/${SHOP}/inventory/adjust`, {
      sku,
      locationId: emuLocation,
      delta: 5,
    });
    await h.settle();
    await faultsOff();
    expect((await level()).available).toBe(start);
    let sold = false;
    const run = await reconcile(false, async (prog) => {
      if (prog.kind !== 'inventory_level' || sold) return;
      sold = true;
      const l = await level();
      expectOk(
        await h.api('POST', '/api/inventory/adjust', {
          variant_id: l.variant_id,
          location_id: l.location_id,
          delta: -2,
          reason: 'sale',
        }),
      );
    });
    expect(sold).toBe(true);
    expect(report(run).kinds['inventory_level']?.repaired).toEqual({ 'Shopify change not received': 1 });
    const levelEntries = await listHistory(h.t.db, h.t.a.tenantId, { entity: 'inventory_level' }, 5);
    expect(levelEntries.find((e) => e.origin === 'reconcile')).toMatchObject({
      direction: 'inbound',
      cause: 'Shopify change not received',
    });
    await h.settle();
    expect([(await level()).available, await remoteAvailable()]).toEqual([start + 3, start + 3]);
  });

  it('a customer created in Retailos whose push was lost is created on Shopify; one Shopify refuses is a dead letter and the run goes on', async () => {
    const made = await h.api<{ id: string }>('POST', '/api/customers', {
      first_name: 'Made',
      last_name: 'InRetailos',
      email: 'made.in.retailos@example.com',
    });
    expectOk(made, 201);
    const refused = await h.api<{ id: string }>('POST', '/api/customers', {
      first_name: 'Bad',
      last_name: 'Phone',
      email: 'bad.phone@example.com',
      phone: 'not a phone',
    });
    expectOk(refused, 201);
    await losePushes();
    await h.settle();
    const run = await reconcile();
    expect(run.state).toBe('completed');
    const emu = await h.emu.control<{ customers: { email: string | null }[] }>(
      'GET',
      `/shops/${SHOP}/customers?limit=250`,
    );
    expect(emu.customers.map((c) => c.email)).toContain('made.in.retailos@example.com');
    expect(emu.customers.map((c) => c.email)).not.toContain('bad.phone@example.com');
    const k = report(run).kinds['customer'];
    expect([k?.repaired, k?.failed]).toEqual([{ 'created in Retailos, never pushed': 1 }, 1]);
    const letters = await h.api<{ items: { local_id: string | null; last_error: string }[] }>(
      'GET',
      '/api/shopify/dead-letters',
    );
    const letter = letters.body.items.find((l) => l.local_id === refused.body.id);
    expect(letter?.last_error).toMatch(/Phone is invalid/);
    const history = await listHistory(h.t.db, h.t.a.tenantId, { localId: made.body.id }, 5);
    expect(history[0]).toMatchObject({
      origin: 'reconcile',
      action: 'create',
      cause: 'created in Retailos, never pushed',
    });
  });

  it('the API starts a run (202), refuses a second (409 naming it), lists runs and one run with its differences; another tenant sees none', async () => {
    const started = await h.api<{ id: string; state: string }>('POST', '/api/shopify/reconcile', {
      dry_run: true,
    });
    expectOk(started, 202);
    const again = await h.api<{ error: { code: string; message: string } }>(
      'POST',
      '/api/shopify/reconcile',
      {},
    );
    expect([again.status, again.body.error.code]).toEqual([409, 'reconcile_running']);
    expect(again.body.error.message).toContain(started.body.id);
    await executeRun(h.t.deps, h.t.a.tenantId, started.body.id, { wait: yieldOnce, pollMs: 0 });
    const runs = await h.api<{ items: { id: string; state: string }[]; next_run_at: string | null }>(
      'GET',
      '/api/shopify/reconcile/runs',
    );
    expectOk(runs);
    expect(runs.body.items.find((i) => i.id === started.body.id)).toMatchObject({ state: 'completed' });
    expect(runs.body.next_run_at).not.toBeNull();
    const one = await h.api<{ id: string; differences: unknown[]; report: { kinds: object } }>(
      'GET',
      `/api/shopify/reconcile/runs/${started.body.id}`,
    );
    expectOk(one);
    expect(Object.keys(one.body.report.kinds).sort()).toEqual([
      'customer',
      'inventory_level',
      'location',
      'order',
      'product',
    ]);
    const asB = (method: 'GET' | 'POST', url: string, payload?: object) =>
      h.t.app.inject({ method, url, headers: h.t.bearer(h.t.b), ...(payload ? { payload } : {}) });
    expect((await asB('GET', `/api/shopify/reconcile/runs/${started.body.id}`)).statusCode).toBe(404);
    expect((await asB('GET', '/api/shopify/reconcile/runs')).json()).toEqual({
      items: [],
      next_run_at: null,
    });
    const refused = await asB('POST', '/api/shopify/reconcile', {});
    expect([refused.statusCode, refused.json<{ error: { code: string } }>().error.code]).toEqual([
      422,
      'not_syncing',
    ]);
    expect((await h.api('GET', '/api/shopify/reconcile/runs/not-a-uuid')).status).toBe(422);
    expect((await h.api('POST', '/api/shopify/reconcile', { dry_run: 'yes' })).status).toBe(422);
  });

  it('retailos reconcile --dry-run --follow shows the run to its end and lists the differences field by field', async () => {
    const p = await pick(0);
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Seen by the CLI' });
    await h.settle();
    await faultsOff();
    const address = h.t.app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('the app does not listen');
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'retailos.js');
    const args = ['reconcile', '--dry-run', '--follow', '--url', `http://127.0.0.1:${address.port}`];
    let finished = false;
    const cli = new Promise<{ code: number; out: string; err: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, ...args, '--token', h.t.a.token],
        { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' }, timeout: 120_000 },
        (error, out, err) => {
          finished = true;
          resolve({ code: error ? Number(error.code ?? 1) : 0, out, err });
        },
      );
    });
    // This process is the server: its worker runs the queued run while the CLI follows it.
    while (!finished) {
      // A job queued in our own transaction starts at the database's now(): keep the queue's test
      // clock from lagging behind it (as the harness's settle does).
      const lag = Date.now() - h.bossClock.now();
      if (lag > 0) await h.bossClock.tick(lag + 1);
      await drainQueue(h.boss, shopifyReconcileJob as never, h.t.deps as never);
      await yieldOnce();
    }
    const r = await cli;
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^run [0-9a-f-]{36} started \(dry run\)\n/);
    expect(r.out).toMatch(/\(dry run\): completed in/);
    expect(r.out).toContain(`title: base "${p.title}" · Retailos "${p.title}" · Shopify "Seen by the CLI"`);
  }, 240_000); // a child process's start-up and its one-second polls, on a loaded machine

  it('a worker killed mid-repair: the run is taken up again and nothing is repaired twice', async () => {
    const [a, b] = [await pick(0), await pick(1)];
    await dropWebhooks();
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${a.id}`, { title: 'Killed run A' });
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${b.id}`, { title: 'Killed run B' });
    await h.settle();
    await faultsOff();
    const run = await requestRun(h.t.deps, h.t.a.tenantId, { dryRun: false, trigger: 'demand' });
    const killed = executeRun(h.t.deps, h.t.a.tenantId, run.id, {
      wait: yieldOnce,
      pollMs: 0,
      onProgress: (prog) => {
        if (prog.phase === 'repair') throw new Error('SIGKILL');
      },
    });
    await expect(killed).rejects.toThrow('SIGKILL');
    // A killed process marks nothing: the run is still running, and the last repair was made but its
    // difference not yet settled (the process died between the two).
    // (Only these two: a record still waiting behind an earlier test's dead letter differs too.)
    const ours = new Set([(await localBySku(sku0(a)))?.id, (await localBySku(sku0(b)))?.id]);
    const mine = async () =>
      (await listDifferences(h.t.db, h.t.a.tenantId, run.id, 100)).filter((d) => ours.has(d.localId ?? ''));
    const diffs = await mine();
    expect(diffs.map((d) => d.state)).toEqual(['repaired', 'repaired']);
    await h.t.db.query(
      `update shopify_reconcile_runs set state = 'running', finished_at = null where id = $1`,
      [run.id],
    );
    await h.t.db.query(
      `update shopify_reconcile_differences set state = 'pending', outcome = null where run_id = $1 and key = $2`,
      [run.id, diffs[1]?.key],
    );
    const resumed = await executeRun(h.t.deps, h.t.a.tenantId, run.id, { wait: yieldOnce, pollMs: 0 });
    expect(resumed?.state).toBe('completed');
    const after = await mine();
    expect(after.map((d) => d.state)).toEqual(['repaired', 'left_to_live_sync']);
    for (const d of after) {
      const entries = await listHistory(h.t.db, h.t.a.tenantId, { localId: d.localId ?? undefined }, 10);
      expect(
        entries.filter(
          (e) =>
            e.origin === 'reconcile' && e.after !== null && JSON.stringify(e.after).includes('Killed run'),
        ),
      ).toHaveLength(1);
    }
    expect((await localBySku(sku0(a)))?.title).toBe('Killed run A');
    expect((await localBySku(sku0(b)))?.title).toBe('Killed run B');
  });
});
