import { importNumbers, numberGrams } from '../domain/history-numbers.ts';
import type { Db, Queryable } from './db.ts';
import {
  HISTORY_COLUMNS,
  historyRowOf,
  type DbHistory,
  type HistoryDirection,
  type HistoryEntity,
  type HistoryOrigin,
  type HistoryOutcome,
  type HistoryRecord,
  type HistoryRow,
} from './shopify-sync-history.ts';

/**
 * Sync History as the merchant reads it: newest first, searched and filtered, one entry at a time.
 * Search text is matched in part (`like '%…%'`), every word of the query must appear; a full GID matches
 * that record exactly. Rare words are looked up in an index: a number (5 digits or more) in the number
 * index of migration 0031, any other word in the trigram index of migration 0025.
 */

export interface HistoryFilter {
  entity?: HistoryEntity | undefined;
  direction?: HistoryDirection | undefined;
  origin?: HistoryOrigin | undefined;
  outcome?: HistoryOutcome | undefined;
  /** The record: its own entries and the import batch that brought it in. */
  localId?: string | undefined;
  /** occurred_at ≥ from */
  from?: Date | undefined;
  /** occurred_at < to */
  to?: Date | undefined;
  /** Product title, SKU, order name, customer e-mail or name, Shopify id or GID. */
  text?: string | undefined;
}

/** Most query words honoured; the rest are ignored. */
const MAX_TERMS = 8;
/** An import batch's records shown in a list (all of them in one entry's detail). */
export const LISTED_RECORDS = 20;

const GID = /^gid:\/\/shopify\/[a-z]+\/(\d+)$/i;
const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** What a query looks for, in an entry's search text padded with a space at each end. */
export interface SearchPatterns {
  /** `like` patterns, each served by the trigram index: every one must match. */
  like: string[];
  /** A whole word that must be there too (a full GID), checked on the rows the patterns found. */
  word: string | null;
  /** The number index's query (a tsquery) when a word holds a number, null otherwise. */
  number: string | null;
}

/**
 * The patterns a query means: each word (lower-cased) anywhere; a full GID as a whole word. The
 * index looks a GID up by its number alone ("/123 "): the rest of it ("gid://shopify/…") is in every
 * entry, so its trigrams would make the index read all of them.
 */
export function searchPatterns(text: string | undefined): SearchPatterns {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '') return { like: [], word: null, number: null };
  const gid = GID.exec(t);
  if (gid) return { like: [`%/${gid[1] as string} %`], word: ` ${t} `, number: numberQuery([t]) };
  const words = [...new Set(t.split(/\s+/))].slice(0, MAX_TERMS);
  return { like: words.map((w) => `%${escapeLike(w)}%`), word: null, number: numberQuery(words) };
}

/** The number index (migration 0031) holds each run of at least this many digits… */
const NUMBER_MIN = 5;
/** …from each of its positions, cut to this many. */
const NUMBER_KEPT = 16;

/**
 * The number index's query for a search's words: the longest run of digits in them (a Shopify id, the
 * digits of a SKU or an e-mail), at most NUMBER_KEPT of it, as the start of an indexed run; or 'many',
 * an entry with too many digits to index; or, for an import batch (indexed by grams: importNumbers),
 * every gram of that run. Null when no word holds NUMBER_MIN digits in a row. An entry whose search text
 * holds a word holds the word's runs of digits inside its own runs, so one of its indexed runs starts
 * with the query's, or (an import batch) it holds each of the query's grams: the index never misses an
 * entry the words match.
 */
export function numberQuery(words: readonly string[]): string | null {
  let longest = '';
  for (const run of words.flatMap((w) => w.match(/[0-9]+/g) ?? []))
    if (run.length > longest.length) longest = run;
  if (longest.length < NUMBER_MIN) return null;
  const kept = longest.slice(0, NUMBER_KEPT);
  const grams = numberGrams(kept);
  // A run of NUMBER_MIN digits is its only gram, which its prefix already finds.
  const batch = grams.length > 1 ? ` | ${grams.map((g) => `'${g}'`).join(' & ')}` : '';
  return `'${kept}':* | many${batch}`;
}

/** What a record is found by in an import entry: its name, GID and words, lower-cased. */
export const recordSearchText = (r: HistoryRecord, words: readonly string[]): string =>
  [r.name, r.gid, ...words]
    .filter((w) => w !== '')
    .join(' ')
    .toLowerCase();

/** The where clause of a filter, its parameters numbered from `params.length + 1`. */
function whereOf(tenantId: string, f: HistoryFilter, params: unknown[]): string[] {
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = [`h.tenant_id = ${p(tenantId)}`];
  if (f.entity) where.push(`h.entity = ${p(f.entity)}`);
  if (f.direction) where.push(`h.direction = ${p(f.direction)}`);
  if (f.origin) where.push(`h.origin = ${p(f.origin)}`);
  if (f.outcome) where.push(`h.outcome = ${p(f.outcome)}`);
  if (f.from) where.push(`h.occurred_at >= ${p(f.from)}`);
  if (f.to) where.push(`h.occurred_at < ${p(f.to)}`);
  if (f.localId) {
    const id = p(f.localId);
    where.push(`(h.local_id = ${id}::uuid or h.record_ids @> array[${id}::uuid])`);
  }
  return where;
}

/**
 * How many of the newest entries (after the filters) a search looks through, one window after the
 * other, before the trigram index: a word found often fills its page in the first, in a few
 * milliseconds; one that is there but not often in the next (on a Postgres server, where a history of
 * millions makes the index read long lists for such words); a word not found in the first window at all
 * is rare (a SKU, an e-mail, an order name) and looked up in the index.
 */
export const SEARCH_WINDOWS: Readonly<Record<Db['kind'], readonly number[]>> = {
  pglite: [4000],
  postgres: [4000, 40_000],
};
/**
 * A search for a number looks through fewer of the newest entries first: the number index reads only
 * the entries that hold the number, so a rare one (an id, a SKU) costs less there than reading 4,000
 * entries; one found in the newest few hundred is common, and its windows follow.
 */
const NUMBER_WINDOW = 500;

/**
 * An import batch's search text: one part per record, in the order of its `records`, so the records
 * a search matches can be told apart (kept out of `records`: parsing the text twice as jsonb was most
 * of the cost of the batch's entry).
 */
/** Between two records' parts: a control character no name keeps (replaced by a space). */
const RECORD_SEPARATOR = ' \u001f ';

/** The select list: an import batch's records that match the search words (`terms`), the first few. */
const selectList = (terms: string): string => `${HISTORY_COLUMNS},
  case when h.records is null then null else (
    select coalesce(jsonb_agg(r.value order by r.ordinality), '[]'::jsonb) from (
      select e.value, e.ordinality
      from jsonb_array_elements(h.records) with ordinality e
      join unnest(string_to_array(h.search_text, '${RECORD_SEPARATOR}')) with ordinality s(text, n) on s.n = e.ordinality
      where (' ' || s.text || ' ') like all (${terms})
      order by e.ordinality limit ${LISTED_RECORDS}) r) end as records`;

const NEWEST_FIRST = 'order by h.occurred_at desc, h.id desc';

/**
 * A page of entries, newest first (occurred_at, then id), after the entry `afterId` when given (keyset:
 * an id that is not the tenant's gives an empty page). An import batch lists the records that match
 * the search (the first ones without a search), at most LISTED_RECORDS.
 *
 * Without search words, one walk of the newest-first index that fits the filters. With them, the
 * planner cannot know how common the words are, and either of its plans is slow when it guesses wrong
 * (walking newest-first through a million entries for a word found nowhere, or sorting every entry a
 * common word is in), so the search is made in steps: the newest entries first (SEARCH_WINDOWS); only
 * when they do not fill the page, an index, every hit sorted (few, since the word is rare): the number
 * index for a word with a number in it, the trigram index otherwise.
 */
export async function searchHistory(
  db: Db,
  tenantId: string,
  filter: HistoryFilter,
  limit: number,
  afterId?: number,
): Promise<HistoryRow[]> {
  const params: unknown[] = [];
  const where = whereOf(tenantId, { ...filter, text: undefined }, params);
  if (afterId !== undefined) {
    params.push(afterId);
    const c = `$${params.length}`;
    where.push(
      `(h.occurred_at, h.id) < ((select c.occurred_at from shopify_sync_history c
         where c.id = ${c} and c.tenant_id = $1), ${c})`,
    );
  }
  const search = searchPatterns(filter.text);
  const patterns = search.like;
  // An import batch's records are matched one by one on the same patterns (a GID as a whole word).
  params.push(search.word ? [`%${escapeLike(search.word)}%`] : patterns);
  const terms = `$${params.length}::text[]`;
  // One condition per word, each a parameter: the trigram index serves `like $n`, not `like all ($n)`.
  const text = patterns.map((pattern) => {
    params.push(pattern);
    return `(' ' || h.search_text || ' ') like $${params.length}`;
  });
  if (search.word) {
    params.push(search.word);
    text.push(`strpos(' ' || h.search_text || ' ', $${params.length}) > 0`);
  }
  params.push(limit);
  const page = `limit $${params.length}`;
  const all = `select ${selectList(terms)} from shopify_sync_history h
    where ${[...where, ...text].join(' and ')} ${NEWEST_FIRST} ${page}`;
  // No words, or only words too short for the trigram index: one walk, newest first.
  if (!patterns.some(indexable)) return (await db.query<DbHistory>(all, params)).rows.map(historyRowOf);
  const windows = SEARCH_WINDOWS[db.kind];
  for (const window of search.number ? [NUMBER_WINDOW, ...windows] : windows) {
    const newest = await db.query<DbHistory>(
      `select ${selectList(terms)} from (
         select h.* from shopify_sync_history h where ${where.join(' and ')} ${NEWEST_FIRST} limit ${window}
       ) h where ${text.join(' and ')} ${NEWEST_FIRST} ${page}`,
      params,
    );
    if (newest.rows.length >= limit) return newest.rows.map(historyRowOf);
    // Not one hit among the newest: a rare word (a SKU, an e-mail), which the index finds at once.
    if (newest.rows.length === 0) break;
  }
  if (search.number) {
    // A number: the entries that hold it, from the number index alone (the rest of the conditions are
    // checked on them, outside the subquery, so no other index is read with it), sorted.
    const numbered = [...params, search.number];
    return (
      await bitmapOnly(
        db,
        `select ${selectList(terms)} from (
           select h.* from shopify_sync_history h
           where h.search_numbers @@ $${numbered.length}::tsquery offset 0
         ) h where ${[...where, ...text].join(' and ')} ${NEWEST_FIRST} ${page}`,
        numbered,
      )
    ).map(historyRowOf);
  }
  // Rare words: every hit through the trigram index, never a walk of the whole history.
  return (await bitmapOnly(db, all, params)).map(historyRowOf);
}

/**
 * A query whose hits an index finds (a bitmap scan), every one sorted: never a walk of the newest-first
 * index, never on parallel workers or compiled (their start-up cost is more than the query's), which the
 * planner, unable to tell how rare a word is, could choose.
 */
async function bitmapOnly(db: Db, sql: string, params: readonly unknown[]): Promise<DbHistory[]> {
  return db.transaction(async (tx) => {
    await tx.query(
      `select set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true),
         set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    return (await tx.query<DbHistory>(sql, params)).rows;
  });
}

/** A pattern the trigram index can serve: a run of at least three characters between wildcards. */
const indexable = (pattern: string): boolean => pattern.split('%').some((part) => part.length >= 3);

/** A record an import batch wrote, with the words it is found by. */
export interface ImportedRecord extends HistoryRecord {
  words: readonly string[];
  /** False when the record was already in Retailos (an import run again after a reconnect). */
  created: boolean;
}

const PLURAL: Readonly<Record<HistoryEntity, string>> = {
  product: 'products',
  customer: 'customers',
  order: 'orders',
  inventory_level: 'stock levels',
  location: 'locations',
};

/**
 * One Sync History entry for a batch of imported records (not one per record: an import writes
 * thousands), found by any of its records' names, GIDs and words, and by each record's id. Its number
 * lexemes are grams (importNumbers), not the runs a live entry's are.
 */
export async function insertImportBatchHistory(
  q: Queryable,
  tenantId: string,
  entity: HistoryEntity,
  records: readonly ImportedRecord[],
  now: Date,
): Promise<void> {
  if (records.length === 0) return;
  const rows = records.map((r) => ({ local_id: r.localId, gid: r.gid, name: r.name }));
  const text = records
    .map((r) => recordSearchText(r, r.words).replaceAll('\u001f', ' '))
    .join(RECORD_SEPARATOR);
  const name = `Imported ${records.length} ${records.length === 1 ? entity.replace('_', ' ') : PLURAL[entity]}`;
  await q.query(
    `insert into shopify_sync_history (tenant_id, entity, local_id, gid, display_name, direction, origin, action,
       outcome, before, after, diff, conflicts, error, occurred_at, search_text, search_numbers, records, record_ids)
     select $1, $2, null, null, $3, 'inbound', 'import', $4, 'applied', null, null, '[]'::jsonb, '[]'::jsonb,
       null, $5, $6, array_to_tsvector($8::text[]), r.records,
       array(select (e->>'local_id')::uuid from jsonb_array_elements(r.records) e)
     from (select $7::jsonb as records) r`,
    [
      tenantId,
      entity,
      name,
      records.every((r) => r.created) ? 'create' : 'update',
      now,
      text,
      JSON.stringify(rows),
      importNumbers(text),
    ],
  );
}
