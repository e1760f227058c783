import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceCheckpoint,
  createImport,
  patchResource,
  setImportState,
} from '../../src/db/shopify-imports.ts';
import type { ShopifyWiring } from '../../src/deps.ts';
import { setConnectionState } from '../../src/db/shopify-connections.ts';
import { recordDeadLetter } from '../../src/db/shopify-dead-letters.ts';
import { createSecretBox } from '../../src/shopify/secret-box.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import { buildWebUi, launchChromium, resultPath, startUiServer, type UiServer } from './harness.ts';

const SHOP = 'browser-e2e.myshopify.com';
const API_KEY = 'retailos-browser-key';
const API_SECRET = 'shpss_retailos_browser_secret';

let build: ReturnType<typeof buildWebUi>;
let emu: RunningEmulator;
let server: UiServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Uncaught exceptions and CSP violations seen by any page: there must be none. */
const pageFaults: string[] = [];

beforeAll(async () => {
  build = buildWebUi();
  emu = await startEmulator([
    '--shop',
    SHOP,
    '--api-key',
    API_KEY,
    '--api-secret',
    API_SECRET,
    '--products',
    '3',
    '--seed',
    '7',
  ]);
  const shopify: ShopifyWiring = {
    // appUrl is replaced by the server's own URL once it listens.
    app: {
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: 'http://127.0.0.1:9',
      shopOriginTemplate: emu.shopOriginTemplate,
      apiVersion: '2026-04',
      scopes: requestedScopes(false),
    },
    secretBox: createSecretBox(randomBytes(32), randomBytes),
    // As `start` wires its demo emulator: the store to connect is named to the merchant.
    demoShop: SHOP,
  };
  server = await startUiServer({ distDir: build.distDir, shopify });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await emu?.stop();
  build?.remove();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageFaults.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text()))
      pageFaults.push(`csp: ${msg.text()}`);
  });
  return page;
}

async function logIn(page: Page, password = server.owner.password): Promise<void> {
  await page.getByLabel('Email').fill(server.owner.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

const badge = (page: Page, text: string) =>
  page.getByTestId('connection-state').getByText(text, { exact: true });

describe('the login page', () => {
  it('shows the API’s refusal for a wrong password and stays on the login page', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/login`);
    await logIn(page, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.getByText('Wrong email or password. Check both and try again.').waitFor();
    expect(await alert.textContent()).not.toContain('invalid_credentials');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByLabel('Password').inputValue()).toBe('not-the-password');
  });

  it('after too many failed attempts says so in words, with when to try again', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/login`);
    // Another address than the owner's, so the owner's own logins are not throttled by this test.
    await page.getByLabel('Email').fill('nobody@browser.example');
    await page.getByLabel('Password').fill('wrong');
    const alert = page.getByRole('alert');
    const limited = alert.getByText(/^Too many login attempts\. Try again in \d+ min \d+ s\.$/);
    for (let attempt = 1; attempt <= 10 && !(await limited.count()); attempt++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await page.getByRole('button', { name: 'Log in' }).click();
      await answered;
      await page.getByRole('button', { name: 'Log in' }).and(page.locator(':enabled')).waitFor();
    }
    await limited.waitFor();
    expect(await alert.textContent()).not.toContain('rate_limited');
  });
});

/** Every console error of the page, and every response of 400 or more it received. */
function watchErrors(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) seen.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  return seen;
}

describe('App > Shopify before any import', () => {
  it('loads without a console error or a refused request', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/login?next=%2Fapp%2Fshopify`);
    await logIn(page);
    await page.waitForURL(`${server.url}/app/shopify`);
    await badge(page, 'Not connected').waitFor();
    // Watched from here on: the login page's own check of the session (401 before logging in) is not this page's.
    const errors = watchErrors(page);
    await page.reload();
    await badge(page, 'Not connected').waitFor();
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });

  it('names the demo store to connect and fills it in', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/login?next=%2Fapp%2Fshopify`);
    await logIn(page);
    await badge(page, 'Not connected').waitFor();
    expect(await page.getByTestId('demo-shop').textContent()).toContain(`demo Shopify store, ${SHOP}`);
    expect(await page.getByLabel('Shop domain').inputValue()).toBe(SHOP);
  });
});

describe('App > Shopify', () => {
  let page: Page;

  it('logs in, connects a store through Shopify’s consent page and shows the connection', async () => {
    page = await newPage();
    await page.goto(`${server.url}/app/shopify`);
    await page.waitForURL(`${server.url}/login?next=%2Fapp%2Fshopify`);
    await logIn(page);
    await page.waitForURL(`${server.url}/app/shopify`);
    await page.getByRole('heading', { name: 'Shopify', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Shopify' }).getAttribute('aria-current')).toBe('page');
    await badge(page, 'Not connected').waitFor();

    await page.getByLabel('Shop domain').fill(SHOP);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/admin/oauth/authorize'));
    expect(await page.content()).toContain('write_products');
    await page.getByRole('button', { name: 'Install app' }).click();

    await page.waitForURL(
      (u) =>
        u.origin === server.url && u.pathname === '/app/shopify' && u.searchParams.get('connected') === SHOP,
    );
    await badge(page, 'Importing').waitFor();
    await page.getByRole('status').getByText(`Connected to ${SHOP}.`).waitFor();
    await page
      .getByRole('list', { name: 'Granted scopes' })
      .getByText('write_products', { exact: true })
      .waitFor();
    await page.getByText('None: Shopify granted every scope Retailos asked for.').waitFor();
    expect(await page.getByText(SHOP, { exact: true }).count()).toBeGreaterThan(0);

    // The progress section shows what the import writes (no worker runs here: the test writes the
    // checkpoints the import job would), refreshed every second while the connection is importing.
    const { run } = await createImport(server.db, server.owner.tenantId, new Date());
    await setImportState(server.db, run.id, 'running', null, new Date());
    await patchResource(
      server.db,
      run.id,
      'products',
      { state: 'running', total: 120, mode: 'bulk' },
      new Date(),
    );
    const checkpoint = { linesDone: 0, bytesDone: 0, done: 30, parked: 0 };
    await advanceCheckpoint(server.db, run.id, 'products', checkpoint, new Date());
    await page.getByRole('heading', { name: 'Initial import' }).waitFor();
    const products = page.getByRole('row').filter({ hasText: 'products' });
    await products.getByText('30 / 120').waitFor();
    await products.getByText('Bulk export').waitFor();
    await advanceCheckpoint(
      server.db,
      run.id,
      'products',
      { ...checkpoint, done: 60, parked: 2 },
      new Date(),
    );
    await products.getByText('90 / 120').waitFor();
    await products.getByText('2 parked').waitFor();
    expect(await products.getByText('76%').count()).toBe(1);
    const facts = page.getByRole('region', { name: 'Initial import' }).locator('dl');
    await facts.getByText('Time left', { exact: true }).waitFor();

    // Once finished: its average rate (records over the whole run), and no "time left" beside it.
    await setImportState(server.db, run.id, 'completed', null, new Date());
    await facts.getByText('Average rate', { exact: true }).waitFor();
    expect(await facts.textContent()).toMatch(/Average rate\d[\d,.]* records\/s/);
    expect(await facts.getByText('Time left', { exact: true }).count()).toBe(0);

    const shot = resultPath('shopify-connected.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
  });

  it('disconnects only after confirmation, and then offers to connect again', async () => {
    await page.getByRole('button', { name: 'Disconnect…' }).click();
    const dialog = page.getByRole('alertdialog', { name: `Disconnect ${SHOP}?` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await badge(page, 'Importing').waitFor();

    await page.getByRole('button', { name: 'Disconnect…' }).click();
    await dialog.getByRole('button', { name: 'Yes, disconnect' }).click();
    await badge(page, 'Disconnected').waitFor();
    expect(await page.getByLabel('Shop domain').inputValue()).toBe(SHOP);
    expect(pageFaults).toEqual([]);
  });

  it('connects again when the session ended on Shopify’s consent screen: log in, and the connect completes', async () => {
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/admin/oauth/authorize'));
    await page.context().clearCookies(); // the Retailos session ends meanwhile
    await page.getByRole('button', { name: 'Install app' }).click();
    await page.waitForURL((u) => u.origin === server.url && u.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toMatch(/^\/shopify\/callback\?/);
    await logIn(page);
    await page.waitForURL(
      (u) =>
        u.origin === server.url && u.pathname === '/app/shopify' && u.searchParams.get('connected') === SHOP,
    );
    await badge(page, 'Importing').waitFor();
    await page.getByRole('status').getByText(`Connected to ${SHOP}.`).waitFor();
    expect(pageFaults).toEqual([]);
  });

  it('shows each dead letter’s reason on the Dead letters tab while syncing, and discards one', async () => {
    const now = new Date();
    await setConnectionState(server.db, server.owner.tenantId, 'syncing', null, now);
    await recordDeadLetter(
      server.db,
      server.owner.tenantId,
      {
        direction: 'outbound',
        entity: 'customer',
        localId: null,
        gid: null,
        displayName: 'taken@example.com',
        job: 'shopify.push',
        payload: {},
        errorClass: 'shopify_user_errors',
        error: 'Shopify refused the customer taken@example.com: email: Email has already been taken',
        attempts: 1,
      },
      now,
    );
    await page.getByRole('link', { name: 'Dead letters', exact: true }).click();
    await page.waitForURL(`${server.url}/app/shopify/dead-letters`);
    const table = page.getByRole('table', { name: 'Dead letters' });
    const row = table.getByRole('row').filter({ hasText: 'taken@example.com' });
    await row.getByText('Email has already been taken', { exact: false }).waitFor();
    expect(await row.textContent()).toContain('To Shopify');
    await page.screenshot({ path: resultPath('sync-health.png'), fullPage: true });
    await row.getByRole('button', { name: 'Discard' }).click();
    await page.getByText('None open: every change reached its side.').waitFor();
    expect(pageFaults).toEqual([]);
  });
});

describe('back-office lists', () => {
  async function post(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { ...server.bearer, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }

  it('lists and searches the products, customers and orders the API holds', async () => {
    await post('/api/products', {
      title: 'Linen Apron',
      vendor: 'Atelier North',
      variants: [{ sku: 'APR-1', price: '24.00' }],
    });
    await post('/api/products', { title: 'Canvas Tote', variants: [{ sku: 'TOTE-1', price: '18.50' }] });
    await post('/api/customers', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com' });
    await post('/api/orders', {
      currency: 'EUR',
      email: 'ada@example.com',
      line_items: [{ title: 'Linen Apron', quantity: 2, unit_price: '24.00' }],
    });

    const page = await newPage();
    await page.goto(`${server.url}/app/products`);
    await logIn(page);
    await page.waitForURL(`${server.url}/app/products`);
    await page.getByRole('cell', { name: /Canvas Tote/ }).waitFor();
    await page.getByRole('cell', { name: /Linen Apron/ }).waitFor();

    await page.getByLabel('Search products').fill('apron');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').getByText('Showing 1 product.').waitFor();
    expect(await page.getByRole('cell', { name: /Canvas Tote/ }).count()).toBe(0);
    await page.getByLabel('Search products').fill('no-such-thing');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No products match “no-such-thing”.').waitFor();

    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('cell', { name: 'Ada Lovelace' }).waitFor();
    await page.getByRole('cell', { name: 'ada@example.com' }).waitFor();

    await page.getByRole('link', { name: 'Orders' }).click();
    const row = page.getByRole('row').filter({ hasText: '#1001' });
    await row.waitFor();
    expect(await row.textContent()).toContain('ada@example.com');
    expect(pageFaults).toEqual([]);
  });
});

describe('at 390 px wide', () => {
  it('keeps Log out and Search on screen, and tables scroll inside their own box', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/app/products`);
    await logIn(page);
    await page.waitForURL(`${server.url}/app/products`);
    await page.getByRole('cell', { name: /Linen Apron/ }).waitFor();

    const inViewport = async (name: string): Promise<void> => {
      const box = await page.getByRole('button', { name, exact: true }).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x, name).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(390);
    };
    const documentWidth = () => page.locator('html').evaluate((html) => html.scrollWidth);

    await inViewport('Log out');
    await inViewport('Search');
    expect(await documentWidth()).toBeLessThanOrEqual(390);
    // The products table is wider than the screen: it scrolls inside its own box, which stays on screen.
    const wrap = await page.getByRole('table').evaluate((t) => {
      const box = t.parentElement!;
      return { scrolls: box.scrollWidth > box.clientWidth, right: box.getBoundingClientRect().right };
    });
    expect(wrap.scrolls).toBe(true);
    expect(wrap.right).toBeLessThanOrEqual(390);
    await page.screenshot({ path: resultPath('products-390.png'), fullPage: true });

    for (const [link, cell] of [
      ['Orders', '#1001'],
      ['Shopify', null],
    ] as const) {
      await page.getByRole('link', { name: link }).click();
      if (cell) await page.getByRole('row').filter({ hasText: cell }).waitFor();
      else await page.getByRole('heading', { name: 'Initial import' }).waitFor();
      await inViewport('Log out');
      expect(await documentWidth(), link).toBeLessThanOrEqual(390);
    }
  });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
});
