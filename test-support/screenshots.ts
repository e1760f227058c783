/**
 * `npm run screenshots`: starts Retailos as a merchant would (`retailos start`, with its demo Shopify
 * store, on a fresh data folder), logs in, connects the demo store through its consent screen, waits for
 * the import, makes one edit that syncs, and writes a viewport screenshot of every page at 1280 px
 * (desktop) and 390 px (phone) to docs/screenshots/. Run `npm run build:web` first (the npm script does).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/harness.ts';
import { Browser as ApiSession, eventually, freePort, OWNER, startRetailos } from './retailos-process.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

interface Shot {
  name: string;
  path: string;
  /** Text on the page once it has what it shows. */
  ready: string;
}

async function connectDemoStore(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/app/shopify`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/admin/oauth/authorize'));
  await page.getByRole('button', { name: 'Install app' }).click();
  await page.waitForURL((u) => u.origin === url && u.pathname === '/app/shopify');
}

async function firstId(api: ApiSession, path: string, q = ''): Promise<string> {
  const res = await api.api<{ items: { id: string }[] }>('GET', `${path}?limit=1${q}`);
  const id = res.json.items[0]?.id;
  if (!id) throw new Error(`nothing at ${path}`);
  return id;
}

/** One synced edit, so the pages show a push, its history entry and the product's sync state. */
async function editOnePrice(api: ApiSession, productId: string): Promise<void> {
  const p = await api.api<{ variants: { id: string; price: string }[] }>('GET', `/api/products/${productId}`);
  const variants = p.json.variants.map((v, i) => ({ id: v.id, price: i === 0 ? '42.00' : v.price }));
  const res = await api.api('PATCH', `/api/products/${productId}`, { variants });
  if (res.status !== 200) throw new Error(`the edit answered ${res.status}`);
  await eventually(
    'the edit reaches the demo store',
    async () =>
      !(await api.api<{ push_pending: boolean }>('GET', `/api/shopify/sync-state/product/${productId}`)).json
        .push_pending,
    60_000,
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'retailos-screenshots-'));
  const retailos = await startRetailos({ dataDir, databaseUrl: undefined, port: await freePort() });
  const browser = await launchChromium();
  try {
    const api = new ApiSession(retailos.url);
    await api.login();
    const context = await browser.newContext({ viewport: SIZES[0] });
    const page = await context.newPage();
    const shots: Shot[] = [{ name: 'login', path: '/login', ready: 'Log in' }];
    await shoot(page, retailos.url, shots);
    await page.goto(`${retailos.url}/login`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/app/'));
    await connectDemoStore(page, retailos.url);
    await eventually(
      'the import completes',
      async () => (await api.api<{ state: string }>('GET', '/api/shopify/import')).json.state === 'completed',
      300_000,
    );
    const product = await firstId(api, '/api/products');
    await editOnePrice(api, product);
    const customer = await firstId(api, '/api/customers');
    const order = await firstId(api, '/api/orders');
    await shoot(page, retailos.url, [
      { name: 'shopify-overview', path: '/app/shopify', ready: 'Shopify' },
      { name: 'shopify-health', path: '/app/shopify/health', ready: 'Shopify' },
      { name: 'shopify-history', path: '/app/shopify/history', ready: 'Shopify' },
      { name: 'shopify-dead-letters', path: '/app/shopify/dead-letters', ready: 'Shopify' },
      { name: 'products', path: '/app/products', ready: 'Showing' },
      { name: 'products-search', path: '/app/products?q=shirt', ready: 'product' },
      { name: 'product', path: `/app/products/${product}`, ready: 'Last synced' },
      { name: 'product-new', path: '/app/products/new', ready: 'Add variant' },
      { name: 'customers', path: '/app/customers', ready: 'Showing' },
      { name: 'customer', path: `/app/customers/${customer}`, ready: 'Last synced' },
      { name: 'orders', path: '/app/orders', ready: 'Showing' },
      { name: 'order', path: `/app/orders/${order}`, ready: 'Last synced' },
    ]);
  } finally {
    await browser.close();
    await retailos.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Each page at each size: loaded, settled (no request in flight), then the viewport as PNG. */
async function shoot(page: Page, url: string, shots: readonly Shot[]): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const s of shots) {
      await page.goto(`${url}${s.path}`);
      await page.getByText(s.ready).first().waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      const file = join(OUT, `${s.name}-${size.name}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
    }
  }
}

await main();
