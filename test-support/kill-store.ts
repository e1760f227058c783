import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFreshDatabase } from './db.ts';
import { startEmulator, type RunningEmulator } from './emulator.ts';
import {
  Browser,
  eventually,
  freePort,
  startRetailos,
  type RetailosProcess,
  type StartSetup,
} from './retailos-process.ts';

/**
 * What a kill test of `retailos start` stands on: a seeded emulator store, a data folder, and a fresh
 * Postgres database when TEST_DATABASE_URL is set (else embedded PGlite in the folder).
 */
export interface KillStore {
  emu: RunningEmulator;
  setup: StartSetup;
  /** Kills the process still running (if any), stops the emulator, drops the database and the folder. */
  close(running: RetailosProcess | undefined): Promise<void>;
}

export async function startKillStore(shop: string, storeArgs: readonly string[]): Promise<KillStore> {
  const apiKey = `${shop}-key`;
  const apiSecret = `shpss_${shop.replace(/\W/g, '_')}_secret`;
  const emu = await startEmulator([
    '--shop',
    shop,
    '--api-key',
    apiKey,
    '--api-secret',
    apiSecret,
    ...storeArgs,
  ]);
  const serverUrl = process.env['TEST_DATABASE_URL'];
  const fresh = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  const setup: StartSetup = {
    dataDir: mkdtempSync(join(tmpdir(), 'rtl-kill-')),
    databaseUrl: fresh?.url,
    shopify: { emu, apiKey, apiSecret },
    port: await freePort(),
  };
  return {
    emu,
    setup,
    async close(running) {
      await running?.kill();
      await emu.stop();
      await fresh?.drop();
      rmSync(setup.dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the shop's import completed and the connection syncs (a failed import throws). */
export async function imported(b: Browser): Promise<void> {
  await eventually(
    'the import completes',
    async () => {
      const imp = await b.api<{ state: string; reason: string | null }>('GET', '/api/shopify/import');
      if (imp.json.state === 'failed') throw new Error(`the import failed: ${imp.json.reason}`);
      const conn = await b.api<{ state: string }>('GET', '/api/shopify/connection');
      return imp.json.state === 'completed' && conn.json.state === 'syncing';
    },
    300_000,
  );
}

/** Starts `retailos start` again after a kill and waits until the reconciliation run completed. */
export async function restartUntilRunCompleted<T extends { state: string }>(
  setup: StartSetup,
  runId: string,
): Promise<{ running: RetailosProcess; browser: Browser; run: T }> {
  const running = await startRetailos(setup);
  const browser = new Browser(running.url);
  await browser.login();
  const run = await eventually(
    'the run completes after the restart',
    async () => {
      const r = (await browser.api<T>('GET', `/api/shopify/reconcile/runs/${runId}`)).json;
      return r.state === 'completed' ? r : undefined;
    },
    180_000,
  );
  return { running, browser, run };
}
