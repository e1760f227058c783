// The start-up order, checked at the moment it matters: when the job workers start, everything a job
// needs is wired (the Shopify app included) and /readyz still says not ready; once start-up has
// returned, /readyz says ready. Before, workers started first and took due jobs with no Shopify wiring.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from './config.ts';
import type { CoreDeps } from './deps.ts';
import { createLogger } from './logger.ts';
import { startRuntime, type Runtime } from './runtime.ts';
import { createFreshDatabase } from '../test-support/db.ts';
import { freePort } from '../test-support/retailos-process.ts';

interface AtWorkerStart {
  shopify: boolean;
  limiter: boolean;
  ready: number;
}

const seen = vi.hoisted(() => ({ atWorkerStart: undefined as AtWorkerStart | undefined, url: '' }));

vi.mock('./jobs/install.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('./jobs/install.ts')>();
  return {
    ...real,
    startWorkers: async (...args: Parameters<typeof real.startWorkers>) => {
      const deps = args[2] as unknown as CoreDeps;
      // 0: the server is not listening yet.
      const ready = await fetch(`${seen.url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      seen.atWorkerStart = {
        shopify: deps.shopify.isSet,
        limiter: deps.limiter !== undefined,
        ready,
      };
      return real.startWorkers(...args);
    },
  };
});

let dataDir: string;
let database: { url: string; drop(): Promise<void> } | undefined;
let runtime: Runtime | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rtl-runtime-'));
  const serverUrl = process.env['TEST_DATABASE_URL'];
  database = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('start-up order', () => {
  it('starts the workers only once the Shopify app is wired, and is ready only after', async () => {
    const port = await freePort();
    seen.url = `http://127.0.0.1:${port}`;
    const config = loadConfig({
      RETAILOS_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      RETAILOS_ADMIN_EMAIL: 'owner@runtime.example',
      RETAILOS_ADMIN_PASSWORD: 'runtime-test-password',
      SHOPIFY_API_KEY: 'runtime-key',
      SHOPIFY_API_SECRET: 'shpss_runtime',
      APP_URL: seen.url,
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    runtime = await startRuntime(config, createLogger(config), { web: true, workers: true });
    expect(seen.atWorkerStart).toEqual({ shopify: true, limiter: true, ready: 503 });
    const ready = await fetch(`${seen.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      checks: { db: 'ok', queue: 'ok', shopify: 'ok', workers: 'ok' },
    });
  }, 120_000);
});
