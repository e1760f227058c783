import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { APP_ROOT } from './app-root.ts';

const BIN = join(APP_ROOT, 'emulator/bin/shopify-emulator.js');

export const DEMO_SHOP = 'retailos-demo.myshopify.com';

/** What the demo store is seeded with. */
export const DEMO_STORE = { products: 250, customers: 120, orders: 300, locations: 2 } as const;

export interface DemoEmulator {
  shopOriginTemplate: string;
  apiKey: string;
  apiSecret: string;
  adminUrl: string;
  /** The child process' id (for operators and tests). */
  pid: number | undefined;
  stop(): Promise<void>;
}

interface ReadyLine {
  shopOriginTemplate: string;
  admin: string;
  app: { apiKey: string; apiSecret: string };
}

/**
 * The demo store for `npm start` without Shopify credentials: the Shopify emulator run as a child
 * process through its own bin (the connector never imports emulator code and talks to it over HTTP
 * exactly as to Shopify). It stops with us.
 */
export async function startDemoEmulator(logger: Logger, redirectUrl: string): Promise<DemoEmulator> {
  const args = [
    BIN,
    '--port',
    '0',
    '--seed',
    '42',
    '--shop',
    DEMO_SHOP,
    '--products',
    String(DEMO_STORE.products),
    '--customers',
    String(DEMO_STORE.customers),
    '--orders',
    String(DEMO_STORE.orders),
    '--locations',
    String(DEMO_STORE.locations),
    '--redirect-url',
    redirectUrl,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) =>
    logger.warn({ emulator: d.toString().trim() }, 'demo emulator stderr'),
  );
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the demo Shopify emulator exited with code ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line.startsWith('SHOPIFY_EMULATOR_READY ')) resolve(JSON.parse(line.slice(23)) as ReadyLine);
    });
  });
  child.removeAllListeners('exit');
  let stopping = false;
  // The emulator handles SIGTERM and exits with code 0: only an exit nobody asked for is an error.
  child.once('exit', (code, signal) => {
    if (!stopping) logger.error({ code, signal }, 'the demo Shopify emulator stopped unexpectedly');
  });
  return {
    shopOriginTemplate: ready.shopOriginTemplate,
    apiKey: ready.app.apiKey,
    apiSecret: ready.app.apiSecret,
    adminUrl: ready.admin,
    pid: child.pid,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
