import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Db, QueryResult, Queryable } from './db.ts';
import { LOCK_FILE, lockDataFolder, type DataFolderLock } from './data-folder-lock.ts';

type PgliteLike = Pick<PGlite, 'query' | 'exec'>;

/** Strings at least this long are sent to Postgres already encoded (binary format). */
const LONG_PARAM = 1024;

/**
 * A long text, json or jsonb parameter (a batch's rows as one JSON document) is encoded to UTF-8 by
 * Buffer, natively, and sent in Postgres' binary format: the text itself, after a version byte for
 * jsonb. PGlite's own text path counts the UTF-8 length in a JavaScript loop over every character,
 * twice: ~30% of the time of a 500-record batch insert. Anything else takes PGlite's usual path.
 */
function utf8Param(oid: number, prefix: readonly number[]): (v: unknown) => string {
  const usual = types.serializers[oid] as (v: unknown) => string;
  return (v) => {
    if (typeof v !== 'string' || v.length < LONG_PARAM) return usual(v);
    // A Uint8Array is what PGlite sends as a binary-format parameter (its types promise a string).
    return Buffer.concat([Buffer.from(prefix), Buffer.from(v, 'utf8')]) as unknown as string;
  };
}

const QUERY_OPTIONS = {
  serializers: {
    [types.TEXT]: utf8Param(types.TEXT, []),
    [types.JSON]: utf8Param(types.JSON, []),
    [types.JSONB]: utf8Param(types.JSONB, [1]),
  },
};

function wrap(q: PgliteLike): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await q.query<R>(sql, params as unknown[], QUERY_OPTIONS);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

export interface PgliteDb extends Db {
  /** The underlying instance, for pg-boss's `fromPglite` adapter in the same process. */
  readonly pglite: PGlite;
}

/**
 * Server settings on top of PGlite's own start parameters (which keep fsync off: a committed row is in
 * the data folder's files as soon as COMMIT returns, so it survives the process being killed).
 * PGlite's shared memory is allocated and touched at start-up inside the WebAssembly heap, which never
 * shrinks: its default shared_buffers (160 MB) alone was ~120 MB of resident memory. The evicted pages
 * are in the OS page cache, one read away.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '32MB',
};

const startParams = (): string[] => [
  ...PGlite.defaultStartParams,
  ...Object.entries(PGLITE_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
];

const run = promisify(execFile);

/**
 * Creates the cluster of a new data folder in a short-lived child process, then moves it into place.
 * PGlite's initdb runs a second Postgres instance and the initdb program beside the real one, and
 * the WebAssembly memory they grow (~500 MB) is never given back to the OS: in this process it would
 * stay resident for the server's whole life. A folder that already holds files (besides our lock) is
 * left to PGlite. The cluster's files move into the (locked) folder one by one, PG_VERSION last: a
 * folder without it is not a cluster yet.
 */
async function initdbInChild(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return;
  if (readdirSync(dataDir).some((name) => name !== LOCK_FILE)) return;
  const staging = `${dataDir}.initdb-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script =
    'const { PGlite } = await import(process.argv[1]); const pg = await PGlite.create(process.argv[2]); await pg.close();';
  try {
    await run(process.execPath, ['--input-type=module', '-e', script, pglite, staging]);
    const names = readdirSync(staging).sort(
      (a, b) => Number(a === 'PG_VERSION') - Number(b === 'PG_VERSION'),
    );
    for (const name of names) renameSync(join(staging, name), join(dataDir, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function startPglite(dataDir: string | undefined): Promise<PGlite> {
  // pg_trgm: Sync History's search index (migration 0025).
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    startParams: startParams(),
    extensions: { pg_trgm },
  });
  await pglite.waitReady;
  return pglite;
}

/**
 * Opens embedded Postgres. `dataDir` undefined = in memory (tests). One process per data folder: the
 * folder's lock (data-folder-lock.ts) refuses a second one with DataFolderInUseError, and is released
 * on close.
 */
export async function openPglite(dataDir?: string): Promise<PgliteDb> {
  let lock: DataFolderLock | undefined;
  let pglite: PGlite;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    lock = lockDataFolder(dataDir);
  }
  try {
    if (dataDir) await initdbInChild(dataDir);
    pglite = await startPglite(dataDir);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const base = wrap(pglite);
  return {
    kind: 'pglite',
    pglite,
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => fn(wrap(tx)));
    },
    async close(): Promise<void> {
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
