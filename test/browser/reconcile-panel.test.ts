import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQueues } from '../../src/jobs/install.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifyReconcileJob } from '../../src/jobs/shopify-reconcile.ts';
import { startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';
import { seriousViolations } from './axe.ts';
import { buildWebUi, launchChromium } from './harness.ts';
import { serveUiFor } from './sync-ui.ts';

/**
 * App › Shopify › Overview's drift reconciliation in Chromium, against a store connected to the
 * emulator: "Show differences" lists a title Shopify changed while its webhook was lost, field by
 * field, and writes nothing; "Reconcile now" repairs it. The test's worker carries out the queued run.
 */
const SHOP = 'browser-reconcile.myshopify.com';

let build: ReturnType<typeof buildWebUi>;
let h: SyncHarness;
let ui: { url: string; close(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
const faults: string[] = [];

beforeAll(async () => {
  build = buildWebUi();
  h = await startSyncHarness(SHOP, ['--seed', '14', '--products', '2', '--customers', '1', '--orders', '1']);
  await installQueues(h.boss, [shopifyReconcileJob as never]);
  ui = await serveUiFor(h, build.distDir);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await ui?.close();
  await h?.close();
  build?.remove();
});

async function openOverview(): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => faults.push(`uncaught: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 500) faults.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(`${ui.url}/app/shopify`);
  await page.waitForURL((u) => u.pathname === '/login');
  await page.getByLabel('Email').fill(h.t.a.email);
  await page.getByLabel('Password').fill(h.t.a.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${ui.url}/app/shopify`);
  return page;
}

/** Carries out the run the button queued (this process is the server's worker). */
async function workQueuedRun(): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    // A job queued in our own transaction starts at the database's now(): keep the queue's test clock
    // from lagging behind it (as the harness's settle does).
    const lag = Date.now() - h.bossClock.now();
    if (lag > 0) await h.bossClock.tick(lag + 1);
    if ((await drainQueue(h.boss, shopifyReconcileJob as never, h.t.deps as never)) > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('no reconciliation run was queued');
}

describe('drift reconciliation panel', () => {
  it('"Show differences" lists a lost Shopify change field by field; "Reconcile now" repairs it', async () => {
    const products = await h.emu.control<{ products: { id: number; title: string }[] }>(
      'GET',
      `/shops/${SHOP}/products?limit=10`,
    );
    const p = products.products[0];
    if (!p) throw new Error('no product');
    await h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    await h.emu.control('PATCH', `/shops/${SHOP}/products/${p.id}`, { title: 'Renamed on Shopify' });
    await h.settle();
    await h.emu.control('DELETE', '/faults');

    const page = await openOverview();
    const panel = page.getByRole('region', { name: 'Drift reconciliation' });
    await panel.getByRole('button', { name: 'Show differences' }).click();
    await workQueuedRun();
    const table = panel.getByRole('table', { name: 'Differences found by the dry run, field by field' });
    const row = table.getByRole('row').filter({ hasText: 'title' });
    await row.waitFor();
    expect(await row.textContent()).toContain('Renamed on Shopify');
    expect(await row.textContent()).toContain(p.title);
    expect(await panel.getByRole('status').first().textContent()).toContain('dry run: nothing written');
    expect(await seriousViolations(page)).toEqual([]);

    // The merchant reads the differences before clicking on: the test's clock moves as time would (the
    // runs are listed newest first by their start; on a clock that stood still the two would tie).
    h.t.clock.advance(5_000);
    await panel.getByRole('button', { name: 'Reconcile now' }).click();
    await workQueuedRun();
    await panel.getByText(/differed, 1 repaired/).waitFor();
    const local = await h.api<{ items: { title: string }[] }>('GET', '/api/products?q=Renamed');
    expect(local.body.items.map((x) => x.title)).toEqual(['Renamed on Shopify']);
    expect(faults).toEqual([]);
  });
});
