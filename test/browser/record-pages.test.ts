import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDeadLetter } from '../../src/db/shopify-dead-letters.ts';
import { shopSessionFor } from '../../src/sync/shop-session.ts';
import {
  expectOk,
  startSyncHarness,
  variantsBody,
  type ApiProduct,
  type SyncHarness,
} from '../../test-support/sync.ts';
import { seriousViolations } from './axe.ts';
import { buildWebUi, launchChromium, resultPath } from './harness.ts';

const SHOP = 'record-pages.myshopify.com';

interface EmuProduct {
  gid: string;
  title: string;
  variants: { sku: string | null; price: string }[];
}

let build: ReturnType<typeof buildWebUi>;
let h: SyncHarness;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  build = buildWebUi();
  h = await startSyncHarness(
    SHOP,
    ['--seed', '11', '--products', '4', '--customers', '2', '--orders', '3', '--locations', '2'],
    { app: { webDistDir: build.distDir } },
  );
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

/** A logged-in page; `faults` collects uncaught exceptions and console errors (network refusals apart). */
async function loggedIn(width = 1280): Promise<{ page: Page; faults: string[]; refused: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  const faults: string[] = [];
  const refused: string[] = [];
  page.on('pageerror', (err) => faults.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs each 4xx answer as "Failed to load resource"; those are counted in `refused`.
    if (/^Failed to load resource/.test(msg.text())) refused.push(msg.text());
    else faults.push(`console: ${msg.text()}`);
  });
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(h.t.a.email);
  await page.getByLabel('Password').fill(h.t.a.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/app/'));
  // The login page's own look at the session (401 before logging in) is not the pages' under test.
  refused.length = 0;
  return { page, faults, refused };
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await seriousViolations(page), what).toEqual([]);
}

async function remoteProducts(): Promise<EmuProduct[]> {
  return (await h.emu.control<{ products: EmuProduct[] }>('GET', `/shops/${SHOP}/products?limit=250`))
    .products;
}

/** A variant's price as Shopify's Admin API answers it (GraphQL, with the connection's own token). */
async function shopifyPrice(productGid: string, sku: string): Promise<string | undefined> {
  const session = await shopSessionFor(h.t.deps, h.t.a.tenantId);
  if (!session) throw new Error('the store is not connected');
  const origin = h.emu.shopOriginTemplate.replace('{shop}', SHOP);
  const res = await fetch(`${origin}/admin/api/2026-04/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': session.accessToken },
    body: JSON.stringify({
      query: 'query($id: ID!) { product(id: $id) { variants(first: 50) { nodes { sku price } } } }',
      variables: { id: productGid },
    }),
  });
  const body = (await res.json()) as {
    data?: { product: { variants: { nodes: { sku: string | null; price: string }[] } } | null };
  };
  return body.data?.product?.variants.nodes.find((v) => v.sku === sku)?.price;
}

const section = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const variant = (page: Page, n: number) => page.getByRole('group', { name: new RegExp(`^Variant ${n}\\b`) });
/** One fact of the record's sync state (its <dt> names it). */
const fact = (page: Page, name: string) =>
  page
    .getByTestId('sync-state')
    .locator('div')
    .filter({ has: page.locator('dt').getByText(name, { exact: true }) });
const saved = (page: Page) => page.getByRole('status').getByText('Saved.', { exact: true });

describe('the product page', () => {
  it('a price edited on the product page reaches the emulator', async () => {
    const remote = (await remoteProducts())[0] as EmuProduct;
    const sku = remote.variants[0]?.sku as string;
    const { page, faults } = await loggedIn();
    await page.goto(`${url}/app/products`);
    const row = page.getByRole('row').filter({ hasText: remote.title });
    await expectAccessible(page, 'products list');
    // A click on the row (its vendor cell, not the link) opens the product.
    await row.getByRole('cell').nth(5).click();
    await page.waitForURL((u) => /^\/app\/products\/[0-9a-f-]{36}$/.test(u.pathname));
    await page.getByRole('heading', { level: 1, name: remote.title }).waitFor();
    await section(page, 'Stock').getByRole('columnheader', { name: 'On hand' }).waitFor();
    await expectAccessible(page, 'product page');

    const price = page
      .getByRole('group')
      .filter({ has: page.getByLabel('SKU').and(page.locator(`[value="${sku}"]`)) });
    await price.getByLabel('Price', { exact: true }).fill('123.45');
    // And the stock of the first level, by five.
    const stock = section(page, 'Stock').getByRole('spinbutton').first();
    await stock.fill(String(Number(await stock.inputValue()) + 5));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saved(page).waitFor();
    await fact(page, 'Push').getByText('Push pending').waitFor();
    await fact(page, 'Stock').getByText('Push pending').waitFor();

    await h.settle();
    expect(await shopifyPrice(remote.gid, sku)).toBe('123.45');
    // The page sees both pushes land (it asks again while one is pending).
    await fact(page, 'Push').getByText('Up to date').waitFor();
    await fact(page, 'Stock').getByText('Up to date').waitFor();
    // Its own Sync History is read again once the push landed, and shows it.
    const aside = page.getByRole('complementary', { name: 'Shopify sync' });
    await aside.getByText('Retailos → Shopify').first().waitFor();
    expect(faults).toEqual([]);
  });

  it('refuses a variant missing an option value, and two variants with the same options, beside the variants', async () => {
    const created = await h.api<ApiProduct>('POST', '/api/products', {
      title: 'Enamel Mug',
      variants: [{ sku: 'MUG-BLUE', price: '8.00', option_values: [{ name: 'Color', value: 'Blue' }] }],
    });
    expectOk(created, 201);
    const { page, faults, refused } = await loggedIn();
    await page.goto(`${url}/app/products/${created.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'Enamel Mug' }).waitFor();
    await page.getByRole('button', { name: 'Add variant' }).click();
    await variant(page, 2).getByLabel('SKU').fill('MUG-2');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // A partial combination: the new variant has no Color. Said beside that field; nothing is sent.
    const color = variant(page, 2).getByLabel('Color');
    await variant(page, 2).getByText('Every variant needs a Color: variant 2 has none.').waitFor();
    expect(await color.getAttribute('aria-invalid')).toBe('true');
    expect(refused).toEqual([]);

    await color.fill('Blue');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const variants = section(page, 'Variants');
    await variants
      .getByText(
        'Two variants have the same options (“Blue”). Give each variant its own combination of option values.',
      )
      .waitFor();
    await page.getByRole('alert').getByText('Not saved: one problem, shown beside its field.').waitFor();
    await expectAccessible(page, 'product page with errors');
    const after = await h.api<ApiProduct>('GET', `/api/products/${created.body.id}`);
    expect(after.body.variants.map((v) => v.sku)).toEqual(['MUG-BLUE']);

    // A variant added meanwhile elsewhere: the page's copy is older than the product, so the save is
    // refused as a whole (the page sends the version it loaded) and nothing is overwritten.
    await color.fill('Green');
    const now = after.body;
    expectOk(
      await h.api('PATCH', `/api/products/${now.id}`, {
        variants: [
          ...variantsBody(now),
          { sku: 'MUG-RED', price: '8.00', option_values: [{ name: 'Color', value: 'Red' }] },
        ],
      }),
    );
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page
      .getByRole('alert')
      .getByText(
        'Not saved: this record changed since you opened it — reload the page to see the changes, then make your edit again.',
      )
      .waitFor();
    const kept = await h.api<ApiProduct>('GET', `/api/products/${now.id}`);
    expect(kept.body.variants.map((v) => v.sku)).toEqual(['MUG-BLUE', 'MUG-RED']);
    expect(faults).toEqual([]);
  });

  it('shows a refused price beside its field, in words', async () => {
    const { page } = await loggedIn();
    await page.goto(`${url}/app/products/new`);
    await page.getByLabel('Title').fill('Linen Apron');
    await variant(page, 1).getByLabel('Price', { exact: true }).fill('twelve');
    await page.getByRole('button', { name: 'Create product' }).click();
    await variant(page, 1).getByText('Enter an amount such as 12.50.').waitFor();
    await variant(page, 1).getByLabel('Price', { exact: true }).fill('12.50');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.waitForURL((u) => /^\/app\/products\/[0-9a-f-]{36}$/.test(u.pathname));
    await page.getByRole('heading', { level: 1, name: 'Linen Apron' }).waitFor();
  });
});

describe('the customer page', () => {
  it('edits contact fields and an address, lists the customer’s orders, and refuses a bad email beside it', async () => {
    const { page, faults } = await loggedIn();
    await page.goto(`${url}/app/customers`);
    const first = page.getByRole('row').nth(1);
    await first.waitFor();
    await first.getByRole('link').click();
    await page.waitForURL((u) => /^\/app\/customers\/[0-9a-f-]{36}$/.test(u.pathname));
    const id = new URL(page.url()).pathname.split('/').at(-1) as string;
    await section(page, 'Orders').waitFor();
    await expectAccessible(page, 'customer page');

    await page.getByLabel('Email', { exact: true }).fill('not-an-email');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await section(page, 'Contact').getByText('Enter an email address such as name@example.com.').waitFor();

    await page.getByLabel('Email', { exact: true }).fill('grace@example.com');
    await section(page, 'Contact').getByLabel('Phone', { exact: true }).fill('+33 4 72 00 00 00');
    await page.getByRole('textbox', { name: 'Note' }).fill('Prefers delivery before noon.');
    await page.getByRole('textbox', { name: 'Tags' }).fill('wholesale, vip');
    await page.getByRole('button', { name: 'Add address' }).click();
    const address = page.getByRole('group', { name: /^Address \d+/ }).last();
    await address.getByLabel('Address', { exact: true }).fill('12 Rue de la République');
    await address.getByLabel('City').fill('Lyon');
    await address.getByLabel('Country code').fill('FR');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saved(page).waitFor();
    const c = await h.api<{
      email: string;
      phone: string;
      note: string;
      tags: string[];
      addresses: { city?: string }[];
    }>('GET', `/api/customers/${id}`);
    expect(c.body).toMatchObject({
      email: 'grace@example.com',
      phone: '+33 4 72 00 00 00',
      note: 'Prefers delivery before noon.',
    });
    expect(c.body.tags).toEqual(['vip', 'wholesale']);
    expect(c.body.addresses.at(-1)).toMatchObject({
      city: 'Lyon',
      address1: '12 Rue de la République',
      country_code: 'FR',
    });
    expect(faults).toEqual([]);
  });
});

describe('a record’s sync state', () => {
  it('shows an open dead letter with Shopify’s reason and a link to the Dead letters tab', async () => {
    const c = await h.api<{ items: { id: string }[] }>('GET', '/api/customers?limit=1');
    const customerId = c.body.items[0]?.id as string;
    await recordDeadLetter(
      h.t.db,
      h.t.a.tenantId,
      {
        direction: 'outbound',
        entity: 'customer',
        localId: customerId,
        gid: null,
        displayName: 'A customer',
        job: 'shopify.push',
        payload: {},
        errorClass: 'shopify_user_errors',
        error: 'Shopify refused the customer: email: Email has already been taken',
        attempts: 2,
      },
      new Date(),
    );
    const { page, faults } = await loggedIn();
    await page.goto(`${url}/app/customers/${customerId}`);
    const panel = page.getByRole('complementary', { name: 'Shopify sync' });
    await fact(page, 'Push').getByText('Push failed').waitFor();
    await panel.getByText('Shopify refused the customer: email: Email has already been taken').waitFor();
    await panel.getByText(/^Shopify refused this customer \(2 attempts, last /).waitFor();
    await expectAccessible(page, 'customer page with a dead letter');
    await panel.getByRole('link', { name: 'Dead letters' }).click();
    await page.waitForURL(`${url}/app/shopify/dead-letters`);
    expect(faults).toEqual([]);
  });
});

describe('the order page', () => {
  it('opens from the list with the keyboard, shows units and totals, and edits the note, tags and email', async () => {
    const { page, faults } = await loggedIn();
    await page.goto(`${url}/app/orders`);
    const firstLink = page.getByRole('row').nth(1).getByRole('link');
    const name = (await firstLink.textContent())?.trim() ?? '';
    // Tab from the search field to the first row's link, then Enter.
    await page.getByLabel('Search orders').focus();
    for (let i = 0; i < 10 && !(await firstLink.evaluate((a) => a === a.ownerDocument.activeElement)); i++)
      await page.keyboard.press('Tab');
    expect(await firstLink.evaluate((a) => a === a.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => /^\/app\/orders\/[0-9a-f-]{36}$/.test(u.pathname));
    const id = new URL(page.url()).pathname.split('/').at(-1) as string;
    await page
      .getByRole('heading', { level: 1, name: `Order ${name.replace(/^.*?(#\d+).*$/, '$1')}` })
      .waitFor();
    const o = (
      await h.api<{ line_items: { quantity: number }[]; total_price: string }>('GET', `/api/orders/${id}`)
    ).body;
    const units = o.line_items.reduce((n, li) => n + li.quantity, 0);
    expect(await page.locator('.totals').textContent()).toContain(`Units${units}`);
    await expectAccessible(page, 'order page');

    await page.getByRole('textbox', { name: 'Note' }).fill('Gift wrap, please.');
    await page.getByRole('textbox', { name: 'Tags' }).fill('gift');
    await page.getByLabel('Email', { exact: true }).fill('buyer@example.com');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saved(page).waitFor();
    expect((await h.api('GET', `/api/orders/${id}`)).body).toMatchObject({
      note: 'Gift wrap, please.',
      tags: ['gift'],
      email: 'buyer@example.com',
    });
    expect(faults).toEqual([]);
  });
});

describe('lists', () => {
  it('keep their search in the URL: a reload keeps it and Back returns to the previous one', async () => {
    const { page, faults } = await loggedIn();
    const [a, b] = (await remoteProducts()) as [EmuProduct, EmuProduct];
    const skuA = a.variants[0]?.sku as string;
    await page.goto(`${url}/app/products`);
    await page.getByLabel('Search products').fill(skuA);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === skuA);
    await page.getByRole('status').getByText('Showing 1 product.').waitFor();
    await page.getByRole('row').filter({ hasText: a.title }).waitFor();

    await page.reload();
    await expect.poll(() => page.getByLabel('Search products').inputValue()).toBe(skuA);
    await page.getByRole('status').getByText('Showing 1 product.').waitFor();
    await page.getByRole('row').filter({ hasText: a.title }).waitFor();

    await page.getByLabel('Search products').fill(b.title);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get('q') === b.title);
    await page.getByRole('row').filter({ hasText: b.title }).waitFor();
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('q') === skuA);
    await expect.poll(() => page.getByLabel('Search products').inputValue()).toBe(skuA);
    await page.getByRole('row').filter({ hasText: a.title }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: b.title }).count()).toBe(
      a.title === b.title ? 1 : 0,
    );
    expect(faults).toEqual([]);
  });
});

describe('at 390 px wide', () => {
  it('no list or record page is wider than the screen, and each passes axe', async () => {
    const { page, faults } = await loggedIn(390);
    const width = () => page.locator('html').evaluate((el) => el.scrollWidth);
    const productId = (
      (await h.api<{ items: { id: string }[] }>('GET', '/api/products?limit=1')).body.items[0] as {
        id: string;
      }
    ).id;
    const customerId = (
      (await h.api<{ items: { id: string }[] }>('GET', '/api/customers?limit=1')).body.items[0] as {
        id: string;
      }
    ).id;
    const orderId = (
      (await h.api<{ items: { id: string }[] }>('GET', '/api/orders?limit=1')).body.items[0] as { id: string }
    ).id;
    for (const [path, ready] of [
      ['/app/products', 'Showing'],
      ['/app/customers', 'Showing'],
      ['/app/orders', 'Showing'],
      [`/app/products/${productId}`, 'Last synced'],
      [`/app/customers/${customerId}`, 'Last synced'],
      [`/app/orders/${orderId}`, 'Last synced'],
      ['/app/products/new', 'Add variant'],
      ['/app/customers/new', 'Add address'],
    ] as const) {
      await page.goto(`${url}${path}`);
      await page.getByText(ready).first().waitFor();
      expect(await width(), path).toBeLessThanOrEqual(390);
      await expectAccessible(page, `${path} at 390 px`);
    }
    await page.goto(`${url}/app/products/${productId}`);
    await page.getByText('Last synced').waitFor();
    await page.screenshot({ path: resultPath('product-page-390.png') });
    expect(faults).toEqual([]);
  });
});
