import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { openDb } from '../src/db/open.ts';
import type { Db } from '../src/db/db.ts';
import type { RunningEmulator } from './emulator.ts';
import { approveOnShopify } from './shopify.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'retailos.js');

export const OWNER = { email: 'owner@start.example', password: 'start-test-password-1' };

/** Where `retailos start` keeps its data and which Shopify it talks to. */
export interface StartSetup {
  dataDir: string;
  /** A fresh database on the Postgres server; undefined: embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** The emulator standing in for Shopify (undefined: the demo store `start` runs itself). */
  shopify?: { emu: RunningEmulator; apiKey: string; apiSecret: string } | undefined;
  port: number;
  /** More environment for `retailos start` (options under test). */
  env?: Record<string, string> | undefined;
}

export interface RetailosProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** SIGTERM, and the exit code once it has drained. */
  stop(): Promise<number | null>;
  /** kill -9: no drain, no cleanup. */
  kill(): Promise<void>;
}

/** A port nobody listens on now (the server's address must be known before it starts: APP_URL). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** The environment `retailos start` runs with. */
export function startEnv(setup: StartSetup): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    PORT: String(setup.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RETAILOS_DATA_DIR: setup.dataDir,
    RETAILOS_ADMIN_EMAIL: OWNER.email,
    RETAILOS_ADMIN_PASSWORD: OWNER.password,
  };
  if (setup.databaseUrl) env['DATABASE_URL'] = setup.databaseUrl;
  if (setup.shopify) {
    env['SHOPIFY_API_KEY'] = setup.shopify.apiKey;
    env['SHOPIFY_API_SECRET'] = setup.shopify.apiSecret;
    env['SHOPIFY_SHOP_ORIGIN'] = setup.shopify.emu.shopOriginTemplate;
    env['APP_URL'] = `http://127.0.0.1:${setup.port}`;
    env['SHOPIFY_READ_ALL_ORDERS'] = 'true'; // the emulator grants it: every order is imported
  }
  return { ...env, ...setup.env };
}

/** Spawns `retailos start` (bin/retailos.js, what `npm start` runs); `onSpawn` sees it before it is up. */
export function spawnStart(setup: StartSetup): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: startEnv(setup),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

/** Runs `retailos start` until it prints that it is running. */
export async function startRetailos(setup: StartSetup): Promise<RetailosProcess> {
  const { child, output } = spawnStart(setup);
  const url = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`start exited early with ${code}:\n${output()}`));
    child.once('exit', onExit);
    child.stdout?.on('data', () => {
      const found = /Retailos is running: (http:\/\/\S+)/.exec(output())?.[1];
      if (found) {
        child.off('exit', onExit);
        resolve(found);
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    url,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A logged-in browser session against a running server (cookie + CSRF token). */
export class Browser {
  cookie = '';
  csrf = '';
  constructor(public url: string) {}

  async login(): Promise<void> {
    const res = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    this.csrf = ((await res.json()) as { csrf_token: string }).csrf_token;
  }

  async api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrf }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
  }

  /** App > Shopify > Connect, approve on the consent page, come back through the callback. */
  async connect(shop: string): Promise<void> {
    const started = await this.api<{ authorize_url: string }>('POST', '/api/shopify/connect', { shop });
    if (started.status !== 200) throw new Error(`connect answered ${started.status}`);
    const back = await approveOnShopify(started.json.authorize_url);
    const cb = await fetch(`${this.url}/shopify/callback?${back.searchParams.toString()}`, {
      headers: { cookie: this.cookie },
      redirect: 'manual',
    });
    if (cb.status !== 302) throw new Error(`the callback answered ${cb.status}: ${await cb.text()}`);
  }
}

/**
 * Waits for a condition on a process the test does not drive (a real `retailos start`): asks again
 * every 100 ms until it holds, and fails naming `what` after `withinMs`.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  withinMs: number,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs / 1000} s`);
    await delay(100);
  }
}

/** The database a stopped `retailos start` used (PGlite: only once no process holds the folder). */
export async function withStoppedDb<T>(setup: StartSetup, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({
    ...(setup.databaseUrl ? { databaseUrl: setup.databaseUrl } : { dataDir: join(setup.dataDir, 'db') }),
    onIdleError: (err) => {
      throw err;
    },
  });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
