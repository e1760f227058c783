import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.ts';
import { resultPath } from './harness.ts';
import { storeSessionFor } from './store-session.ts';

/**
 * App › Shopify › Sync History in Chromium, against a store connected to the emulator and imported,
 * queues drained by the test (no sleeps). The seed's troubleshooting path: a change made on Shopify
 * is found by its SKU, and its entry shows before and after with the changed field marked.
 */
const SHOP = 'browser-history.myshopify.com';

interface EmuProduct {
  id: number;
  title: string;
  variants: { sku: string | null; price: string }[];
}

const s = storeSessionFor(SHOP, ['--seed', '17', '--products', '4', '--customers', '2', '--orders', '2']);

const openLoggedIn = (path: string, width?: number): Promise<Page> =>
  s.openLoggedIn(path, width === undefined ? {} : { width });

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await seriousViolations(page), what).toEqual([]);
}

const entries = (page: Page) => page.locator('.history-list > li');

describe('Sync History', () => {
  it('a Shopify change not showing → found in Sync History by its SKU, with its before and after', async () => {
    const products = await s.h.emu.control<{ products: EmuProduct[] }>(
      'GET',
      `/shops/${SHOP}/products?limit=250`,
    );
    const remote = products.products.find((p) => p.variants.some((v) => v.sku)) as EmuProduct;
    const sku = remote.variants.find((v) => v.sku)?.sku as string;
    const oldTitle = remote.title;
    // The merchant's change on Shopify's side, delivered as Shopify would (webhook), applied by the workers.
    await s.h.emu.control('PATCH', `/shops/${SHOP}/products/${remote.id}`, { title: 'Renamed on Shopify' });
    await s.h.settle();

    const page = await openLoggedIn('/app/shopify/history');
    await page.getByRole('heading', { name: 'Sync History' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill(sku);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === sku);
    // Newest first: the webhook's entry, then the import batch that brought the product in.
    const webhook = entries(page).filter({ hasText: 'Webhook' }).first();
    await webhook.getByRole('link', { name: 'Renamed on Shopify' }).waitFor();
    await expect(webhook.textContent()).resolves.toContain('Shopify → Retailos');
    await expect(entries(page).first().textContent()).resolves.toContain('Renamed on Shopify');
    // The import batch lists the product as it was imported.
    await entries(page).filter({ hasText: 'Imported' }).getByRole('link', { name: oldTitle }).waitFor();

    await webhook.getByRole('button', { name: /Show changes/ }).click();
    const titleRow = webhook.getByRole('row', { name: /^Title/ });
    await titleRow.waitFor();
    await expect(titleRow.getAttribute('class')).resolves.toContain('history-changed');
    await expect(titleRow.getByRole('cell').nth(0).textContent()).resolves.toBe(oldTitle);
    await expect(titleRow.getByRole('cell').nth(1).textContent()).resolves.toBe('Renamed on Shopify');
    // Only the changed field is listed, until every field is asked for (the others unmarked).
    await expect(webhook.getByRole('row').count()).resolves.toBe(2);
    await webhook.getByRole('button', { name: 'Show every field' }).click();
    await webhook.getByRole('row', { name: /^Handle/ }).waitFor();
    await expect(webhook.getByRole('row', { name: /^Handle/ }).getAttribute('class')).resolves.toBeNull();
    await expectAccessible(page, 'Sync History with an entry opened');
    await page.screenshot({ path: resultPath('sync-history-entry.png'), fullPage: true });
    expect(s.faults).toEqual([]);
  });

  it('keeps search and filters in the URL: reload restores them, Back returns to the previous search', async () => {
    const page = await openLoggedIn('/app/shopify/history');
    await entries(page).filter({ hasText: 'Webhook' }).first().waitFor();
    await page.getByLabel('Origin').selectOption('import');
    await page.waitForURL((u) => u.searchParams.get('origin') === 'import');
    await page
      .getByRole('status')
      .filter({ hasText: /^Showing/ })
      .waitFor();
    await expect.poll(() => entries(page).filter({ hasText: 'Webhook' }).count()).toBe(0);
    await expect.poll(() => entries(page).filter({ hasText: 'Imported' }).count()).toBeGreaterThan(0);
    await page.getByLabel('Search', { exact: true }).fill('Renamed on Shopify');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'Renamed on Shopify');
    // The import wrote the product under its old title: no import entry has the new one.
    await page.getByRole('status').filter({ hasText: 'No entry matches' }).waitFor();
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Search', { exact: true }).inputValue())
      .toBe('Renamed on Shopify');
    await expect.poll(() => page.getByLabel('Origin').inputValue()).toBe('import');
    await page.getByRole('status').filter({ hasText: 'No entry matches' }).waitFor();
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('q') && u.searchParams.get('origin') === 'import');
    await expect.poll(() => page.getByLabel('Search', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => page.getByLabel('Origin').inputValue()).toBe('import');
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/app/shopify/history' && u.search === '');
    await expect.poll(() => page.getByLabel('Origin').inputValue()).toBe('');
    expect(s.faults).toEqual([]);
  });

  it('at 390 px wide the search, filters and an opened entry stay within the screen', async () => {
    const page = await openLoggedIn('/app/shopify/history?origin=webhook', 390);
    const first = entries(page).first();
    await first.getByRole('button', { name: /Show changes/ }).click();
    await first.getByRole('row', { name: /^Title/ }).waitFor();
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);
    const search = await page.getByLabel('Search', { exact: true }).boundingBox();
    expect(search!.x + search!.width).toBeLessThanOrEqual(390);
    await expectAccessible(page, 'Sync History at 390 px');
    await page.screenshot({ path: resultPath('sync-history-390.png'), fullPage: true });
    expect(s.faults).toEqual([]);
  });

  it('a customer deleted in Retailos whom Shopify keeps (they have orders) → their entry says so', async () => {
    // A customer of Shopify's with no order yet, synced to Retailos.
    const customer = await s.h.emu.control<{ id: number; email: string }>(
      'POST',
      `/shops/${SHOP}/customers`,
      {
        email: 'kept@example.com',
        firstName: 'Kept',
      },
    );
    await s.h.settle();
    const { products } = await s.h.emu.control<{ products: { variants: { id: number }[] }[] }>(
      'GET',
      `/shops/${SHOP}/products?limit=250`,
    );
    // An order on Shopify that Retailos has not heard of when the merchant deletes the customer.
    await s.h.emu.control('POST', `/shops/${SHOP}/orders`, {
      lines: [{ variantId: products[0]?.variants[0]?.id, quantity: 1 }],
      customerId: customer.id,
    });
    const found = await s.h.api<{ items: { id: string }[] }>(
      'GET',
      `/api/customers?email=${encodeURIComponent(customer.email)}`,
    );
    expect((await s.h.api('DELETE', `/api/customers/${found.body.items[0]?.id}`)).status).toBe(204);
    await s.h.settle();

    const page = await openLoggedIn(`/app/shopify/history?q=${encodeURIComponent(customer.email)}`);
    await page.getByRole('heading', { name: 'Sync History' }).waitFor();
    const kept = entries(page).filter({ hasText: 'Shopify kept the customer: they have orders' });
    await kept.waitFor();
    await expect(kept.textContent()).resolves.toContain('Created customer');
    await expectAccessible(page, 'Sync History with a kept customer');
  });
});
