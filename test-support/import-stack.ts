import { requestedScopes } from '../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { startEmulator, type RunningEmulator } from './emulator.ts';
import { startImportJobs, type ImportJobs } from './import-jobs.ts';
import { emulatorWiring } from './shopify.ts';

export interface ImportStack {
  emu: RunningEmulator;
  t: TestApp;
  jobs: ImportJobs;
}

/**
 * The import tests' stack: an emulator started with `args` (its shops and store) and the app `key` and
 * `secret`, a Retailos test app wired to it asking every scope (every order, not only the last 60 days)
 * with its clock at the real time (the emulator signs callbacks with it), and the import's jobs.
 */
export async function startImportStack(
  key: string,
  secret: string,
  args: readonly string[],
  config?: TestAppOptions['config'],
): Promise<ImportStack> {
  const emu = await startEmulator(['--api-key', key, '--api-secret', secret, ...args]);
  const wiring = emulatorWiring(emu, key, secret, 'http://127.0.0.1:9');
  wiring.app.scopes = requestedScopes(true);
  const t = await createTestApp({ shopify: wiring, ...(config ? { config } : {}) });
  t.clock.set(new Date());
  return { emu, t, jobs: await startImportJobs(t) };
}

/** Stops what `startImportStack` started (whatever part of it did start). */
export async function stopImportStack(s: Partial<ImportStack>): Promise<void> {
  await s.jobs?.stop();
  await s.t?.close();
  await s.emu?.stop();
}
