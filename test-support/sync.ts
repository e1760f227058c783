import { TestClock, type PgBoss } from 'pg-boss';
import { expect } from 'vitest';
import { getLatestImport } from '../src/db/shopify-imports.ts';
import type { AnyJobDefinition } from '../src/jobs/define.ts';
import { drainQueue } from '../src/jobs/runner.ts';
import { shopifyImportJob } from '../src/jobs/shopify-import.ts';
import { shopifyLifecycleJob } from '../src/jobs/shopify-lifecycle.ts';
import {
  shopifyApplyWebhooksJob,
  shopifyOutboxJob,
  shopifyPushJob,
  shopifySubscriptionsCheckJob,
  shopifyWebhooksReregisterJob,
} from '../src/jobs/shopify-sync.ts';
import { createShopLimiter } from '../src/shopify/limiter.ts';
import { requestedScopes } from '../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp, type TestAppOptions, type TestSession } from './app.ts';
import { startEmulator, type RunningEmulator } from './emulator.ts';
import { startTestBoss } from './import-jobs.ts';
import { connectShop, emulatorWiring } from './shopify.ts';

const KEY = 'sync-key';
const SECRET = 'shpss_sync_secret';

export interface SyncHarness {
  emu: RunningEmulator;
  t: TestApp;
  boss: PgBoss;
  bossClock: TestClock;
  session: TestSession;
  shop: string;
  /** Delivers the emulator's webhooks and drains every sync queue until nothing moves. */
  settle(): Promise<void>;
  /** Lets queued retries (delayed by backoff) become due, then settles. */
  settleWithRetries(rounds?: number): Promise<void>;
  /** The emulator's call log since `since` (a call sequence number). */
  calls(since?: number): Promise<EmuCall[]>;
  /** The last call sequence number so far. */
  lastCall(): Promise<number>;
  /** Calls /api with the tenant's bearer token. */
  api<T = unknown>(method: string, url: string, payload?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export interface EmuCall {
  seq: number;
  operationType: 'query' | 'mutation' | null;
  rootFields: string[];
  variables: Record<string, unknown> | null;
  throttled: boolean;
  status: number;
}

const SYNC_JOBS = [shopifyApplyWebhooksJob, shopifyOutboxJob, shopifyPushJob, shopifyLifecycleJob];

/**
 * A seeded emulator store, a Retailos app connected to it and fully imported, and queues drained by
 * hand (no sleeps). The emulator delivers webhooks to the app over HTTP, as Shopify would.
 */
export interface HarnessOptions {
  /** Runs once while the import is under way (connected, before its first step), e.g. to edit the store meanwhile. */
  duringImport?: (emu: RunningEmulator, t: TestApp) => Promise<void>;
  /** Let pg-boss fire the jobs' cron schedules as the queue's clock moves (off by default). */
  schedule?: boolean;
  /** Options of the Retailos app, e.g. the web UI build a browser test serves. */
  app?: Pick<TestAppOptions, 'webDistDir'>;
}

export async function startSyncHarness(
  shop: string,
  storeArgs: string[],
  options: HarnessOptions = {},
): Promise<SyncHarness> {
  const emu = await startEmulator(['--shop', shop, '--api-key', KEY, '--api-secret', SECRET, ...storeArgs]);
  try {
    return await connected(emu, shop, options);
  } catch (err) {
    await emu.stop(); // a failed set-up must not leave the emulator's process behind
    throw err;
  }
}

async function connected(emu: RunningEmulator, shop: string, options: HarnessOptions): Promise<SyncHarness> {
  const wiring = emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9');
  wiring.app.scopes = requestedScopes(true);
  const t = await createTestApp({ ...options.app, shopify: wiring });
  try {
    return await imported(emu, t, wiring, shop, options);
  } catch (err) {
    await t.close();
    throw err;
  }
}

async function imported(
  emu: RunningEmulator,
  t: TestApp,
  wiring: ReturnType<typeof emulatorWiring>,
  shop: string,
  options: HarnessOptions,
): Promise<SyncHarness> {
  t.clock.set(new Date());
  wiring.app.appUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { boss, clock: bossClock } = await startTestBoss(
    t,
    [shopifyImportJob, shopifySubscriptionsCheckJob, shopifyWebhooksReregisterJob, ...SYNC_JOBS],
    { schedule: options.schedule ?? false },
  );
  // The shared cost budget, on the test's clock: a wait moves the clock instead of sleeping.
  t.deps.limiter = createShopLimiter({
    db: t.db,
    clock: t.clock,
    sleep: async (ms) => {
      t.clock.advance(ms);
    },
  });
  const session = await t.login(t.a);
  try {
    await connectShop(t, session, shop);
    for (let i = 0; ; i += 1) {
      if (i === 0 && options.duringImport) await options.duringImport(emu, t);
      await drainQueue(boss, shopifyImportJob as never, t.deps as never);
      const run = await getLatestImport(t.db, t.a.tenantId);
      if (run?.state === 'completed') break;
      if (run?.state === 'failed' || i > 300)
        throw new Error(`the import did not complete: ${run?.state} ${run?.reason ?? ''}`);
      await bossClock.tick(5_000);
    }
  } catch (err) {
    await boss.stop({ graceful: false });
    throw err;
  }

  const drainAll = async (): Promise<number> => {
    // Jobs inserted inside our own transactions take the database's now() as start time; keep the
    // queue's test clock from lagging behind it (it only ever moves forward).
    const lag = Date.now() - bossClock.now();
    if (lag > 0) await bossClock.tick(lag + 1);
    let n = 0;
    for (const job of SYNC_JOBS) n += await drainQueue(boss, job as AnyJobDefinition<never>, t.deps as never);
    return n;
  };
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 50; i += 1) {
      const drained = await emu.control<{ attempted: number }>('POST', '/webhooks/drain');
      const handled = await drainAll();
      if (drained.attempted === 0 && handled === 0) return;
    }
    throw new Error('the sync did not settle in 50 rounds');
  };
  const calls = async (since = 0): Promise<EmuCall[]> =>
    (await emu.control<{ calls: EmuCall[] }>('GET', `/calls?shop=${shop}&since=${since}`)).calls;
  return {
    emu,
    t,
    boss,
    bossClock,
    session,
    shop,
    settle,
    async settleWithRetries(rounds = 12) {
      for (let i = 0; i < rounds; i += 1) {
        await settle();
        await bossClock.tick(700_000);
      }
      await settle();
    },
    calls,
    async lastCall() {
      const all = await calls();
      return all.at(-1)?.seq ?? 0;
    },
    async api<T>(method: string, url: string, payload?: unknown) {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: t.bearer(t.a),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: res.statusCode, body: (res.body ? res.json<T>() : undefined) as T };
    },
    async close() {
      await boss.stop({ graceful: false });
      await t.close();
      await emu.stop();
    },
  };
}

/** The mutations among calls (root field names), e.g. ["productSet"]. */
export const mutationsOf = (calls: readonly EmuCall[]): string[] =>
  calls.filter((c) => c.operationType === 'mutation').flatMap((c) => c.rootFields);

export function expectOk(res: { status: number; body: unknown }, status = 200): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}

/** A variant as GET /api/products answers it (the fields the sync tests read and send back). */
export interface ApiVariant {
  id: string;
  sku: string | null;
  price: string;
  compare_at_price: string | null;
  barcode: string | null;
  option_values: { name: string; value: string }[];
}

/** A product as GET /api/products answers it (the fields the sync tests read). */
export interface ApiProduct {
  id: string;
  title: string;
  handle: string;
  vendor: string;
  tags: string[];
  variants: ApiVariant[];
  version: number;
}

/** The `variants` of a PATCH /api/products body: every variant as it is, with `change` applied to each. */
export const variantsBody = (
  p: Pick<ApiProduct, 'variants'>,
  change: (v: ApiVariant, i: number) => Partial<ApiVariant> = () => ({}),
) =>
  p.variants.map((v, i) => ({
    id: v.id,
    sku: v.sku,
    barcode: v.barcode,
    price: v.price,
    compare_at_price: v.compare_at_price,
    option_values: v.option_values,
    ...change(v, i),
  }));

/** Hands Shopify's answer to the first Admin API call whose body names `operation` to `answer`. */
function onFirstShopifyCall(
  operation: string,
  answer: (res: Response) => Promise<Response>,
): { restore: () => void; met: () => boolean } {
  const real = globalThis.fetch;
  let met = false;
  globalThis.fetch = async (input, init) => {
    const res = await real(input, init);
    const body = typeof init?.body === 'string' ? init.body : '';
    if (met || !String(input).endsWith('/graphql.json') || !body.includes(operation)) return res;
    met = true;
    return answer(res);
  };
  return { restore: () => (globalThis.fetch = real), met: () => met };
}

/**
 * While Shopify answers the first Admin API call whose body names `operation`, runs `meanwhile` (an
 * edit, delivering and applying webhooks) before the caller sees the answer: a race at an exact point
 * of a push. `restore` puts the real fetch back; `raced` says whether the call was met.
 */
export function duringShopifyCall(
  operation: string,
  meanwhile: () => Promise<void>,
): { restore: () => void; raced: () => boolean } {
  const call = onFirstShopifyCall(operation, async (res) => {
    const text = await res.text();
    await meanwhile();
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  });
  return { restore: call.restore, raced: call.met };
}

/**
 * The first Admin API call whose body names `operation` reaches Shopify, which runs it, but its answer
 * never comes back (the connection fails). `restore` puts the real fetch back; `lost` says whether the
 * call was met.
 */
export function loseShopifyAnswer(operation: string): { restore: () => void; lost: () => boolean } {
  const call = onFirstShopifyCall(operation, async (res) => {
    await res.text();
    throw new TypeError('fetch failed');
  });
  return { restore: call.restore, lost: call.met };
}

/**
 * Runs the outbox relay and the push jobs only: deliveries already received wait in the inbox. Before
 * each queue the queue's clock is brought to `now` or the wall clock, whichever is later, so the jobs
 * Retailos's writes queued are due — including the push jobs the relay itself queued: those take the
 * database's own now() as their start (our connections do not read the test clock), which on a
 * Postgres server is past a clock moved before the relay ran.
 */
export async function pushOnly(h: SyncHarness, now = Date.now()): Promise<void> {
  for (const job of [shopifyOutboxJob, shopifyPushJob] as AnyJobDefinition<never>[]) {
    const lag = Math.max(now, Date.now()) - h.bossClock.now();
    if (lag > 0) await h.bossClock.tick(lag + 1);
    await drainQueue(h.boss, job, h.t.deps as never);
  }
}
