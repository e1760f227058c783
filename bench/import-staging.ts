// bench:import-staging — issue 19's "set-based staging" question, measured: does writing an import
// batch through COPY (into a staging table, then one INSERT … SELECT … ON CONFLICT) cost less than the
// import's one statement per table per batch today (`jsonb_to_recordset` of one JSON parameter)?
//
// Two row shapes of the import, each written in batches of 500 rows, one transaction per batch, on
// PGlite (this process, the product's settings) and on the Postgres server (pg; COPY by pg-copy-streams):
//   - sync base: wide rows (a product's canonical snapshot as jsonb, its hash, GID), two unique indexes;
//   - line items: narrow rows with a foreign key to a 30,000-row variants table (checked per row).
// Methods: `json` (today), `copy-stage` (COPY into a temporary staging table, INSERT … SELECT … ON
// CONFLICT DO NOTHING, TRUNCATE), `copy-direct` (COPY straight into the table: no conflict handling,
// so not usable for the import's upserts; the lower bound of COPY). Each method runs ROUNDS times,
// interleaved, and prints CPU per 1,000 rows (PGlite: this process; server: its backend + this client)
// and wall time. CPU is the figure to read on a loaded machine.
//   BENCH_ROWS (default 100,000 per run), BENCH_ROUNDS (default 2), BENCH_ENGINES (default pglite,postgres),
//   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PGLITE_SETTINGS } from '../src/db/pglite-db.ts';
import { cpuSecondsOf } from './proc-cpu.ts';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 100_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);
const ENGINES = (process.env['BENCH_ENGINES'] ?? 'pglite,postgres').split(',');
const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BATCH = 500;
const VARIANTS = 30_000;
const METHODS = ['json', 'copy-stage', 'copy-direct'] as const;
type Method = (typeof METHODS)[number];
type Shape = 'sync base' | 'line items';

/** One engine's connection as the bench needs it: SQL, COPY from text, and the CPU it spends. */
interface Engine {
  name: string;
  query(sql: string, params?: unknown[]): Promise<void>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
  copy(sql: string, text: string): Promise<void>;
  cpuS(): number;
  close(): Promise<void>;
}

const SCHEMA = `
  create table variants (id uuid primary key);
  create table base (tenant_id uuid not null, entity text not null, local_id uuid not null, gid text not null,
    snapshot_hash text not null, snapshot jsonb not null, remote_updated_at timestamptz, synced_at timestamptz not null,
    primary key (tenant_id, entity, local_id));
  create unique index base_gid_key on base (tenant_id, entity, gid);
  create table lines (id uuid primary key, tenant_id uuid not null, order_id uuid not null, position int not null,
    sku text, title text not null, quantity int not null, unit_price numeric(14, 2) not null,
    variant_id uuid references variants(id));
  create index lines_order_idx on lines (order_id);`;

const STAGES = `
  create temporary table base_stage (local_id uuid, gid text, hash text, snapshot jsonb, remote_updated_at timestamptz);
  create temporary table lines_stage (id uuid, order_id uuid, position int, sku text, title text, quantity int,
    unit_price numeric(14, 2), variant_id uuid);`;

async function pgliteEngine(): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-staging-'));
  const db = new PGlite({
    dataDir: dir,
    startParams: [
      ...PGlite.defaultStartParams,
      ...Object.entries(PGLITE_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
  });
  await db.waitReady;
  const usage = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  return {
    name: 'PGlite',
    query: async (sql, params) => {
      await db.query(sql, params);
    },
    exec: async (sql) => {
      await db.exec(sql);
    },
    copy: async (sql, text) => {
      await db.query(sql.replace('from stdin', "from '/dev/blob'"), [], { blob: new Blob([text]) });
    },
    cpuS: usage,
    close: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function serverEngine(): Promise<Engine> {
  const admin = new pg.Client(PG_URL);
  await admin.connect();
  const name = `bench_staging_${process.pid}`;
  await admin.query(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const client = new pg.Client(url.toString());
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const backend = rows[0]?.pid as number;
  const usage = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6 + cpuSecondsOf(backend);
  };
  return {
    name: 'Postgres server',
    query: async (sql, params) => {
      await client.query(sql, params);
    },
    exec: async (sql) => {
      await client.query(sql);
    },
    copy: async (sql, text) => {
      await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
    },
    cpuS: usage,
    close: async () => {
      await client.end();
      await admin.query(`drop database ${name}`);
      await admin.end();
    },
  };
}

/** COPY's text format: tab-separated, `\N` for null, backslash escapes. */
const field = (v: unknown): string =>
  v === null || v === undefined
    ? '\\N'
    : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
const copyText = (rows: readonly unknown[][]): string =>
  rows.map((r) => r.map(field).join('\t')).join('\n') + '\n';

/** A product's snapshot as the sync base keeps it (about the size of the bench store's). */
function snapshot(i: number): Record<string, unknown> {
  return {
    title: `Product title number ${i}`,
    handle: `product-${i}`,
    vendor: 'Acme',
    productType: 'Shirts',
    status: 'ACTIVE',
    tags: ['summer', 'cotton', 'sale'],
    descriptionHtml: `<p>Description of product ${i}, with a sentence or two of text.</p>`,
    variants: [1, 2, 3].map((v) => ({
      id: `gid://shopify/ProductVariant/${1_000_000_000_000 + i * 10 + v}`,
      sku: `SKU-${i}-${v}`,
      price: '12.50',
      compareAtPrice: null,
      barcode: null,
      title: `Size ${v}`,
      inventoryPolicy: 'DENY',
    })),
  };
}

async function writeBatch(e: Engine, shape: Shape, method: Method, batch: number, variantIds: string[]) {
  const tenant = '00000000-0000-4000-8000-000000000001';
  const now = new Date().toISOString();
  if (shape === 'sync base') {
    const rows = Array.from({ length: BATCH }, (_, k) => {
      const i = batch * BATCH + k;
      const snap = snapshot(i);
      return {
        local_id: randomUUID(),
        gid: `gid://shopify/Product/${1_000_000_000_000 + i}`,
        hash: createHash('sha256').update(JSON.stringify(snap)).digest('hex'),
        snapshot: snap,
        remote_updated_at: now,
      };
    });
    if (method === 'json')
      return e.query(
        `insert into base select $1, 'product', r.local_id, r.gid, r.hash, r.snapshot, r.remote_updated_at, $2
           from jsonb_to_recordset($3::jsonb) as r(local_id uuid, gid text, hash text, snapshot jsonb, remote_updated_at timestamptz)
         on conflict (tenant_id, entity, gid) do nothing`,
        [tenant, now, JSON.stringify(rows)],
      );
    if (method === 'copy-direct')
      return e.copy(
        'copy base from stdin',
        copyText(
          rows.map((r) => [
            tenant,
            'product',
            r.local_id,
            r.gid,
            r.hash,
            JSON.stringify(r.snapshot),
            r.remote_updated_at,
            now,
          ]),
        ),
      );
    await e.copy(
      'copy base_stage from stdin',
      copyText(rows.map((r) => [r.local_id, r.gid, r.hash, JSON.stringify(r.snapshot), r.remote_updated_at])),
    );
    await e.query(
      `insert into base select $1, 'product', local_id, gid, hash, snapshot, remote_updated_at, $2 from base_stage
       on conflict (tenant_id, entity, gid) do nothing`,
      [tenant, now],
    );
    return e.query('truncate base_stage');
  }
  const rows = Array.from({ length: BATCH }, (_, k) => ({
    id: randomUUID(),
    order_id: randomUUID(),
    position: k % 3,
    sku: `SKU-${batch}-${k}`,
    title: `Line ${k}`,
    quantity: 1 + (k % 4),
    unit_price: '19.99',
    variant_id: variantIds[(batch * 7919 + k * 104_729) % variantIds.length],
  }));
  if (method === 'json')
    return e.query(
      `insert into lines select r.id, $1, r.order_id, r.position, r.sku, r.title, r.quantity, r.unit_price, r.variant_id
         from jsonb_to_recordset($2::jsonb) as r(id uuid, order_id uuid, position int, sku text, title text, quantity int,
           unit_price numeric, variant_id uuid)
       on conflict (id) do nothing`,
      [tenant, JSON.stringify(rows)],
    );
  const values = (r: (typeof rows)[number]) => [
    r.order_id,
    r.position,
    r.sku,
    r.title,
    r.quantity,
    r.unit_price,
    r.variant_id,
  ];
  if (method === 'copy-direct')
    return e.copy('copy lines from stdin', copyText(rows.map((r) => [r.id, tenant, ...values(r)])));
  await e.copy('copy lines_stage from stdin', copyText(rows.map((r) => [r.id, ...values(r)])));
  await e.query(
    `insert into lines select id, $1, order_id, position, sku, title, quantity, unit_price, variant_id from lines_stage
     on conflict (id) do nothing`,
    [tenant],
  );
  return e.query('truncate lines_stage');
}

/** Writes ROWS rows of the shape by the method into fresh tables; CPU and wall seconds. */
async function measure(open: () => Promise<Engine>, shape: Shape, method: Method) {
  const e = await open();
  try {
    await e.exec(SCHEMA);
    await e.exec(STAGES);
    const variantIds = Array.from({ length: VARIANTS }, () => randomUUID());
    await e.query('insert into variants select unnest($1::uuid[])', [variantIds]);
    await e.query('analyze');
    const cpu0 = e.cpuS();
    const t0 = performance.now();
    for (let b = 0; b < ROWS / BATCH; b++) {
      await e.query('begin');
      await writeBatch(e, shape, method, b, variantIds);
      await e.query('commit');
    }
    return { cpu: e.cpuS() - cpu0, wall: (performance.now() - t0) / 1000 };
  } finally {
    await e.close();
  }
}

console.log(
  `bench:import-staging — ${ROWS} rows per run in batches of ${BATCH}, ${ROUNDS} rounds, load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const engine of ENGINES) {
  const open = engine === 'postgres' ? serverEngine : pgliteEngine;
  for (const shape of ['sync base', 'line items'] as const) {
    const runs = new Map<Method, { cpu: number; wall: number }[]>(METHODS.map((m) => [m, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, each round in the other order, so the machine's load falls on every method alike.
      const order = round % 2 === 0 ? METHODS : [...METHODS].reverse();
      for (const method of order) runs.get(method)?.push(await measure(open, shape, method));
    }
    const json = runs.get('json') ?? [];
    const jsonCpu = json.reduce((s, r) => s + r.cpu, 0) / json.length;
    console.log(`\n${engine === 'postgres' ? 'Postgres server (backend + client CPU)' : 'PGlite'}, ${shape}`);
    for (const [method, rs] of runs) {
      const cpu = rs.reduce((s, r) => s + r.cpu, 0) / rs.length;
      const per = (cpu / ROWS) * 1000 * 1000;
      console.log(
        `  ${method.padEnd(12)} CPU ${cpu.toFixed(2)} s (${per.toFixed(1)} ms per 1,000 rows, ${(cpu / jsonCpu).toFixed(2)} × json)` +
          `   wall ${rs.map((r) => r.wall.toFixed(2)).join(' / ')} s`,
      );
    }
  }
}
