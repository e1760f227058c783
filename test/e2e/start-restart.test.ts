// Start-up, on the real product (`retailos start`, bin/retailos.js): a worker takes no job before
// everything the job needs is wired, and /readyz says ready only when every part is.
//   1. Pushes waiting in retry (Shopify down) when the server stops, due by the time it starts again,
//      all reach Shopify after the restart; before, the workers ran them before the Shopify wiring
//      existed and completed them as "not syncing": no push, no dead letter, nothing pending.
//   2. /readyz answers 200 only once webhooks are accepted (the Shopify app wired) and workers run.
// Runs on embedded PGlite, and on a fresh Postgres database when TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFreshDatabase } from '../../test-support/db.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import {
  Browser,
  eventually,
  freePort,
  spawnStart,
  startRetailos,
  withStoppedDb,
  type RetailosProcess,
  type StartSetup,
} from '../../test-support/retailos-process.ts';

const SHOP = 'restart.myshopify.com';
const KEY = 'restart-key';
const SECRET = 'shpss_restart_secret';

let emu: RunningEmulator;
const dirs: string[] = [];
const databases: { drop(): Promise<void> }[] = [];
const running: RetailosProcess[] = [];

async function freshSetup(shopify: boolean): Promise<StartSetup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rtl-restart-'));
  dirs.push(dataDir);
  const serverUrl = process.env['TEST_DATABASE_URL'];
  const database = serverUrl ? await createFreshDatabase(serverUrl) : undefined;
  if (database) databases.push(database);
  return {
    dataDir,
    databaseUrl: database?.url,
    shopify: shopify ? { emu, apiKey: KEY, apiSecret: SECRET } : undefined,
    port: await freePort(),
  };
}

async function start(setup: StartSetup): Promise<RetailosProcess> {
  const p = await startRetailos(setup);
  running.push(p);
  return p;
}

beforeAll(async () => {
  emu = await startEmulator([
    ...['--shop', SHOP, '--api-key', KEY, '--api-secret', SECRET, '--seed', '17'],
    ...['--products', '4', '--customers', '0', '--orders', '0', '--locations', '1'],
  ]);
}, 120_000);

afterAll(async () => {
  for (const p of running) await p.kill();
  await emu?.stop();
  for (const d of databases) await d.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface ApiProduct {
  id: string;
  title: string;
}
interface EmuCall {
  status: number;
}

describe('retailos start: stopped with pushes in retry, started again', () => {
  it(
    'every edit reaches Shopify after the restart, none is dropped and none is dead-lettered',
    { timeout: 300_000 },
    async () => {
      const setup = await freshSetup(true);
      const first = await start(setup);
      const b = new Browser(first.url);
      await b.login();
      await b.connect(SHOP);
      await eventually(
        'the import completes and sync is on',
        async () =>
          (await b.api<{ state: string }>('GET', '/api/shopify/connection')).json.state === 'syncing',
        120_000,
      );
      const listed = await b.api<{ items: ApiProduct[] }>('GET', '/api/products?limit=100');
      expect(listed.json.items).toHaveLength(4);

      // Shopify goes down; four titles are edited; each push fails once and waits for its retry.
      await emu.control('POST', '/faults', { profile: 'outage' });
      const since = (await emu.control<{ calls: { seq: number }[] }>('GET', `/calls?shop=${SHOP}`)).calls.at(
        -1,
      )?.seq;
      const titles = listed.json.items.map((p, i) => ({ id: p.id, title: `Edited before a restart ${i}` }));
      for (const t of titles) {
        const res = await b.api('PATCH', `/api/products/${t.id}`, { title: t.title });
        expect(res.status).toBe(200);
      }
      await eventually(
        'every push has failed once on the outage',
        async () => {
          const { calls } = await emu.control<{ calls: EmuCall[] }>(
            'GET',
            `/calls?shop=${SHOP}&since=${since}`,
          );
          return calls.filter((c) => c.status === 503).length >= titles.length;
        },
        60_000,
      );
      expect(await first.stop()).toBe(0);

      // The server is down: the pushes wait in the queue. Their retries come due meanwhile (moved to
      // now instead of waiting out the backoff), so the restart finds them due: the race at stake.
      const waiting = await withStoppedDb(setup, async (db) => {
        const { rows } = await db.query<{ n: number }>(
          `with due as (update pgboss.job set start_after = now()
                        where name = 'shopify.push' and state in ('created', 'retry') returning 1)
           select count(*)::int as n from due`,
        );
        return rows[0]?.n;
      });
      expect(waiting, 'pushes waiting in the queue at the stop').toBeGreaterThan(0);
      await emu.control('DELETE', '/faults');

      const second = await start(setup);
      const b2 = new Browser(second.url);
      await b2.login();
      const onShopify = async () =>
        (
          await emu.control<{ products: { title: string }[] }>('GET', `/shops/${SHOP}/products?limit=250`)
        ).products
          .map((p) => p.title)
          .sort();
      await eventually(
        'every edit is on Shopify',
        async () => JSON.stringify(await onShopify()) === JSON.stringify(titles.map((t) => t.title).sort()),
        90_000,
      ).catch(async (err: unknown) => {
        throw new Error(`${(err as Error).message}; Shopify has ${JSON.stringify(await onShopify())}`);
      });
      const letters = await b2.api<{ items: unknown[] }>('GET', '/api/shopify/dead-letters?state=open');
      expect(letters.json.items).toEqual([]);
      expect(await second.stop()).toBe(0);
    },
  );
});

describe('retailos start: /readyz', () => {
  it(
    'answers 200 only once every part is ready: a webhook sent right then is checked, not refused with 503',
    { timeout: 120_000 },
    async () => {
      const setup = await freshSetup(false); // the demo store: its start takes a while after listen
      const { child, output } = spawnStart(setup);
      const url = `http://127.0.0.1:${setup.port}`;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        const body = await eventually(
          'readyz answers 200',
          async () => {
            if (child.exitCode !== null) throw new Error(`start exited:\n${output()}`);
            const res = await fetch(`${url}/readyz`).catch(() => undefined);
            return res?.status === 200
              ? ((await res.json()) as { checks: Record<string, string> })
              : undefined;
          },
          90_000,
        );
        // The very next request: an unsigned webhook is refused for its signature, not for being early.
        const hook = await fetch(`${url}/webhooks/shopify`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-shopify-topic': 'products/update',
            'x-shopify-shop-domain': 'retailos-demo.myshopify.com',
            'x-shopify-webhook-id': 'readyz-probe',
            'x-shopify-hmac-sha256': 'bm90IGEgc2lnbmF0dXJl',
          },
          body: '{}',
        });
        expect(hook.status).toBe(401);
        expect(body.checks).toMatchObject({ db: 'ok', queue: 'ok', shopify: 'ok', workers: 'ok' });
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    },
  );
});
