import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { ManualClock } from '../src/clock.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createApiToken, createUser } from '../src/core/owner-bootstrap.ts';
import type { Db } from '../src/db/db.ts';
import { ShopifySlot, type Enqueue, type ShopifyWiring } from '../src/deps.ts';
import { buildApp, type AppDeps } from '../src/http/app.ts';
import { SESSION_COOKIE } from '../src/http/auth/session-cookie.ts';
import { wakeRelayOnChanges } from '../src/sync/continuous/outbox-relay.ts';
import { openTestDb } from './db.ts';

/**
 * An app on a fresh migrated database with two tenants, each with an owner and a bearer token, so
 * route tests can prove a tenant never reads or writes another's data:
 *
 *   const t = await createTestApp();
 *   const res = await t.app.inject({ method: 'GET', url: '/api/products', headers: t.bearer(t.a) });
 *   const s = await t.login(t.b); // cookie session: s.headers carries the cookie and X-CSRF-Token
 *   await t.close();
 */
export interface TestTenant {
  tenantId: string;
  userId: string;
  email: string;
  password: string;
  /** A live API token of the owner (`rtl_…`). */
  token: string;
  tokenId: string;
}

export interface TestSession {
  /** The session id from Set-Cookie. */
  sessionId: string;
  csrfToken: string;
  /** Cookie plus X-CSRF-Token: enough for any request, reads and writes. */
  headers: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Connection string of the test database (Postgres runs only), for pg-boss. */
  dbUrl: string | undefined;
  clock: ManualClock;
  deps: AppDeps;
  a: TestTenant;
  b: TestTenant;
  bearer(t: TestTenant | string): Record<string, string>;
  login(t: Pick<TestTenant, 'email' | 'password'>): Promise<TestSession>;
  /** Another app on the same database and seed, with other options (closed by close()). */
  variant(opts: TestAppOptions): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<Record<keyof Config, string>>;
  readiness?: AppDeps['readiness'];
  bodyLimit?: number;
  loginThrottle?: AppDeps['loginThrottle'];
  /** Wrap or replace the database the app sees (e.g. to make it fail). */
  wrapDb?: (db: Db) => Db;
  /** A Shopify app to talk as (tests point it at an emulator). */
  shopify?: ShopifyWiring;
  /** The built web UI to serve (a browser test's fresh build); web/dist otherwise. */
  webDistDir?: string;
}

/** Cheap scrypt for fixtures only; the app verifies with whatever parameters the hash string names. */
const FIXTURE_SCRYPT = { N: 1024, r: 8, p: 1, keyLength: 32 };

async function seedTenant(deps: AppDeps, name: string, email: string): Promise<TestTenant> {
  const password = `pw-${name}-${randomBytes(6).toString('hex')}`;
  const user = await createUser(
    { ...deps, scrypt: FIXTURE_SCRYPT },
    { tenantName: name, email, password, role: 'owner' },
  );
  const issued = await createApiToken(deps, {
    tenantId: user.tenantId,
    userId: user.id,
    name: `${name} token`,
  });
  return {
    tenantId: user.tenantId,
    userId: user.id,
    email,
    password,
    token: issued.token,
    tokenId: issued.apiToken.id,
  };
}

export function sessionFromSetCookie(setCookie: string | string[] | undefined): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.map((c) => new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(c)?.[1]).find((v) => v);
  if (!found) throw new Error(`no ${SESSION_COOKIE} cookie in Set-Cookie: ${JSON.stringify(setCookie)}`);
  return found;
}

async function loginAs(
  app: FastifyInstance,
  t: Pick<TestTenant, 'email' | 'password'>,
): Promise<TestSession> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: t.email, password: t.password },
  });
  if (res.statusCode !== 200) throw new Error(`login as ${t.email} failed: ${res.statusCode} ${res.body}`);
  const sessionId = sessionFromSetCookie(res.headers['set-cookie']);
  const csrfToken = (res.json() as { csrf_token: string }).csrf_token;
  return {
    sessionId,
    csrfToken,
    headers: { cookie: `${SESSION_COOKIE}=${sessionId}`, 'x-csrf-token': csrfToken },
  };
}

/** A test app's queue until a test starts one (startTestBoss puts pg-boss's `send` in its place). */
export const noQueue: Enqueue = async (job) => {
  throw new Error(`no job queue runs in this test app (${job} not queued): start one with startTestBoss`);
};

function makeDeps(db: Db, clock: ManualClock, opts: TestAppOptions): AppDeps {
  const deps: AppDeps = {
    db: opts.wrapDb ? opts.wrapDb(db) : db,
    clock,
    logger: pino({ level: 'silent' }),
    config: loadConfig({}, opts.config),
    randomBytes,
    enqueue: noQueue,
    // As the runtime wires it; it reads deps.enqueue at each call, so a test boss started later counts.
    changesRecorded: (tenantId, origin) => wakeRelay(tenantId, origin),
    shopify: new ShopifySlot(opts.shopify),
    ...(opts.readiness ? { readiness: opts.readiness } : {}),
    ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
    ...(opts.loginThrottle ? { loginThrottle: opts.loginThrottle } : {}),
    ...(opts.webDistDir ? { webDistDir: opts.webDistDir } : {}),
  };
  const wakeRelay = wakeRelayOnChanges(deps);
  return deps;
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await openTestDb();
  const clock = new ManualClock();
  const deps = makeDeps(testDb.db, clock, opts);
  const seedDeps = { ...deps, db: testDb.db };
  const a = await seedTenant(seedDeps, 'Tenant A', 'owner-a@example.com');
  const b = await seedTenant(seedDeps, 'Tenant B', 'owner-b@example.com');
  const app = buildApp(deps);
  const apps = [app];
  await app.ready();
  return {
    app,
    db: testDb.db,
    dbUrl: testDb.url,
    clock,
    deps,
    a,
    b,
    bearer: (t) => ({ authorization: `Bearer ${typeof t === 'string' ? t : t.token}` }),
    login: (t) => loginAs(app, t),
    async variant(variantOpts) {
      const other = buildApp(makeDeps(testDb.db, clock, variantOpts));
      apps.push(other);
      await other.ready();
      return other;
    },
    async close() {
      for (const each of apps) await each.close();
      await testDb.close();
    },
  };
}
