import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { recordDeadLetter, settleDeadLetters } from '../../src/db/shopify-dead-letters.ts';
import { drainQueue } from '../../src/jobs/runner.ts';
import { shopifySubscriptionsCheckJob, shopifyWebhooksReregisterJob } from '../../src/jobs/shopify-sync.ts';
import { expectOk } from '../../test-support/sync.ts';
import { seriousViolations } from './axe.ts';
import { resultPath } from './harness.ts';
import { storeSessionFor } from './store-session.ts';

/**
 * App › Shopify's tabs in Chromium, against a store connected to the emulator and imported, with the
 * sync's queues drained by the test (no sleeps; the tabs refresh themselves and the test waits for
 * what they show). A webhook Shopify dropped is seen on Sync Health and registered again, with the
 * back-fill of what changed meanwhile; a dead letter is opened, replayed and discarded.
 */
const SHOP = 'browser-health.myshopify.com';

const s = storeSessionFor(SHOP, ['--seed', '12', '--products', '2', '--customers', '3', '--orders', '1']);

/** Opens `path` logged in (the login page comes first and sends the owner back to it). */
const openLoggedIn = (path: string, width?: number): Promise<Page> =>
  s.openLoggedIn(path, width === undefined ? {} : { width });

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Shopify sections' }).getByRole('link', { name, exact: true });

async function currentTab(page: Page): Promise<string | null> {
  return page
    .getByRole('navigation', { name: 'Shopify sections' })
    .locator('[aria-current="page"]')
    .textContent();
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await seriousViolations(page), what).toEqual([]);
}

const topicRow = (page: Page, topic: string) =>
  page.getByRole('table', { name: 'Webhooks' }).getByRole('row').filter({ hasText: topic });

/**
 * The re-registration is queued inside the check's transaction, so its start time is the database's
 * now(): the queue's test clock catches up before draining it (as the harness's settle does).
 */
async function dueNow(): Promise<void> {
  const lag = Date.now() - s.h.bossClock.now();
  if (lag > 0) await s.h.bossClock.tick(lag + 1);
}

describe('App › Shopify › Sync Health', () => {
  it('a missing webhook is seen on Sync Health and re-registered, with the back-fill of what changed meanwhile', async () => {
    const page = await openLoggedIn('/app/shopify/health');
    expect(await currentTab(page)).toBe('Sync Health');
    const verdict = page.getByTestId('verdict');
    await verdict.getByText('Healthy: every webhook active, nothing waiting').waitFor();
    await topicRow(page, 'customers/update').getByText('active', { exact: true }).waitFor();
    await expectAccessible(page, 'Sync Health, healthy');

    // Shopify drops the subscription; a customer changes on Shopify meanwhile, and no webhook says so.
    const { rows } = await s.h.t.db.query<{ subscription_gid: string }>(
      `select subscription_gid from shopify_webhook_subscriptions where tenant_id = $1 and topic = 'CUSTOMERS_UPDATE'`,
      [s.h.t.a.tenantId],
    );
    const gid = rows[0]?.subscription_gid as string;
    await s.h.emu.control('DELETE', `/shops/${SHOP}/webhook-subscriptions/${gid.split('/').pop()}`);
    const [c] = (await s.h.emu.control<{ customers: { id: number }[] }>('GET', `/shops/${SHOP}/customers`))
      .customers;
    await s.h.emu.control('PATCH', `/shops/${SHOP}/customers/${c?.id}`, { note: 'changed while unheard' });
    await s.h.settle();

    // The periodic check (run here at once) finds it missing: the tab says so in words.
    await s.h.boss.send(shopifySubscriptionsCheckJob.name, { tenantId: s.h.t.a.tenantId });
    expect(await drainQueue(s.h.boss, shopifySubscriptionsCheckJob as never, s.h.t.deps as never)).toBe(1);
    await verdict.getByText('1 webhook missing — re-registering').waitFor();
    expect(await verdict.textContent()).toContain('Needs attention');
    const row = topicRow(page, 'customers/update');
    await row.getByText('missing', { exact: true }).waitFor();
    await row.getByText(/^Missing on Shopify since .* — re-registering$/).waitFor();
    await expectAccessible(page, 'Sync Health, a webhook missing');
    await page.screenshot({ path: resultPath('sync-health-missing.png'), fullPage: true });

    // Its re-registration runs: active again, and what changed meanwhile was read back from Shopify.
    await dueNow();
    expect(await drainQueue(s.h.boss, shopifyWebhooksReregisterJob as never, s.h.t.deps as never)).toBe(1);
    await s.h.settle();
    await row.getByText('active', { exact: true }).waitFor();
    await row.getByText(/^Back-filled \d+ records? changed since /).waitFor();
    await row.getByText(/^Re-registered /).waitFor();
    await verdict.getByText('Healthy: every webhook active, nothing waiting').waitFor();
    const customers = await s.h.api<{ items: { note: string }[] }>('GET', '/api/customers');
    expect(customers.body.items.map((x) => x.note)).toContain('changed while unheard');
    await page.screenshot({ path: resultPath('sync-health-reregistered.png'), fullPage: true });
    expect(s.faults).toEqual([]);
  });

  it('each tab has its own address: a deep link opens it, Back returns to the previous tab, and each passes axe', async () => {
    const page = await openLoggedIn('/app/shopify/health');
    expect(await currentTab(page)).toBe('Sync Health');
    await page.getByRole('heading', { name: 'Verdict' }).waitFor();
    await page.getByRole('region', { name: 'Reconciliation' }).getByText('None has run yet').waitFor();

    await tab(page, 'Overview').click();
    await page.waitForURL(`${s.url}/app/shopify`);
    await page.getByRole('heading', { name: 'Connection' }).waitFor();
    await page.getByTestId('verdict').getByText('Healthy: every webhook active, nothing waiting').waitFor();
    expect(await currentTab(page)).toBe('Overview');
    await expectAccessible(page, 'Overview');

    await tab(page, 'Sync History').click();
    await page.waitForURL(`${s.url}/app/shopify/history`);
    expect(await currentTab(page)).toBe('Sync History');
    await expectAccessible(page, 'Sync History');

    await tab(page, 'Dead letters').click();
    await page.waitForURL(`${s.url}/app/shopify/dead-letters`);
    await page.getByText('None open: every change reached its side.').waitFor();
    await expectAccessible(page, 'Dead letters');

    await page.goBack();
    await page.waitForURL(`${s.url}/app/shopify/history`);
    expect(await currentTab(page)).toBe('Sync History');
    await page.goBack();
    await page.waitForURL(`${s.url}/app/shopify`);
    expect(await currentTab(page)).toBe('Overview');
    await page.goBack();
    await page.waitForURL(`${s.url}/app/shopify/health`);
    expect(await currentTab(page)).toBe('Sync Health');

    // The tabs are reachable from the keyboard.
    await tab(page, 'Dead letters').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s.url}/app/shopify/dead-letters`);
    expect(s.faults).toEqual([]);
  });

  it('at 390 px wide the tabs and Sync Health stay within the screen', async () => {
    const page = await openLoggedIn('/app/shopify/health', 390);
    await page.getByTestId('verdict').waitFor();
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);
    const nav = await page.getByRole('navigation', { name: 'Shopify sections' }).boundingBox();
    expect(nav!.x + nav!.width).toBeLessThanOrEqual(390);
    await tab(page, 'Dead letters').scrollIntoViewIfNeeded();
    await tab(page, 'Dead letters').click();
    await page.waitForURL(`${s.url}/app/shopify/dead-letters`);
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: resultPath('shopify-tabs-390.png'), fullPage: true });
  });
});

describe('App › Shopify › Dead letters', () => {
  it('shows a refused change with every attempt; Replay keeps one letter with the new attempt; Discard closes it', async () => {
    // Shopify holds an e-mail Retailos does not know (its webhooks dropped): a change to it is refused.
    await s.h.emu.control('POST', '/faults', { webhookDropRate: 1 });
    await s.h.emu.control('POST', `/shops/${SHOP}/customers`, {
      email: 'taken@example.com',
      firstName: 'Other',
    });
    await s.h.settle();
    await s.h.emu.control('DELETE', '/faults');
    const local = await s.h.api<{ items: { id: string; first_name: string; last_name: string }[] }>(
      'GET',
      '/api/customers',
    );
    const customer = local.body.items[1];
    if (!customer) throw new Error('no customer');
    expectOk(await s.h.api('PATCH', `/api/customers/${customer.id}`, { email: 'taken@example.com' }));
    await s.h.settle();
    const name = `${customer.first_name} ${customer.last_name}`.trim();

    const page = await openLoggedIn('/app/shopify/dead-letters');
    const list = page.getByRole('table', { name: 'Dead letters' });
    const row = list.getByRole('row').filter({ hasText: name });
    await row.getByText('Email has already been taken', { exact: false }).waitFor();
    await expectAccessible(page, 'Dead letters with one open');
    await row.getByRole('link', { name }).click();
    await page.waitForURL(/\/app\/shopify\/dead-letters\/\d+$/);
    const detailUrl = page.url();
    await page.getByRole('heading', { name, level: 2 }).waitFor();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    expect(await attempts.getByRole('row').count()).toBe(2); // the header and one attempt
    await expectAccessible(page, 'A dead letter');

    // Replayed before the fix: refused again; the same letter shows both attempts with their errors.
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.getByText('Replayed: if it fails again', { exact: false }).waitFor();
    await s.h.settle();
    await attempts.getByRole('row').nth(2).waitFor();
    expect(await attempts.getByRole('row').count()).toBe(3);
    expect(await attempts.getByRole('row').nth(2).textContent()).toContain('Email has already been taken');
    expect(page.url()).toBe(detailUrl);
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await page.getByText('Discarded', { exact: true }).first().waitFor();

    await page.getByRole('link', { name: 'Dead letters', exact: true }).first().click();
    await page.getByText('None open: every change reached its side.').waitFor();
    await page.getByLabel('Show').selectOption('discarded');
    await page.waitForURL(`${s.url}/app/shopify/dead-letters?state=discarded`);
    await list.getByRole('row').filter({ hasText: name }).waitFor();
    await page.screenshot({ path: resultPath('dead-letters.png'), fullPage: true });
    expect(s.faults).toEqual([]);
  });

  it('pages through many letters by address: Older and Newest, and Back', async () => {
    const now = new Date();
    for (let i = 1; i <= 51; i += 1)
      await recordDeadLetter(
        s.h.t.db,
        s.h.t.a.tenantId,
        {
          direction: 'inbound',
          entity: 'product',
          localId: null,
          gid: `gid://shopify/Product/${900000 + i}`,
          displayName: `Paged product ${i}`,
          job: 'shopify.apply-webhooks',
          payload: {},
          errorClass: 'mapping',
          error: 'the payload has no title',
          attempts: 1,
        },
        now,
      );
    const page = await openLoggedIn('/app/shopify/dead-letters');
    const rows = page.getByRole('table', { name: 'Dead letters' }).getByRole('row');
    await page.getByText('Paged product 51', { exact: true }).waitFor();
    expect(await rows.count()).toBe(51); // the header and the newest 50
    await page.getByRole('link', { name: 'Older', exact: true }).click();
    await page.waitForURL(/\/app\/shopify\/dead-letters\?cursor=\d+$/);
    await page.getByText('Paged product 1', { exact: true }).waitFor();
    expect(await rows.count()).toBe(2);
    await page.goBack();
    await page.getByText('Paged product 51', { exact: true }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    await settleDeadLetters(s.h.t.db, s.h.t.a.tenantId, 'all', 'discarded', new Date());
    expect(s.faults).toEqual([]);
  });
});
