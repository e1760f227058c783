// The newcomer's first five minutes, on the real product: `retailos start` (what `npm start` runs) with
// no Shopify credentials, so it starts the demo store; log in with the printed password, connect the
// demo store through its consent page, follow the import with `retailos import --follow` until it
// ends, and find every seeded record imported and continuous sync on. Nothing here is wired by hand:
// the server's own job workers run the import.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJson } from '../../src/cli/import-view.ts';
import { DEMO_SHOP, DEMO_STORE } from '../../src/demo-emulator.ts';
import { createFreshDatabase } from '../../test-support/db.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'retailos.js');

interface Started {
  child: ChildProcess;
  url: string;
  email: string;
  password: string;
}

/** Runs `retailos start` and reads the welcome lines: the URL, the owner's email and password. */
function start(dataDir: string, databaseUrl: string | undefined): Promise<Started> {
  const env = { PATH: process.env['PATH'] ?? '', PORT: '0', LOG_LEVEL: 'warn', RETAILOS_DATA_DIR: dataDir };
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: databaseUrl ? { ...env, DATABASE_URL: databaseUrl } : env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The URL on stdout; the login on stderr, never on stdout, where the JSON log goes.
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`start exited early with ${code}: ${err}`)));
    const read = () => {
      const url = /Retailos is running: (http:\/\/\S+)/.exec(out)?.[1];
      const email = /Log in as (\S+)/.exec(err)?.[1];
      const password = /password \(generated, shown only this once\): (\S+)/.exec(err)?.[1];
      if (url && email && password && out.includes(DEMO_SHOP)) {
        if (out.includes(password)) reject(new Error('the generated password was written to stdout'));
        child.removeAllListeners('exit');
        resolve({ child, url, email, password });
      }
    };
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      read();
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      read();
    });
  });
}

/** Runs a `retailos` command to its end; resolves with its exit code and output. */
function run(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

let dataDir: string;
let database: { url: string; drop(): Promise<void> } | undefined;
let server: Started;
let cookie: string;
let csrf: string;

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      cookie,
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as T };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rtl-newcomer-'));
  // Embedded PGlite, as `npm start` runs; on the Postgres server too when the suite runs against it.
  const serverUrl = process.env['TEST_DATABASE_URL'];
  database = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  server = await start(dataDir, database?.url);
}, 300_000);

afterAll(async () => {
  if (server?.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

describe('npm start, then the newcomer connects the demo store', () => {
  it(
    'logs in, connects, approves, watches the import finish and lands in continuous sync',
    { timeout: 300_000 },
    async () => {
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: server.email, password: server.password }),
      });
      expect(login.status).toBe(200);
      cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      csrf = ((await login.json()) as { csrf_token: string }).csrf_token;

      const before = await api<{ state: string }>('GET', '/api/shopify/connection');
      expect(before.json.state).toBe('not_connected');

      // App > Shopify > Connect: the answer is Shopify's (here the demo store's) consent page.
      const connect = await api<{ authorize_url: string }>('POST', '/api/shopify/connect', {
        shop: DEMO_SHOP,
      });
      expect(connect.status).toBe(200);
      const consent = await fetch(connect.json.authorize_url);
      expect(consent.status).toBe(200);
      expect(await consent.text()).toContain('read_all_orders');
      const form = new URLSearchParams(new URL(connect.json.authorize_url).searchParams);
      form.set('decision', 'approve');
      const approved = await fetch(connect.json.authorize_url.split('?')[0] as string, {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(approved.status).toBe(302);
      const back = await fetch(approved.headers.get('location') as string, {
        headers: { cookie },
        redirect: 'manual',
      });
      expect(back.status).toBe(302);
      expect(back.headers.get('location')).toContain(`connected=${DEMO_SHOP}`);

      // `retailos import --follow` returns when the import has completed or failed.
      const token = await api<{ token: string }>('POST', '/api/tokens', { name: 'newcomer' });
      expect(token.status).toBe(201);
      const follow = await run(['import', '--follow', '--url', server.url], {
        RETAILOS_TOKEN: token.json.token,
      });
      expect(follow.code).toBe(0);
      expect(follow.out).toContain('completed');

      const progress = await api<ImportJson>('GET', '/api/shopify/import');
      expect(progress.json.state).toBe('completed');
      const done = Object.fromEntries(progress.json.resources.map((r) => [r.resource, r]));
      expect(done['locations']).toMatchObject({ state: 'completed', done: DEMO_STORE.locations, parked: 0 });
      expect(done['products']).toMatchObject({ state: 'completed', done: DEMO_STORE.products, parked: 0 });
      expect(done['customers']).toMatchObject({ state: 'completed', done: DEMO_STORE.customers, parked: 0 });
      // Every seeded order, the ones older than 60 days too: the demo app is granted read_all_orders.
      expect(done['orders']).toMatchObject({ state: 'completed', done: DEMO_STORE.orders, parked: 0 });
      const stock = done['inventory'];
      expect(stock?.state).toBe('completed');
      expect(stock?.done).toBe(stock?.total);
      expect(stock?.done).toBeGreaterThanOrEqual(DEMO_STORE.products * DEMO_STORE.locations);

      // And the orders are in Retailos, page after page.
      let listed = 0;
      for (let cursor: string | null = ''; cursor !== null;) {
        const page: { status: number; json: { items: unknown[]; next_cursor: string | null } } = await api(
          'GET',
          `/api/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).toBe(200);
        listed += page.json.items.length;
        cursor = page.json.next_cursor;
      }
      expect(listed).toBe(DEMO_STORE.orders);

      const after = await api<{ state: string; shop: string; missing_scopes: string[] }>(
        'GET',
        '/api/shopify/connection',
      );
      expect(after.json).toMatchObject({ state: 'syncing', shop: DEMO_SHOP, missing_scopes: [] });
    },
  );
});
