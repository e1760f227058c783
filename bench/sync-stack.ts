// The processes bench:sync measures: a Shopify emulator and `retailos start` on a fresh Postgres
// database, connected over HTTP (login, API token, OAuth consent) and fully imported.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { createFreshDatabase } from '../test-support/db.ts';
import { NODE_FLAGS } from '../bin/launch.js';

const ROOT = join(import.meta.dirname, '..');
const EMULATOR_BIN = join(ROOT, 'emulator/bin/shopify-emulator.js');
const RETAILOS_BIN = join(ROOT, 'bin/retailos.js');
const KEY = 'bench-sync-key';
const SECRET = 'shpss_bench_sync_secret';
const EMAIL = 'bench@retailos.local';
const PASSWORD = 'bench-sync-password-1';

export interface StackOptions {
  pgServerUrl: string;
  shop: string;
  products: number;
  plan: string;
  /** A folder for the server's and the emulator's CPU profiles (node --cpu-prof), or undefined. */
  cpuProfDir: string | undefined;
  /** Webhook deliveries the emulator keeps in flight at once (its --webhook-concurrency; default 8). */
  webhookConcurrency?: number;
}

export interface Stack {
  shop: string;
  emulatorUrl: string;
  retailosUrl: string;
  token: string;
  /** The app secret (webhook signatures). */
  apiSecret: string;
  /** The fresh database, read by the bench for the inbox timings. */
  db: pg.Pool;
  /** GET/POST/PATCH the emulator's control API (JSON). */
  control<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Calls Retailos' /api with the bearer token. */
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Spawns `args` and resolves with the first stdout line `match` accepts. */
function spawnUntil<T>(
  args: string[],
  env: NodeJS.ProcessEnv,
  match: (line: string) => T | undefined,
): Promise<{ child: ChildProcess; value: T }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const value = match(line);
      if (value !== undefined) {
        child.removeAllListeners('exit');
        resolve({ child, value });
      }
    });
  });
}

async function json<T>(res: Response, what: string, status = 200): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface Session {
  cookie: string;
  csrf: string;
}

async function login(base: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token } = await json<{ csrf_token: string }>(res, 'login');
  return { cookie, csrf: csrf_token };
}

async function sessionPost<T>(base: string, s: Session, path: string, body: unknown, status = 200) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
    body: JSON.stringify(body),
  });
  return json<T>(res, `POST ${path}`, status);
}

/** Connect → the emulator's consent page (approve) → Retailos' callback, as the merchant's browser. */
async function connect(base: string, s: Session, shop: string): Promise<void> {
  const { authorize_url } = await sessionPost<{ authorize_url: string }>(base, s, '/api/shopify/connect', {
    shop,
  });
  const page = await fetch(authorize_url);
  await page.text();
  if (page.status !== 200) throw new Error(`consent page → ${page.status}`);
  const form = new URLSearchParams(new URL(authorize_url).searchParams);
  form.set('decision', 'approve');
  const approved = await fetch(authorize_url.split('?')[0] as string, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const back = approved.headers.get('location');
  if (approved.status !== 302 || !back) throw new Error(`consent → ${approved.status}`);
  const cb = await fetch(back, { headers: { cookie: s.cookie }, redirect: 'manual' });
  if (cb.status !== 302) throw new Error(`callback → ${cb.status}: ${await cb.text()}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startStack(o: StackOptions): Promise<Stack> {
  const fresh = await createFreshDatabase(o.pgServerUrl);
  const cleanups: (() => Promise<void>)[] = [() => fresh.drop()];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(e));
  };
  const prof = o.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', o.cpuProfDir] : [];
  try {
    const emu = await spawnUntil(
      [
        ...prof,
        EMULATOR_BIN,
        ...['--port', '0', '--seed', '7', '--shop', o.shop, '--plan', o.plan],
        ...['--api-key', KEY, '--api-secret', SECRET, '--products', String(o.products)],
        ...['--customers', '5', '--orders', '5', '--locations', '1'],
        ...['--webhook-concurrency', String(o.webhookConcurrency ?? 8)],
      ],
      process.env,
      (line) =>
        line.startsWith('SHOPIFY_EMULATOR_READY ')
          ? (JSON.parse(line.slice(23)) as { url: string; shopOriginTemplate: string })
          : undefined,
    );
    cleanups.push(() => stopChild(emu.child));
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const server = await spawnUntil(
      [...NODE_FLAGS, ...prof, RETAILOS_BIN, 'start'],
      {
        ...process.env,
        DATABASE_URL: fresh.url,
        PORT: String(port),
        APP_URL: appUrl,
        SHOPIFY_API_KEY: KEY,
        SHOPIFY_API_SECRET: SECRET,
        SHOPIFY_SHOP_ORIGIN: emu.value.shopOriginTemplate,
        RETAILOS_ADMIN_EMAIL: EMAIL,
        RETAILOS_ADMIN_PASSWORD: PASSWORD,
        RETAILOS_DATA_DIR: mkdtempSync(join(tmpdir(), 'rtl-bench-sync-')),
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
      (line) => (line.startsWith('Retailos is running: ') ? true : undefined),
    );
    cleanups.push(() => stopChild(server.child));
    const db = new pg.Pool({ connectionString: fresh.url, max: 2 });
    cleanups.push(() => db.end());

    const session = await login(appUrl);
    const { token } = await sessionPost<{ token: string }>(
      appUrl,
      session,
      '/api/tokens',
      { name: 'bench' },
      201,
    );
    await connect(appUrl, session, o.shop);
    const api: Stack['api'] = async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(`${appUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    };
    const control: Stack['control'] = async <T>(method: string, path: string, body?: unknown) => {
      const res = await fetch(`${emu.value.url}/_emulator${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return json<T>(res, `emulator ${method} ${path}`);
    };
    await waitForImport(api);
    return {
      shop: o.shop,
      emulatorUrl: emu.value.url,
      retailosUrl: appUrl,
      token,
      apiSecret: SECRET,
      db,
      control,
      api,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function waitForImport(api: Stack['api']): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const imp = await api<{ state: string; reason: string | null }>('GET', '/api/shopify/import');
    const conn = await api<{ state: string }>('GET', '/api/shopify/connection');
    if (imp.status === 200 && imp.body.state === 'completed' && conn.body.state === 'syncing') return;
    if (imp.body?.state === 'failed') throw new Error(`the import failed: ${imp.body.reason ?? ''}`);
    if (Date.now() > deadline) throw new Error(`the import did not complete: ${JSON.stringify(imp.body)}`);
    await sleep(500);
  }
}
