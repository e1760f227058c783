// The order page's shipping address: edited in the browser, refused beside its field when Shopify would
// not take it, and seen on the emulator once the push lands; usable and accessible at 390 px.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';
import { seriousViolations } from './axe.ts';
import { buildWebUi, launchChromium } from './harness.ts';

const SHOP = 'order-address.myshopify.com';

interface EmuOrder {
  id: number;
  name: string;
  shippingAddress: Record<string, string | null> | null;
}

let build: ReturnType<typeof buildWebUi>;
let h: SyncHarness;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  build = buildWebUi();
  h = await startSyncHarness(SHOP, ['--seed', '7', '--products', '2', '--customers', '2', '--orders', '2'], {
    app: { webDistDir: build.distDir },
  });
  const address = h.t.app.server.address();
  if (!address || typeof address === 'string') throw new Error(`unexpected address ${String(address)}`);
  url = `http://127.0.0.1:${address.port}`;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await h?.close();
  build?.remove();
});

/** A logged-in page; `faults` collects uncaught exceptions and console errors other than 4xx answers. */
async function loggedIn(width: number): Promise<{ page: Page; faults: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  const faults: string[] = [];
  page.on('pageerror', (err) => faults.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text()))
      faults.push(`console: ${msg.text()}`);
  });
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(h.t.a.email);
  await page.getByLabel('Password').fill(h.t.a.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/app/'));
  return { page, faults };
}

const section = (page: Page) => page.getByRole('region', { name: 'Shipping address', exact: true });

describe('the order page’s shipping address', () => {
  it('at 390 px: a bad country code is refused beside its field; the edited address reaches the emulator', async () => {
    const remote = (await h.emu.control<{ orders: EmuOrder[] }>('GET', `/shops/${SHOP}/orders`)).orders[0];
    if (!remote) throw new Error('no order');
    const orders = await h.api<{ items: { id: string; name: string }[] }>('GET', '/api/orders');
    const local = orders.body.items.find((o) => o.name === remote.name);
    if (!local) throw new Error(`no local order ${remote.name}`);

    const { page, faults } = await loggedIn(390);
    await page.goto(`${url}/app/orders/${local.id}`);
    await page.getByText('Last synced').first().waitFor();
    const address = section(page);
    await address.waitFor();
    expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page), 'order page at 390 px').toEqual([]);

    await address.getByLabel('First name').fill('Giulia');
    await address.getByLabel('Last name').fill('Conti');
    await address.getByLabel('Address', { exact: true }).fill('Via del Corso 12');
    await address.getByLabel('Apartment, suite, etc.').fill('');
    await address.getByLabel('City').fill('Roma');
    await address.getByLabel('Postal code').fill('00186');
    await address.getByLabel('Province or state code').fill('rm');
    const country = address.getByLabel('Country code');
    await country.fill('Italia');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await address.getByText('A two-letter country code such as "FR" or "US".').waitFor();
    expect(await country.getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page), 'order page with an address error').toEqual([]);

    await country.fill('it');
    await address.getByText('Italy.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved.', { exact: true }).waitFor();
    await h.settle();
    const after = await h.emu.control<EmuOrder>('GET', `/shops/${SHOP}/orders/${remote.id}`);
    expect(after.shippingAddress).toMatchObject({
      firstName: 'Giulia',
      lastName: 'Conti',
      address1: 'Via del Corso 12',
      address2: null,
      city: 'Roma',
      zip: '00186',
      provinceCode: 'RM',
      countryCode: 'IT',
    });
    expect(faults).toEqual([]);
  });

  it('an order changed since the page opened is not overwritten: the page says so, and saves after a reload', async () => {
    const orders = await h.api<{ items: { id: string }[] }>('GET', '/api/orders');
    const id = orders.body.items[1]?.id as string;
    const { page, faults } = await loggedIn(1280);
    await page.goto(`${url}/app/orders/${id}`);
    await section(page).waitFor();
    // Meanwhile, someone else changes the order's note.
    const other = await h.api<{ note: string }>('PATCH', `/api/orders/${id}`, { note: 'from another tab' });
    expect(other.status).toBe(200);

    await page.getByRole('textbox', { name: 'Note' }).fill('from this page');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByRole('alert')
      .getByText(
        'Not saved: this record changed since you opened it — reload the page to see the changes, then make your edit again.',
      )
      .waitFor();
    expect((await h.api<{ note: string }>('GET', `/api/orders/${id}`)).body.note).toBe('from another tab');
    expect(await seriousViolations(page), 'order page with a stale save').toEqual([]);

    await page.reload();
    await expect
      .poll(() => page.getByRole('textbox', { name: 'Note' }).inputValue())
      .toBe('from another tab');
    await page.getByRole('textbox', { name: 'Note' }).fill('from this page');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved.', { exact: true }).waitFor();
    expect((await h.api<{ note: string }>('GET', `/api/orders/${id}`)).body.note).toBe('from this page');
    expect(faults).toEqual([]);
  });
});
