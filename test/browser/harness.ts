import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { pino } from 'pino';
import { systemClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createApiToken, createUser } from '../../src/core/owner-bootstrap.ts';
import type { Db } from '../../src/db/db.ts';
import { ShopifySlot, type ShopifyWiring } from '../../src/deps.ts';
import { buildApp, type AppDeps } from '../../src/http/app.ts';
import { registerWebUi } from '../../src/http/plugins/web-ui.ts';
import { noQueue } from '../../test-support/app.ts';
import { openTestDb } from '../../test-support/db.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const RESULTS_DIR = join(ROOT, 'test-results', 'browser');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, driven by playwright-core. Missing Chromium fails the test; it never skips. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Builds the current web/ sources into a fresh folder (so the test never runs a stale web/dist) and
 * returns it; remove it with the returned cleanup.
 */
export function buildWebUi(): { distDir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'retailos-web-'));
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(
    process.execPath,
    [vite, 'build', 'web', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`vite build failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return { distDir: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function resultPath(file: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return join(RESULTS_DIR, file);
}

export interface UiServer {
  url: string;
  db: Db;
  owner: { email: string; password: string; tenantId: string };
  /** Authorization header of an API token of the owner, to arrange data over the API. */
  bearer: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real Retailos HTTP server with the web UI, listening on a free loopback port. When a Shopify
 * wiring is given, its appUrl is set to this server's own URL once the port is known, so Shopify's
 * OAuth redirect comes back here.
 */
export async function startUiServer(opts: { distDir: string; shopify?: ShopifyWiring }): Promise<UiServer> {
  const testDb = await openTestDb();
  const deps: AppDeps = {
    db: testDb.db,
    clock: systemClock, // the emulator signs OAuth callbacks with real time
    logger: pino({ level: 'silent' }),
    config: loadConfig({}, {}),
    randomBytes,
    enqueue: noQueue, // no job runs here: the browser tests are about the pages
    changesRecorded: async () => undefined,
    shopify: new ShopifySlot(opts.shopify),
  };
  const password = `pw-browser-${randomBytes(6).toString('hex')}`;
  const email = 'owner@browser.example';
  const user = await createUser(
    { ...deps, scrypt: { N: 1024, r: 8, p: 1, keyLength: 32 } },
    { tenantName: 'Browser Test Shop', email, password, role: 'owner' },
  );
  const issued = await createApiToken(deps, {
    tenantId: user.tenantId,
    userId: user.id,
    name: 'browser test',
  });
  // Whether buildApp registers the UI itself (from deps.webDistDir) or not, this fresh build is served.
  Object.assign(deps, { webDistDir: opts.distDir });
  const app = buildApp(deps);
  registerWebUi(app, { distDir: opts.distDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string')
    throw new Error(`unexpected server address ${String(address)}`);
  const url = `http://127.0.0.1:${address.port}`;
  if (opts.shopify) opts.shopify.app.appUrl = url;
  return {
    url,
    db: testDb.db,
    owner: { email, password, tenantId: user.tenantId },
    bearer: { authorization: `Bearer ${issued.token}` },
    async close() {
      await app.close();
      await testDb.close();
    },
  };
}
