import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/core/owner-bootstrap.ts';
import type { Db } from '../../src/db/db.ts';
import { openDb } from '../../src/db/open.ts';
import type { PgliteDb } from '../../src/db/pglite-db.ts';
import { listRanges } from '../../src/db/shopify-import-ranges.ts';
import { getLatestImport } from '../../src/db/shopify-imports.ts';
import { createSecretBox } from '../../src/shopify/secret-box.ts';
import { requestedScopes } from '../../src/sync/shopify-deps.ts';
import { createTestApp, type TestApp } from '../../test-support/app.ts';
import { startEmulator, type RunningEmulator } from '../../test-support/emulator.ts';
import type { ImportChildConfig } from '../../test-support/import-child.ts';
import { expectImported, expectWrittenOnce } from '../../test-support/import-compare.ts';
import { connectShop, emulatorWiring } from '../../test-support/shopify.ts';

/**
 * The import survives `kill -9` anywhere: a worker process (test-support/import-child.ts) drains the
 * import job and is SIGKILLed at points a seeded PRNG picks (inside an open batch transaction, while a
 * result file is being read, or after a random number of its progress lines), then started again,
 * until the import completes. Every record arrives exactly once and each kill costs at most one batch.
 * One seed alone: IMPORT_KILL_SEEDS=21 npx vitest run test/e2e/import-kill.test.ts
 */
const KEY = 'kill-key';
const SECRET = 'shpss_kill_secret';
const SEEDS = process.env['IMPORT_KILL_SEEDS']
  ? process.env['IMPORT_KILL_SEEDS'].split(',').map(Number)
  : [7, 21, 1999];
const BATCH_SIZE = 6;
/**
 * Two result files are written at once, on both engines: a kill may cut one batch of each short. On
 * PGlite, whose statements run on the child's one thread, the lanes take turns at whole files in
 * practice; on the server their batches overlap, and the test sees them do so.
 */
const LANES = 2;
const STORE = { products: 24, variantsPerProduct: 3, customers: 16, orders: 16, locations: 2 };
const CHILD = join(import.meta.dirname, '..', '..', 'test-support', 'import-child.ts');
const shopOf = (seed: number) => `kill-${seed}.myshopify.com`;

let emu: RunningEmulator;
let t: TestApp;
let dataDir: string | undefined;
const secretKey = randomBytes(32);
const tenants = new Map<number, string>();
let childBase: Omit<ImportChildConfig, 'tenantId'>;

beforeAll(async () => {
  emu = await startEmulator([
    ...SEEDS.flatMap((s) => ['--shop', shopOf(s)]),
    ...['--api-key', KEY, '--api-secret', SECRET, '--seed', '5'],
    ...['--products', String(STORE.products), '--variants-per-product', String(STORE.variantsPerProduct)],
    ...['--customers', String(STORE.customers), '--orders', String(STORE.orders)],
    ...['--locations', String(STORE.locations)],
  ]);
  const wiring = {
    ...emulatorWiring(emu, KEY, SECRET, 'http://127.0.0.1:9'),
    secretBox: createSecretBox(secretKey, randomBytes),
  };
  wiring.app.scopes = requestedScopes(true);
  t = await createTestApp({ shopify: wiring });
  t.clock.set(new Date());
  const owners = [t.a, t.b];
  for (const seed of SEEDS) {
    let owner = owners.shift();
    if (!owner) {
      const email = `owner-${seed}@example.com`;
      const password = `pw-${randomBytes(6).toString('hex')}`;
      const scrypt = { N: 1024, r: 8, p: 1, keyLength: 32 };
      const user = await createUser(
        { ...t.deps, scrypt },
        { tenantName: `Seed ${seed}`, email, password, role: 'owner' },
      );
      owner = { ...t.a, tenantId: user.tenantId, email, password };
    }
    await connectShop(t, await t.login(owner), shopOf(seed)); // no queue here: the import waits, pending
    tenants.set(seed, owner.tenantId);
  }
  childBase = {
    secretKey: secretKey.toString('hex'),
    app: wiring.app,
    batchSize: BATCH_SIZE,
    maxBatchesPerStep: 5,
    ingestLanes: LANES,
    rangeTail: 4, // products, customers and orders each export in id ranges (the last of 4 records)
  };
  if (t.dbUrl) {
    childBase.databaseUrl = t.dbUrl;
    return;
  }
  // PGlite: one process per data folder. Copy the in-memory database to disk, and let go of it.
  dataDir = mkdtempSync(join(tmpdir(), 'retailos-import-kill-'));
  const dump = await (t.db as PgliteDb).pglite.dumpDataDir('none');
  const disk = new PGlite(dataDir, { loadDataDir: dump });
  await disk.waitReady;
  await disk.close();
  childBase.dataDir = dataDir;
}, 120_000);

// A test that timed out keeps running: stop its child, and let it start no other.
let running: ChildProcess | undefined;
let abandoned = false;
afterEach(() => {
  if (!running || running.exitCode !== null || running.signalCode !== null) return;
  abandoned = true;
  running.kill('SIGKILL');
});

afterAll(async () => {
  await t?.close();
  await emu?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** mulberry32: a small seeded PRNG, so each seed's kill points are the same on every run. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type KillPoint =
  | { kind: 'write'; n: number } // mid-batch: the n-th batch holds with its transaction open
  | { kind: 'download'; n: number } // mid-download: the n-th result slice holds while the file is read
  | { kind: 'line'; n: number }; // wherever the child is when its n-th progress line reaches us

/** Two kills per seed; across the seeds each kind of kill point comes twice. */
function killPlan(seed: number): KillPoint[] {
  const rand = prng(seed);
  const pairs: KillPoint['kind'][][] = [
    ['write', 'download'],
    ['download', 'line'],
    ['line', 'write'],
  ];
  const kinds = pairs[SEEDS.indexOf(seed) % pairs.length] as KillPoint['kind'][];
  if (rand(2) === 1) kinds.reverse();
  return kinds.map((kind) => {
    if (kind === 'write') return { kind, n: 1 + rand(10) };
    if (kind === 'download') return { kind, n: 2 + rand(20) };
    return { kind, n: 1 + rand(40) };
  });
}

interface Life {
  events: string[];
  killed: boolean;
}

/** Runs the child until it finishes, or SIGKILLs it at `kill`. Never waits on time, only on its lines. */
function runChild(tenantId: string, kill: KillPoint | undefined): Promise<Life> {
  const cfg: ImportChildConfig = {
    ...childBase,
    tenantId,
    ...(kill && kill.kind !== 'line' ? { hold: { at: kill.kind, n: kill.n } } : {}),
  };
  if (abandoned) return Promise.reject(new Error('an earlier test left its child running'));
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, IMPORT_CHILD: JSON.stringify(cfg) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running = child;
  const events: string[] = [];
  let stderr = '';
  let progress = 0;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    events.push(line);
    if (/^(DL|BATCH_OPEN|WRITE|COMMIT) /.test(line)) progress += 1;
    const due = line.startsWith('HOLD ') || (kill?.kind === 'line' && progress === kill.n);
    if (due && child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ events, killed: true });
      else if (code === 0 && events.at(-1) === 'DONE completed') resolve({ events, killed: false });
      else
        reject(
          new Error(`import child exited ${code ?? signal}:\n${events.slice(-5).join('\n')}\n${stderr}`),
        );
    });
  });
}

interface Tally {
  opened: number;
  committed: Map<string, number>;
  redone: number;
  /** Per killed life, the resource of each batch the kill cut short ('' if killed before its WRITE). */
  cut: string[][];
  /** The most batches open at once in any life (the lanes at work). */
  mostOpen: number;
}

/** Batches begun and committed across the lives; a batch is `resource line` (its checkpoint). */
function tallyLives(lives: Life[], checkpoints: (Map<string, number> | undefined)[]): Tally {
  const tally: Tally = { opened: 0, committed: new Map(), redone: 0, cut: [], mostOpen: 0 };
  const commit = (key: string) => tally.committed.set(key, (tally.committed.get(key) ?? 0) + 1);
  lives.forEach((life, i) => {
    const open = new Map<string, string>(); // batch n begun, not committed: 'resource line', '' before WRITE
    for (const e of life.events) {
      const [kind, a = '', b = '', n = ''] = e.split(' ');
      if (kind === 'BATCH_OPEN') {
        tally.opened += 1;
        open.set(a, '');
        tally.mostOpen = Math.max(tally.mostOpen, open.size);
      } else if (kind === 'WRITE') open.set(n, `${a} ${b}`);
      else if (kind === 'COMMIT') {
        commit(`${a} ${b}`);
        open.delete(n);
      }
    }
    if (!life.killed) return;
    // A batch open at the kill counts as redone unless its commit made it to disk before the kill.
    const after = checkpoints[i + 1];
    const cut: string[] = [];
    for (const batch of open.values()) {
      const [resource = '', line = '0'] = batch.split(' ');
      if (batch !== '' && (after?.get(resource) ?? 0) >= Number(line)) commit(batch);
      else {
        tally.redone += 1;
        cut.push(resource);
      }
    }
    tally.cut.push(cut);
  });
  return tally;
}

/** Opens the database the children wrote (PGlite: only now that no child holds it). */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (!dataDir) return fn(t.db);
  const db = await openDb({
    dataDir,
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

describe('the initial import under kill -9', () => {
  it.each(SEEDS)(
    'seed %i: killed at random points and restarted, the import completes, redoing at most one batch per resource per kill',
    async (seed) => {
      const plan = killPlan(seed);
      const lives: Life[] = [];
      for (let i = 0; ; i += 1) {
        const life = await runChild(tenants.get(seed) as string, plan[i]);
        lives.push(life);
        if (!life.killed) break;
      }
      // Each life's starting checkpoint, as the next child read it from the database.
      const checkpoints = lives.map((life) => {
        const line = life.events.find((e) => e.startsWith('RESUME '));
        return line ? new Map(JSON.parse(line.slice(7)) as [string, number][]) : undefined;
      });
      const tally = tallyLives(lives, checkpoints);
      const kills = lives.filter((l) => l.killed).length;
      const batches = tally.committed.size;
      const twice = [...tally.committed].filter(([, n]) => n > 1).map(([b]) => b);
      const points = plan.slice(0, kills).map((k) => `${k.kind}@${k.n}`);
      console.log(
        `seed ${seed}: ${kills} kills (${points.join(', ')}), ${batches} batches, ` +
          `${tally.opened} batch transactions begun, ${tally.opened - batches} batches redone ` +
          `(${tally.redone} cut short by a kill: ${JSON.stringify(tally.cut)}), at most ${tally.mostOpen} open at once`,
      );
      expect(kills, 'every planned kill landed before the import finished').toBe(plan.length);
      // Products, customers and orders are exported in id ranges (a batch never spans two files).
      const ranges = await withDb(async (db) => {
        const run = await getLatestImport(db, tenants.get(seed) as string);
        return listRanges(db, run?.id as string);
      });
      const rangedFiles = (resource: string) => ranges.filter((r) => r.resource === resource);
      expect(
        ['products', 'customers', 'orders'].map((r) => rangedFiles(r).length),
        'ranges per resource',
      ).toEqual([3, 2, 2]);
      const batchesOf = (resource: string, records: number) => {
        const files = rangedFiles(resource);
        if (files.length === 0) return Math.ceil(records / BATCH_SIZE);
        expect(
          files.reduce((n, f) => n + (f.total ?? 0), 0),
          `${resource} in its ranges`,
        ).toBe(records);
        return files.reduce((n, f) => n + Math.ceil((f.total ?? 0) / BATCH_SIZE), 0);
      };
      const expected =
        batchesOf('products', STORE.products) +
        batchesOf('customers', STORE.customers) +
        batchesOf('orders', STORE.orders) +
        batchesOf('inventory', STORE.products * STORE.variantsPerProduct * STORE.locations);
      expect(batches, 'every batch committed').toBe(expected);
      expect(twice, 'no batch commits twice').toEqual([]);
      expect(tally.opened - batches, 'every batch begun again was one a kill cut short').toBe(tally.redone);
      for (const cut of tally.cut) {
        // Each resource writes one batch at a time: a kill cuts at most one per lane, of distinct resources.
        expect(cut.length, 'batches one kill cut short').toBeLessThanOrEqual(LANES);
        const named = cut.filter((r) => r !== '').map((file) => file.split('#')[0]);
        expect(new Set(named).size, `resources of the batches cut short: ${named.join(', ')}`).toBe(
          named.length,
        );
      }
      if (t.dbUrl) expect(tally.mostOpen, 'the lanes wrote two files at once').toBe(LANES);
      else expect(tally.mostOpen).toBeLessThanOrEqual(LANES);
    },
    180_000,
  );

  it("after the kills every record is imported exactly once, equal to Shopify's", async () => {
    await withDb(async (db) => {
      for (const seed of SEEDS) {
        const tenantId = tenants.get(seed) as string;
        const want = await expectImported(db, emu, shopOf(seed), tenantId); // field by field
        const variants = want.products.flatMap((p) => p.variants);
        const levels = variants.reduce((n, v) => n + v.inventory.length, 0);
        const run = await getLatestImport(db, tenantId);
        // `done` adds up per committed batch: a batch committed twice would count its records twice.
        expect(run?.resources.map((r) => [r.resource, r.state, r.done, r.parked])).toEqual([
          ['locations', 'completed', STORE.locations, 0],
          ['products', 'completed', want.products.length, 0],
          ['customers', 'completed', want.customers.length, 0],
          ['orders', 'completed', want.orders.length, 0],
          ['inventory', 'completed', levels, 0],
        ]);
        expect(run?.state).toBe('completed');
        const links = await db.query<{ entity: string; n: number }>(
          `select entity, count(*)::int as n from shopify_links where tenant_id = $1 group by entity`,
          [tenantId],
        );
        expect(Object.fromEntries(links.rows.map((r) => [r.entity, r.n]))).toMatchObject({
          location: STORE.locations,
          product: want.products.length,
          variant: variants.length,
          customer: want.customers.length,
          order: want.orders.length,
        });
        // No change rows (decision 0007); each record written once, named once in Sync History.
        expect(
          (
            await db.query<{ n: number }>('select count(*)::int as n from changes where tenant_id = $1', [
              tenantId,
            ])
          ).rows[0]?.n,
        ).toBe(0);
        const written = await expectWrittenOnce(db, tenantId);
        expect(written).toMatchObject({
          location: STORE.locations,
          product: want.products.length,
          customer: want.customers.length,
          order: want.orders.length,
          inventory_level: levels,
        });
      }
    });
  }, 60_000);
});
