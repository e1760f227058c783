import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startSyncHarness, type SyncHarness } from '../../test-support/sync.ts';
import { buildWebUi, launchChromium } from './harness.ts';
import { serveUiFor } from './sync-ui.ts';

/**
 * A store connected to the emulator and imported (queues drained by the test), its web UI of a fresh
 * build on one origin, and Chromium: the set-up of the App › Shopify browser tests.
 */
export interface StoreSession {
  h: SyncHarness;
  /** The UI's origin, e.g. http://127.0.0.1:40123. */
  url: string;
  /** Uncaught exceptions, answers of 500 or more, and console errors once logged in: there must be none. */
  faults: string[];
  /**
   * Opens `path` logged in (the login page comes first and sends the owner back to it). `pathOnly`:
   * wait for the path alone, not the query the page may rewrite.
   */
  openLoggedIn(path: string, opts?: { width?: number; pathOnly?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export async function openStoreSession(shop: string, emulatorArgs: string[]): Promise<StoreSession> {
  const build = buildWebUi();
  let h: SyncHarness | undefined;
  let ui: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const faults: string[] = [];

  async function close(): Promise<void> {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await ui?.close();
    await h?.close();
    build.remove();
  }

  try {
    h = await startSyncHarness(shop, emulatorArgs);
    ui = await serveUiFor(h, build.distDir);
    browser = await launchChromium();
  } catch (err) {
    await close();
    throw err;
  }
  const [store, origin, chromium] = [h, ui.url, browser];

  async function openLoggedIn(
    path: string,
    opts: { width?: number; pathOnly?: boolean } = {},
  ): Promise<Page> {
    const context = await chromium.newContext({ viewport: { width: opts.width ?? 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => faults.push(`uncaught: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 500) faults.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(`${origin}${path}`);
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByLabel('Email').fill(store.t.a.email);
    await page.getByLabel('Password').fill(store.t.a.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    if (opts.pathOnly) await page.waitForURL((u) => u.pathname === new URL(`${origin}${path}`).pathname);
    else await page.waitForURL(`${origin}${path}`);
    page.on('console', (msg) => {
      if (msg.type() === 'error') faults.push(`console: ${msg.text()}`);
    });
    return page;
  }

  return { h: store, url: origin, faults, openLoggedIn, close };
}

/**
 * The store session of a test file: opened before its tests (beforeAll), closed after them (afterAll).
 * Its fields are read once the session is open, i.e. inside the tests.
 */
export function storeSessionFor(shop: string, emulatorArgs: string[]): StoreSession {
  let session: StoreSession | undefined;
  beforeAll(async () => {
    session = await openStoreSession(shop, emulatorArgs);
  }, 240_000);
  afterAll(async () => {
    await session?.close();
  });
  const open = (): StoreSession => {
    if (!session) throw new Error('the store session is not open yet (read it inside a test)');
    return session;
  };
  return {
    get h() {
      return open().h;
    },
    get url() {
      return open().url;
    },
    get faults() {
      return open().faults;
    },
    openLoggedIn: (path, opts) => open().openLoggedIn(path, opts),
    close: () => open().close(),
  };
}
