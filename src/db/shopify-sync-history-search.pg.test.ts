// The number index of Sync History search (migration 0031) against the queries numberQuery makes: an
// entry whose search text holds a search's words is always among the entries the index finds.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDb } from '../../test-support/core-fixture.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { GRAM, historyNumbers, importNumbers, MANY_DIGITS } from '../domain/history-numbers.ts';
import { insertHistory, type HistoryEntry } from './shopify-sync-history.ts';
import {
  insertImportBatchHistory,
  numberQuery,
  searchHistory,
  searchPatterns,
  SEARCH_WINDOWS,
} from './shopify-sync-history-search.ts';

const t = useTestDb();

/** Whether the number index finds an entry of this search text for this query. */
async function found(searchText: string, query: string): Promise<boolean> {
  const { rows } = await t.db.query<{ hit: boolean }>(
    'select shopify_sync_history_numbers($1) @@ $2::tsquery as hit',
    [searchText, query],
  );
  return rows[0]?.hit === true;
}

/** Whether the number index finds an import batch of this search text (its grams) for this query. */
async function foundInBatch(searchText: string, query: string): Promise<boolean> {
  const { rows } = await t.db.query<{ hit: boolean }>(
    'select array_to_tsvector($1::text[]) @@ $2::tsquery as hit',
    [importNumbers(searchText), query],
  );
  return rows[0]?.hit === true;
}

describe('Sync History search by a number', () => {
  it('looks up the longest run of 5 digits or more in the words, at most 16 of it, and its grams', () => {
    expect(numberQuery(['sku-0012345'])).toBe("'0012345':* | many | '00123' & '01234' & '12345'");
    expect(numberQuery(['ann', 'lee12345@example.com', '1234'])).toBe("'12345':* | many");
    expect(numberQuery(['#1001', 'blue', '12-345'])).toBeNull();
    expect(numberQuery(['12345678901234567890'])).toBe(
      "'1234567890123456':* | many | '12345' & '23456' & '34567' & '45678' & '56789' & '67890' & '78901' & " +
        "'89012' & '90123' & '01234'",
    );
    expect(searchPatterns('gid://shopify/Product/1000000012345').number).toBe(
      "'1000000012345':* | many | '10000' & '00000' & '00001' & '00012' & '00123' & '01234' & '12345'",
    );
    expect(searchPatterns('blue shirt').number).toBeNull();
  });

  // A live entry (its runs, from the database function) and an import batch (its grams) alike.
  const LOOKUPS = [
    { kind: 'an entry', lookup: found },
    { kind: 'an import batch', lookup: foundInBatch },
  ];

  it.each(LOOKUPS)(
    'finds $kind by any part of a number it holds, and not by a number it does not hold',
    async ({ lookup }) => {
      const text =
        'blue shirt gid://shopify/product/1000000012345 sku-0012345 \u001f ann.lee98765@example.com';
      for (const part of ['1000000012345', '0000001234', '12345', 'sku-00123', 'lee98765@', '98765'])
        expect(await lookup(text, numberQuery([part]) as string), part).toBe(true);
      for (const other of ['12346', '1000000012346', '987650', '00000000'])
        expect(await lookup(text, numberQuery([other]) as string), other).toBe(false);
    },
  );

  it('finds an entry with more than 20,000 digits (not indexed by its numbers) by any number', async () => {
    const huge = `imported ${'0123456789 '.repeat(2001)}`;
    expect(await found(huge, numberQuery(['45678']) as string)).toBe(true);
    expect(await found(huge, numberQuery(['99999']) as string)).toBe(true);
    expect(await found('0123456789 '.repeat(100), numberQuery(['99999']) as string)).toBe(false);
  });

  it.each(LOOKUPS)(
    'never misses $kind: any search text holding a word with 5 digits in a row is found by the word',
    async ({ lookup }) => {
      const chars = (s: string): fc.Arbitrary<string> =>
        fc.string({ unit: fc.constantFrom(...s.split('')), maxLength: 40 });
      const text = chars('0123456789 -/@#.ab\u001f');
      const word = chars('01234567890123456789012345678901234567890123456789-/@#.ab');
      let numbers = 0;
      await fc.assert(
        fc.asyncProperty(text, word, text, async (before, w, after) => {
          const query = numberQuery([w]);
          if (query === null) return;
          numbers += 1;
          expect(await lookup(`${before}${w}${after}`, query), `${w} in ${before}${w}${after}`).toBe(true);
        }),
        { numRuns: 300 },
      );
      // Not a vacuous pass: many words drawn hold a number (the rest have nothing for the index to look up).
      expect(numbers).toBeGreaterThan(75);
    },
  );

  it('looks for no fewer digits than a gram holds', () => {
    // A run the query looks up holds at least one gram, or an import batch could not be found by it.
    expect(numberQuery(['1'.repeat(GRAM - 1)])).toBeNull();
    expect(numberQuery(['1'.repeat(GRAM)])).not.toBeNull();
  });
});

describe('the number lexemes Retailos writes (migration 0042)', () => {
  it('are the lexemes of the database function (0031) for any search text', async () => {
    const chars = (s: string, maxLength: number): fc.Arbitrary<string> =>
      fc.string({ unit: fc.constantFrom(...s.split('')), maxLength });
    const text = fc.oneof(
      chars('0123456789 -/@#.ab\u001f', 120),
      chars('0123456789012345678901234567890123456789-', 200),
      // Around the 'many' threshold: its count of digits, one more, one fewer.
      fc.integer({ min: -2, max: 2 }).map((d) => `a ${'9'.repeat(MANY_DIGITS + d)} b 123456`),
    );
    let numbered = 0;
    await fc.assert(
      fc.asyncProperty(text, async (searchText) => {
        const lexemes = historyNumbers(searchText);
        if (lexemes.length > 0) numbered += 1;
        const { rows } = await t.db.query<{ same: boolean }>(
          'select array_to_tsvector($1::text[]) = shopify_sync_history_numbers($2) as same',
          [lexemes, searchText],
        );
        expect(rows[0]?.same, searchText.slice(0, 80)).toBe(true);
      }),
      { numRuns: 200 },
    );
    expect(numbered).toBeGreaterThan(50);
  });

  it('are taken from the function for an entry written without them', async () => {
    const tenant = await insertTenant(t.db, 'raw');
    await t.db.query(
      `insert into shopify_sync_history (tenant_id, entity, display_name, direction, origin, action, outcome,
         diff, conflicts, occurred_at, search_text)
       values ($1, 'product', 'Raw', 'inbound', 'webhook', 'update', 'applied', '[]', '[]', now(),
         'raw sku-4455667')`,
      [tenant],
    );
    const { rows } = await t.db.query<{ hit: boolean }>(
      `select search_numbers @@ $2::tsquery as hit from shopify_sync_history where tenant_id = $1`,
      [tenant, numberQuery(['55667'])],
    );
    expect(rows).toEqual([{ hit: true }]);
  });
});

const entry = (displayName: string, gid: string, searchWords: string[]): HistoryEntry => ({
  entity: 'product',
  localId: null,
  gid,
  displayName,
  direction: 'inbound',
  origin: 'webhook',
  action: 'update',
  outcome: 'applied',
  before: null,
  after: null,
  diff: [],
  conflicts: [],
  error: null,
  searchWords,
});

describe('searchHistory by a number, beyond the newest entries', () => {
  const T0 = new Date('2026-03-01T10:00:00.000Z');
  let a = '';
  let b = '';
  const ids: Record<string, number> = {};
  const names = async (text: string, tenantId = a): Promise<string[]> =>
    (await searchHistory(t.db, tenantId, { text }, 51)).map((h) => h.displayName);

  beforeAll(async () => {
    a = await insertTenant(t.db, 'A');
    b = await insertTenant(t.db, 'B');
    const old = [
      entry('Blue shirt', 'gid://shopify/Product/1000000012345', ['sku-0012345']),
      entry('Red hat', 'gid://shopify/Product/1000000123459', ['sku-7123459']),
      entry('ann.lee98765@example.com', 'gid://shopify/Customer/7000000000042', [
        'ann',
        'lee',
        '+33612345678',
      ]),
      entry('Long reference', 'gid://shopify/Product/77', ['ref-12345678901234567890']),
    ];
    for (const [i, e] of old.entries()) {
      const [id] = await insertHistory(t.db, a, [e], new Date(T0.getTime() + i * 1000));
      ids[e.displayName] = id as number;
    }
    // Tenant B holds the same numbers: never A's.
    await insertHistory(t.db, b, old, T0);
    // An import batch with more digits than a live entry's rule takes: indexed by its grams.
    await insertImportBatchHistory(
      t.db,
      a,
      'product',
      Array.from({ length: 2100 }, (_, i) => ({
        localId: '00000000-0000-4000-8000-000000000000',
        gid: `gid://shopify/Product/${3000000000 + i}`,
        name: `Imported ${i}`,
        words: [],
        created: true,
      })),
      new Date(T0.getTime() + 10_000),
    );
    // Newer entries, more than any window of the newest, none with those numbers.
    const newest = Math.max(...SEARCH_WINDOWS[t.db.kind]) + 100;
    await insertHistory(
      t.db,
      a,
      Array.from({ length: newest }, () => entry('Grey sock', 'gid://shopify/Product/99', ['sku-sock'])),
      new Date(T0.getTime() + 60_000),
    );
  });

  it('finds an old entry by its id, GID, SKU, e-mail or phone, in part', async () => {
    expect(await names('1000000012345')).toEqual(['Blue shirt']);
    expect(await names('gid://shopify/Product/1000000012345')).toEqual(['Blue shirt']);
    expect(await names('sku-0012345')).toEqual(['Blue shirt']);
    // …0012345 is in the second's id too (1000000123459).
    expect(await names('0012345')).toEqual(['Red hat', 'Blue shirt']);
    expect(await names('LEE98765@example')).toEqual(['ann.lee98765@example.com']);
    expect(await names('ann 98765')).toEqual(['ann.lee98765@example.com']);
    // 12345: in both ids, the phone and the reference; a part of a number, as any word matches in part.
    expect(await names('12345')).toEqual([
      'Long reference',
      'ann.lee98765@example.com',
      'Red hat',
      'Blue shirt',
    ]);
  });

  it('matches numbers longer than the index keeps (16 digits) in full', async () => {
    expect(await names('345678901234567890')).toEqual(['Long reference']);
    expect(await names('345678901234567899')).toEqual([]);
  });

  it('finds an import batch by any number in it, through its grams', async () => {
    const batch = await searchHistory(t.db, a, { text: '3000002042' }, 51);
    expect(batch.map((h) => [h.displayName, h.records?.map((r) => r.name)])).toEqual([
      ['Imported 2100 products', ['Imported 2042']],
    ]);
    expect(await names('00002042')).toEqual(['Imported 2100 products']);
    expect(await names('3000002100')).toEqual([]);
    // Its lexemes are its grams, each once (2,101 for 2,100 ids of 10 digits, which share most of
    // theirs), not 'many' (a live entry with its 21,000 digits would be indexed as that).
    const { rows } = await t.db.query<{ lexemes: string[]; text: string }>(
      `select tsvector_to_array(search_numbers) as lexemes, search_text as text
         from shopify_sync_history where tenant_id = $1 and origin = 'import'`,
      [a],
    );
    expect(rows).toHaveLength(1);
    const { lexemes = [], text = '' } = rows[0] ?? {};
    expect([...lexemes].sort()).toEqual(importNumbers(text).sort());
    expect(lexemes).toHaveLength(2101);
    expect(historyNumbers(text)).toEqual(['many']);
  });

  it("never finds another tenant's entries", async () => {
    expect(await names('1000000012345', b)).toEqual(['Blue shirt']);
    const found = await searchHistory(t.db, b, { text: '1000000012345' }, 51);
    expect(found.map((h) => h.id)).not.toContain(ids['Blue shirt']);
  });
});
