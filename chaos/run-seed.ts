// One seed of the chaos run: a seeded emulator store, real Retailos processes connected and imported,
// `ops` random edits on both sides under faults and kills, then faults off, drain, one reconciliation,
// drain, stop, and the verdict (both sides field by field, the ledger, stock, Sync History).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/db/open.ts';
import type { Db } from '../src/db/db.ts';
import { createFreshDatabase } from '../test-support/db.ts';
import { inFlight } from './diagnose.ts';
import { startEmulator, type RunningEmulator } from '../test-support/emulator.ts';
import { bearerApi, connectShop, until } from './client.ts';
import { Ledger } from './ledger.ts';
import { opWorld } from './op-world.ts';
import { runOps, setFaults, type OpStats } from './ops.ts';
import { RetailosProcesses, freePort, type Engine } from './processes.ts';
import { seededRandom } from './random.ts';
import { reconcileOnce, settle, type Reconciled } from './settle.ts';
import { deliveredStates, repairsOf, type Repair } from './repairs.ts';
import { readKeys, readRetailos, readShopify } from './sides.ts';
import { judge, type Overruled, type Verdict } from './verdict.ts';

const KEY = 'chaos-key';
/** How long the drain and the reconciliation may take after the edits stop. */
const SETTLE_MS = Number(process.env['CHAOS_SETTLE_MS'] ?? 300_000);
const SECRET = 'shpss_chaos_secret';

export interface SeedOptions {
  seed: number;
  ops: number;
  engine: Engine;
  /** The Postgres server a fresh database is made on (engine postgres). */
  pgServerUrl: string;
  log: (line: string) => void;
  /** Ops that are a kill or a fault change whatever the draw. */
  planned?: ReadonlyMap<number, 'kill' | 'fault'>;
}

export interface SeedResult {
  seed: number;
  ops: number;
  engine: Engine;
  verdict: Verdict;
  stats: OpStats;
  reconciled: Reconciled;
  /** The reconciliation's differences, each with why it was needed (chaos/repairs.ts). */
  repairs: Repair[];
  openDeadLetters: number;
  /** The open dead letters: entity, record, job, error class and last error. */
  deadLetters: string[];
  /** Exit codes of the processes at the final SIGTERM (0: drained). */
  exitCodes: Record<string, number | null>;
  ms: number;
}

type Cleanup = () => Promise<void> | void;

export async function runSeed(o: SeedOptions): Promise<SeedResult> {
  const t0 = Date.now();
  const cleanups: Cleanup[] = [];
  try {
    return await run(o, t0, cleanups);
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

async function run(o: SeedOptions, t0: number, cleanups: Cleanup[]): Promise<SeedResult> {
  const shop = `chaos-${o.seed}.myshopify.com`;
  const emu = await startEmulator([
    ...['--shop', shop, '--api-key', KEY, '--api-secret', SECRET, '--seed', String(o.seed)],
    ...['--products', '6', '--variants-per-product', '2', '--customers', '5', '--orders', '5'],
    ...['--locations', '2', '--time-scale', '60'], // webhook retries 60× sooner: a killed server gets them soon
  ]);
  cleanups.push(() => emu.stop());
  const dataDir = mkdtempSync(join(tmpdir(), 'rtl-chaos-'));
  const database = o.engine === 'postgres' ? await createFreshDatabase(o.pgServerUrl) : undefined;
  // CHAOS_KEEP=1 keeps Retailos's database (and data folder) to trace a failing seed afterwards.
  if (process.env['CHAOS_KEEP']) o.log(`seed ${o.seed}: kept ${database?.url ?? dataDir}`);
  else {
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    if (database) cleanups.push(() => database.drop());
  }
  const procs = new RetailosProcesses(o.engine, {
    dataDir,
    databaseUrl: database?.url,
    port: await freePort(),
    shopOrigin: emu.shopOriginTemplate,
    apiKey: KEY,
    apiSecret: SECRET,
  });
  cleanups.push(() => procs.killAll());
  await procs.startAll();
  const api = bearerApi(procs.url, await connectShop(procs.url, shop));
  let state = '';
  await until(
    'the import completes and sync is on',
    async () => {
      state = (await api<{ state: string }>('GET', '/api/shopify/connection')).body.state;
      return state === 'syncing' ? true : undefined;
    },
    SETTLE_MS,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message} (the connection is ${state})`, { cause: err });
  });
  await settle(api, emu, SETTLE_MS);
  const start = await readShopify(emu, shop);
  o.log(`seed ${o.seed}: imported in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${o.ops} ops`);

  await emu.control('POST', '/faults', { seed: o.seed }); // the emulator's fault rolls are seeded too
  const ledger = new Ledger();
  const w = opWorld(
    {
      rng: seededRandom(o.seed),
      ledger,
      emu,
      shop,
      api,
      locations: [...start.location.keys()].map((gid) => Number(gid.split('/').pop())),
    },
    o.seed,
  );
  const stats = await runOps(w, procs, o.ops, o.planned);

  // The edits stop: every process up, faults off, drain, one reconciliation, drain.
  for (const role of procs.down()) await procs.start(role);
  await setFaults(w, 'calm');
  const { reconciled, openDeadLetters } = await explained(o, procs, database?.url, dataDir, async () => {
    await settle(api, emu, SETTLE_MS);
    const reconciled = await reconcileOnce(api, SETTLE_MS);
    return { reconciled, openDeadLetters: (await settle(api, emu, SETTLE_MS)).openDeadLetters };
  });
  const exitCodes = await procs.stopAll();
  const deadLetters: string[] = [];
  const repairs: Repair[] = [];
  const verdict = await verdictOf(o, database?.url, dataDir, emu, shop, ledger, start, deadLetters);
  const db = await openRetailosDb(o, database?.url, dataDir);
  try {
    repairs.push(...(await repairsOf(db, emu, shop, reconciled.runId)));
  } finally {
    await db.close();
  }
  return {
    seed: o.seed,
    ops: o.ops,
    engine: o.engine,
    verdict,
    stats,
    reconciled,
    repairs,
    openDeadLetters,
    deadLetters,
    exitCodes,
    ms: Date.now() - t0,
  };
}

/** Runs `fn`; when it fails, stops Retailos and adds what was still in flight to the error. */
async function explained<T>(
  o: SeedOptions,
  procs: RetailosProcesses,
  databaseUrl: string | undefined,
  dataDir: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    await procs.stopAll();
    const db = await openRetailosDb(o, databaseUrl, dataDir);
    try {
      const lines = await inFlight(db);
      throw new Error(`${(err as Error).message}\n${lines.join('\n')}`, { cause: err });
    } finally {
      await db.close();
    }
  }
}

const openRetailosDb = (o: SeedOptions, databaseUrl: string | undefined, dataDir: string): Promise<Db> =>
  openDb({
    ...(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'db') }),
    onIdleError: (err) => o.log(`idle database connection failed: ${err.message}`),
  });

async function verdictOf(
  o: SeedOptions,
  databaseUrl: string | undefined,
  dataDir: string,
  emu: RunningEmulator,
  shop: string,
  ledger: Ledger,
  start: Awaited<ReturnType<typeof readShopify>>,
  deadLetters: string[],
): Promise<Verdict> {
  const db = await openRetailosDb(o, databaseUrl, dataDir);
  try {
    const { rows } = await db.query<{ tenant_id: string }>(
      'select tenant_id from shopify_connections where shop = $1',
      [shop],
    );
    const tenantId = rows[0]?.tenant_id;
    if (!tenantId) throw new Error(`no connection for ${shop}`);
    const keys = await readKeys(db, tenantId);
    const retailos = await readRetailos(db, tenantId, keys);
    const history = new Map<string, number[]>();
    const overruled = new Map<string, Overruled[]>();
    const entries = await db.query<{
      entity: string;
      local_id: string | null;
      gid: string | null;
      at: Date;
      conflicts: { path: string; lost: unknown; winner: string }[] | null;
    }>(
      `select entity, local_id::text, gid, occurred_at as at, conflicts from shopify_sync_history
        where tenant_id = $1 and origin <> 'import'`,
      [tenantId],
    );
    for (const h of entries.rows) {
      const key =
        h.entity === 'inventory_level'
          ? h.local_id && keys.levels.get(h.local_id)
          : (h.gid ?? (h.local_id ? keys.key(h.entity as 'product', h.local_id) : undefined));
      if (!key) continue;
      const k = `${h.entity}|${key}`;
      history.set(k, [...(history.get(k) ?? []), new Date(h.at).getTime()]);
      const lost = (h.conflicts ?? []).filter((c) => c.winner === 'remote');
      if (lost.length > 0)
        overruled.set(k, [
          ...(overruled.get(k) ?? []),
          ...lost.map((c) => ({ at: new Date(h.at).getTime(), path: c.path, lost: c.lost })),
        ]);
    }
    const letters = await db.query<{ line: string }>(
      `select entity || ' ' || coalesce(gid, local_id::text, '?') || ' (' || job || ', ' || error_class || '): ' ||
              left(last_error, 300) as line from shopify_dead_letters where tenant_id = $1 and state = 'open'`,
      [tenantId],
    );
    deadLetters.push(...letters.rows.map((r) => r.line));
    const startStock = new Map([...start.inventory_level].map(([k, f]) => [k, f['available'] as number]));
    return judge(ledger.entries, {
      shopify: await readShopify(emu, shop),
      retailos,
      keys,
      startStock,
      history,
      overruled,
      delivered: await deliveredStates(emu, shop),
    });
  } finally {
    await db.close();
  }
}
