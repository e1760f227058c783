// npm run bench:history — Sync History search and filters over a large history: 1,000,000 entries on the
// Postgres server, 100,000 on PGlite (BENCH_HISTORY_PG / BENCH_HISTORY_PGLITE change them). Goal: p99 ≤ 50 ms
// for every query kind. Each query is the API's (searchHistory, one page of 50 + 1).
// BENCH_HISTORY_DB=<name> keeps the Postgres database under that name and reuses its entries on the next
// run (filling a million takes minutes): the run migrates it to the latest migrations, timed, as an upgrade.
// BENCH_HISTORY_KINDS=<regexp> times only the query kinds it matches.
// BENCH_HISTORY_SETUP=<sql> runs before the entries are written, BENCH_HISTORY_AFTER=<sql> after (a vacuum,
// gin_clean_pending_list, …).
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Db, Queryable } from '../src/db/db.ts';
import { migrateToLatest, openDb } from '../src/db/open.ts';
import { searchHistory, type HistoryFilter } from '../src/db/shopify-sync-history-search.ts';
import { importNumbers } from '../src/domain/history-numbers.ts';
import { createFreshDatabase } from '../test-support/db.ts';

const PG_URL = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const KEEP_DB = process.env['BENCH_HISTORY_DB'];
const PG_ENTRIES = Number(process.env['BENCH_HISTORY_PG'] ?? 1_000_000);
const PGLITE_ENTRIES = Number(process.env['BENCH_HISTORY_PGLITE'] ?? 100_000);
const RUNS = Number(process.env['BENCH_HISTORY_RUNS'] ?? 100);
const GOAL_MS = 50;
const PAGE = 50;
const CHUNK = 50_000;
/** Import batches: the oldest entries, each listing this many records. */
const IMPORT_BATCH = 500;
const DAYS = 90;
const START = new Date('2026-01-01T00:00:00Z');

const fail = (err: Error) => {
  throw err;
};

// Words the generated entries are made of (the generator and the queries share them).
const COLORS = [
  'blue',
  'red',
  'green',
  'black',
  'white',
  'grey',
  'navy',
  'olive',
  'sand',
  'rust',
  'teal',
  'plum',
];
const MATERIALS = ['wool', 'cotton', 'linen', 'silk', 'denim', 'leather', 'canvas', 'fleece'];
const NOUNS = [
  'shirt',
  'scarf',
  'hat',
  'sock',
  'jacket',
  'sweater',
  'cap',
  'bag',
  'belt',
  'glove',
  'coat',
  'dress',
];
const FIRST = [
  'ann',
  'bob',
  'chloe',
  'david',
  'emma',
  'farid',
  'giulia',
  'hugo',
  'ines',
  'jon',
  'kim',
  'lea',
];
const LAST = ['lee', 'martin', 'rossi', 'smith', 'garcia', 'nguyen', 'dubois', 'kowalski', 'silva', 'haddad'];

const sqlArray = (xs: readonly string[]): string => `(array[${xs.map((x) => `'${x}'`).join(',')}])`;

/**
 * Entry g (1-based, oldest first) is about record r = g mod (n / 5) of one entity (so a record has
 * about five entries). Products: "<color> <material> <noun> <r>", SKU "sku-<r>", GID Product/<1e12 + r>;
 * customers: "<first>.<last><r>@example.com"; orders "#<1000 + r>" with the customer's e-mail;
 * inventory levels: the product's SKU. Origins, outcomes and directions in realistic proportions:
 * webhooks most, pushes next, reconciliation, a revert in 500, a redo in 2000; 1 % failed, 4 % merged.
 */
function generatorSql(n: number): string {
  const records = Math.max(1, Math.floor(n / 5));
  return `
  insert into shopify_sync_history (tenant_id, entity, local_id, gid, display_name, direction, origin, action,
    outcome, before, after, diff, conflicts, error, occurred_at, search_text)
  select $1, x.entity, md5(x.entity || x.r)::uuid, x.gid, x.name,
    case when x.origin in ('push', 'revert', 'redo') then 'outbound' else 'inbound' end, x.origin, 'update',
    x.outcome,
    jsonb_build_object('title', x.name, 'variants', jsonb_build_array(jsonb_build_object('sku', x.sku, 'price', '12.00'))),
    jsonb_build_object('title', x.name, 'variants', jsonb_build_array(jsonb_build_object('sku', x.sku, 'price', '14.50'))),
    jsonb_build_array(jsonb_build_object('path', 'variants[0].price', 'before', '12.00', 'after', '14.50')),
    '[]'::jsonb, case when x.outcome = 'failed' then 'Shopify refused the change' end,
    $4::timestamptz + (g * ($5::float8 / $3)) * interval '1 day',
    lower(x.name || ' ' || x.gid || ' ' || x.words)
  from generate_series($2::int, least($2::int + ${CHUNK - 1}, $3::int)) g,
  lateral (select g % ${records} as r, (g::bigint * 2654435761) % 4294967296 as m) rr,
  lateral (select
    case when rr.m % 20 < 8 then 'product' when rr.m % 20 < 13 then 'inventory_level'
         when rr.m % 20 < 17 then 'order' else 'customer' end as entity,
    case when rr.m / 20 % 2000 = 7 then 'redo' when rr.m / 20 % 500 = 3 then 'revert'
         when rr.m / 20 % 20 = 1 then 'reconcile' when rr.m / 20 % 10 < 3 then 'push' else 'webhook' end as origin,
    case when rr.m / 40000 % 100 = 11 then 'failed' when rr.m / 40000 % 25 = 5 then 'merged' else 'applied' end
      as outcome,
    ${sqlArray(COLORS)}[1 + rr.r % ${COLORS.length}] || ' ' || ${sqlArray(MATERIALS)}[1 + (rr.r / 7) % ${MATERIALS.length}]
      || ' ' || ${sqlArray(NOUNS)}[1 + (rr.r / 13) % ${NOUNS.length}] || ' ' || rr.r as title,
    ${sqlArray(FIRST)}[1 + rr.r % ${FIRST.length}] as first,
    ${sqlArray(LAST)}[1 + (rr.r / 5) % ${LAST.length}] as last,
    rr.r) p,
  lateral (select p.entity, p.origin, p.outcome, p.r, 'sku-' || lpad(p.r::text, 7, '0') as sku,
    case p.entity
      when 'product' then p.title
      when 'inventory_level' then p.title || ' at Main warehouse'
      when 'order' then '#' || (1000 + p.r)
      else p.first || '.' || p.last || p.r || '@example.com' end as name,
    case p.entity
      when 'product' then 'gid://shopify/Product/' || (1000000000000 + p.r)
      when 'inventory_level' then 'gid://shopify/InventoryLevel/' || (3000000000000 + p.r)
      when 'order' then 'gid://shopify/Order/' || (5000000000000 + p.r)
      else 'gid://shopify/Customer/' || (7000000000000 + p.r) end as gid,
    case p.entity
      when 'product' then 'handle-' || p.r || ' sku-' || lpad(p.r::text, 7, '0')
      when 'inventory_level' then 'sku-' || lpad(p.r::text, 7, '0')
      when 'order' then p.first || '.' || p.last || p.r || '@example.com'
      else p.first || ' ' || p.last || ' +3360' || lpad(p.r::text, 7, '0') end as words) x`;
}

/**
 * Import batches before the live entries: IMPORT_BATCH records each, found by title, SKU and GID; their
 * number lexemes are grams of 5 digits, as the import writes them (domain/history-numbers.ts,
 * importNumbers).
 */
const importSql = `
  insert into shopify_sync_history (tenant_id, entity, local_id, gid, display_name, direction, origin, action,
    outcome, before, after, diff, conflicts, error, occurred_at, search_text, search_numbers, records, record_ids)
  select $1, 'product', null, null, 'Imported ${IMPORT_BATCH} products', 'inbound', 'import', 'create', 'applied',
    null, null, '[]'::jsonb, '[]'::jsonb, null, $3::timestamptz - interval '1 hour' + x.b * interval '1 second',
    x.text,
    (select array_to_tsvector(coalesce(array_agg(distinct substr(m.run, g, 5)), '{}'))
       from regexp_split_to_table(x.text, '[^0-9]+') m(run), generate_series(1, length(m.run) - 4) g),
    x.records, x.ids
  from (
    select b, string_agg(text, E' \\x1f ' order by i) as text, jsonb_agg(rec order by i) as records,
      array_agg((rec->>'local_id')::uuid order by i) as ids
    from generate_series(0, $2::int - 1) b,
    lateral (select i, jsonb_build_object('local_id', md5('import' || i)::uuid, 'gid',
        'gid://shopify/Product/' || (2000000000000 + i), 'name', 'Imported item ' || i) as rec,
        'imported item ' || i || ' gid://shopify/product/' || (2000000000000 + i) || ' imp-' || lpad(i::text, 7, '0') as text
      from generate_series(b * ${IMPORT_BATCH}, b * ${IMPORT_BATCH} + ${IMPORT_BATCH - 1}) i) recs
    group by b) x`;

async function fill(db: Db, tenantId: string, n: number): Promise<number> {
  const batches = Math.max(1, Math.round(n / 3000));
  await db.query(importSql, [tenantId, batches, START]);
  // The bench's batches are indexed as the import's are.
  const { rows } = await db.query<{ lexemes: string[]; text: string }>(
    `select tsvector_to_array(search_numbers) as lexemes, search_text as text from shopify_sync_history
      where tenant_id = $1 and origin = 'import' limit 1`,
    [tenantId],
  );
  const batch = rows[0];
  if (!batch || [...batch.lexemes].sort().join() !== importNumbers(batch.text).sort().join())
    fail(new Error('the import batches written here are not indexed as importNumbers indexes them'));
  for (let from = 1; from <= n; from += CHUNK)
    await db.query(generatorSql(n), [tenantId, from, n, START, DAYS]);
  await db.exec('analyze shopify_sync_history');
  return batches;
}

interface Kind {
  name: string;
  filter: (i: number) => HistoryFilter;
  /** Follow the cursor this many pages and time the last one. */
  depth?: number;
}

function kinds(n: number, importBatches: number): Kind[] {
  const records = Math.max(1, Math.floor(n / 5));
  // A record with entries of the entity: r ≡ g (mod records) with g % 20 in the entity's range.
  const pick = (i: number): number => (i * 7919 + 13) % records;
  const day = (i: number): Date => new Date(START.getTime() + ((i * 37) % DAYS) * 86_400_000);
  return [
    { name: 'latest page', filter: () => ({}) },
    { name: 'page 10 (cursor)', filter: () => ({}), depth: 10 },
    { name: 'entity=order', filter: () => ({ entity: 'order' }) },
    { name: 'entity=location (none)', filter: () => ({ entity: 'location' }) },
    { name: 'origin=revert', filter: () => ({ origin: 'revert' }) },
    { name: 'origin=redo, page 5', filter: () => ({ origin: 'redo' }), depth: 5 },
    { name: 'outcome=failed', filter: () => ({ outcome: 'failed' }) },
    { name: 'direction=outbound', filter: () => ({ direction: 'outbound' }) },
    {
      name: 'one day (from/to)',
      filter: (i) => ({ from: day(i), to: new Date(day(i).getTime() + 86_400_000) }),
    },
    { name: 'before a date (to)', filter: (i) => ({ to: day(i) }) },
    { name: 'record (local_id)', filter: (i) => ({ localId: md5Uuid(`product${pick(i)}`) }) },
    { name: 'search SKU', filter: (i) => ({ text: `sku-${String(pick(i)).padStart(7, '0')}` }) },
    { name: 'search title words', filter: (i) => ({ text: `${COLORS[i % 12]} ${NOUNS[(i * 5) % 12]}` }) },
    {
      name: 'search e-mail',
      filter: (i) => ({ text: `${LAST[((pick(i) / 5) % 10) | 0]}${pick(i)}@example` }),
    },
    { name: 'search customer name', filter: (i) => ({ text: `${FIRST[i % 12]} ${LAST[(i * 3) % 10]}` }) },
    { name: 'search order name', filter: (i) => ({ text: `#${1000 + pick(i)}` }) },
    { name: 'search numeric id', filter: (i) => ({ text: String(1000000000000 + pick(i)) }) },
    { name: 'search GID', filter: (i) => ({ text: `gid://shopify/Product/${1000000000000 + pick(i)}` }) },
    {
      name: 'search + filters',
      filter: (i) => ({ text: COLORS[i % 12], entity: 'product', direction: 'outbound', outcome: 'applied' }),
    },
    {
      name: 'search imported record',
      filter: (i) => ({
        text: `imp-${String((i * 7919) % (importBatches * IMPORT_BATCH)).padStart(7, '0')}`,
      }),
    },
    { name: 'search, no match', filter: (i) => ({ text: `zq${i}x` }) },
    { name: 'search 2 letters', filter: (i) => ({ text: ['bl', 're', 'gr', 'ol'][i % 4] }) },
    { name: 'search common word, page 5', filter: () => ({ text: 'wool' }), depth: 5 },
  ];
}

function md5Uuid(s: string): string {
  // The generator's md5(entity || r)::uuid, computed here.
  const h = createHashHex(s);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const createHashHex = (s: string): string => createHash('md5').update(s).digest('hex');

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function timeKind(
  db: Db,
  tenantId: string,
  k: Kind,
  run?: () => Promise<unknown>,
): Promise<{ p50: number; p99: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS + 3; i += 1) {
    const filter = k.filter(i);
    let after: number | undefined;
    for (let d = 1; d < (k.depth ?? 1); d += 1) {
      const page = await searchHistory(db, tenantId, filter, PAGE + 1, after);
      after = page[PAGE - 1]?.id;
      if (after === undefined) break;
    }
    const t0 = performance.now();
    const page = run ? [] : await searchHistory(db, tenantId, filter, PAGE + 1, after);
    if (run) await run();
    const ms = performance.now() - t0;
    if (i >= 3) {
      times.push(ms);
      rows += Math.min(page.length, PAGE);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rows: rows / RUNS };
}

/** BENCH_HISTORY_EXPLAIN=1: each kind's query plan (EXPLAIN ANALYZE) instead of its timings. */
async function explainKind(db: Db, tenantId: string, k: Kind): Promise<void> {
  const explain = (q: Queryable): Queryable => ({
    ...q,
    query: async <R>(sql: string, params?: readonly unknown[]) => {
      if (/^(set |select set_config)/.test(sql)) return q.query<R>(sql, params);
      const res = await q.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
      console.log(`--- ${k.name}\n${res.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      return { rows: [] as R[], rowCount: 0 };
    },
  });
  const explaining: Db = {
    ...db,
    ...explain(db),
    transaction: (fn) => db.transaction((tx) => fn(explain(tx))),
  };
  await searchHistory(explaining, tenantId, k.filter(1), PAGE + 1);
}

/** The address of the kept database named by BENCH_HISTORY_DB, created when missing. */
async function keptDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_HISTORY_DB ${name}: a lower-case SQL name`);
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The bench tenant of a kept database holding n entries, with its import batches; undefined when not filled. */
async function filledBefore(db: Db, n: number): Promise<{ tenantId: string; batches: number } | undefined> {
  const { rows } = await db.query<{ id: string; live: string; batches: string }>(
    `select t.id,
       (select count(*) from shopify_sync_history h where h.tenant_id = t.id and h.origin <> 'import') as live,
       (select count(*) from shopify_sync_history h where h.tenant_id = t.id and h.origin = 'import') as batches
     from tenants t where t.name = 'history bench'`,
  );
  const t = rows[0];
  return t && Number(t.live) === n ? { tenantId: t.id, batches: Number(t.batches) } : undefined;
}

async function benchOn(engine: 'pglite' | 'postgres', n: number): Promise<boolean> {
  const keep = engine === 'postgres' ? KEEP_DB : undefined;
  const fresh = engine === 'postgres' && !keep ? await createFreshDatabase(PG_URL) : undefined;
  const url = keep ? await keptDatabase(keep) : fresh?.url;
  const db = await openDb({ databaseUrl: url, onIdleError: fail });
  let ok = true;
  try {
    const m0 = performance.now();
    const migrated = await migrateToLatest(db);
    if (keep && migrated.length > 0)
      console.log(
        `[${engine}] ${keep}: migrations ${migrated.join(', ')} applied in ${((performance.now() - m0) / 1000).toFixed(1)} s`,
      );
    if (process.env['BENCH_HISTORY_SETUP']) await db.exec(process.env['BENCH_HISTORY_SETUP']);
    const tenant = async (name: string): Promise<string> =>
      (await db.query<{ id: string }>('insert into tenants (name) values ($1) returning id', [name])).rows[0]!
        .id;
    const kept = keep ? await filledBefore(db, n) : undefined;
    let tenantId: string;
    let batches: number;
    if (kept) {
      ({ tenantId, batches } = kept);
      console.log(
        `[${engine}] ${n.toLocaleString('en')} entries + ${batches} import batches of ${IMPORT_BATCH} records, kept in ${keep} from an earlier run; ${RUNS} runs per kind, page of ${PAGE}`,
      );
    } else {
      if (keep)
        await db.exec("truncate shopify_sync_history; delete from tenants where name = 'history bench'");
      tenantId = await tenant('history bench');
      await tenant(`other ${randomUUID()}`);
      const t0 = performance.now();
      batches = await fill(db, tenantId, n);
      const fillS = (performance.now() - t0) / 1000;
      console.log(
        `[${engine}] ${n.toLocaleString('en')} entries + ${batches} import batches of ${IMPORT_BATCH} records, written and indexed in ${fillS.toFixed(1)} s; ${RUNS} runs per kind, page of ${PAGE}`,
      );
    }
    if (process.env['BENCH_HISTORY_AFTER']) await db.exec(process.env['BENCH_HISTORY_AFTER']);
    console.log(`  ${'query'.padEnd(28)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  p99/goal  rows`);
    // The floor this machine gives any query right now (a shared, loaded machine shows here).
    const floor = await timeKind(db, tenantId, { name: 'select 1', filter: () => ({}) }, () =>
      db.query('select 1'),
    );
    console.log(
      `  ${'(select 1: the floor)'.padEnd(28)} ${floor.p50.toFixed(1).padStart(8)} ${floor.p99.toFixed(1).padStart(8)}`,
    );
    const chosen = process.env['BENCH_HISTORY_KINDS'];
    for (const k of kinds(n, batches).filter((x) => !chosen || new RegExp(chosen).test(x.name))) {
      if (process.env['BENCH_HISTORY_EXPLAIN']) {
        await explainKind(db, tenantId, k);
        continue;
      }
      const r = await timeKind(db, tenantId, k);
      const ratio = r.p99 / GOAL_MS;
      if (ratio > 1) ok = false;
      console.log(
        `  ${k.name.padEnd(28)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}  ${ratio.toFixed(2).padStart(8)}${ratio > 1 ? '!' : ' '} ${r.rows.toFixed(0).padStart(5)}`,
      );
    }
  } finally {
    await db.close();
    await fresh?.drop();
  }
  return ok;
}

// BENCH_ONLY=pglite|postgres runs one engine.
const only = process.env['BENCH_ONLY'];
const results: string[] = [];
if (only !== 'postgres')
  results.push(`pglite ${(await benchOn('pglite', PGLITE_ENTRIES)) ? 'met' : 'MISSED'}`);
if (only !== 'pglite') results.push(`postgres ${(await benchOn('postgres', PG_ENTRIES)) ? 'met' : 'MISSED'}`);
console.log(`Sync History search, goal p99 ≤ ${GOAL_MS} ms: ${results.join(', ')}`);
