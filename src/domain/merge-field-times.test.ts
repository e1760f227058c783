import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedKeys, topLevelKey } from './merge-json.ts';
import { mergeProduct } from './merge-product.ts';
import { CUSTOMER_MERGE_RULES } from './merge-rules.ts';
import { threeWayMerge, type MergeInput, type MergeRules } from './merge.ts';
import { canonicalJson, customerSnapshot, productSnapshot, type Json } from './shopify-map/snapshot.ts';

/**
 * A field changed on both sides goes to the side whose edit of THAT field is the later (`winnerOf`),
 * not to the side whose record was touched last: an edit of another field afterwards must not make an
 * older edit look later (chaos seed 3, op 112; short chaos seed 12, op 28).
 */

const RULES: MergeRules = {
  t: { kind: 'set' },
  k: { kind: 'keyed', key: (item) => String(item['id']), fields: {} },
  r: { kind: 'remote' },
};
const valueArb = fc.constantFrom<Json>(null, 'x', 'y', 'z', 1, { q: 1 });
const tagsArb = fc.uniqueArray(fc.constantFrom('a', 'b', 'c')).map((t) => t.sort());
const listArb = fc.uniqueArray(
  fc.record({ id: fc.constantFrom('p', 'q', 'r'), x: fc.integer({ min: 0, max: 2 }) }),
  { selector: (i) => i.id, maxLength: 3 },
);
const FIELD_ARBS = { a: valueArb, b: valueArb, c: valueArb, t: tagsArb, k: listArb, r: valueArb };
const FIELDS = Object.keys(FIELD_ARBS);
type Rec = { [k: string]: Json };
const recordArb = fc.record(FIELD_ARBS, { requiredKeys: [] }) as fc.Arbitrary<Rec>;

function derive(base: Rec, edit: Rec, keep: readonly boolean[]): Rec {
  const out: Rec = {};
  FIELDS.forEach((f, i) => {
    const v = (keep[i] ? base : edit)[f];
    if (v !== undefined) out[f] = v;
  });
  return out;
}
const keepArb = fc.array(fc.boolean(), { minLength: FIELDS.length, maxLength: FIELDS.length });
const timeArb = fc.integer({ min: 0, max: 3 }).map((t) => new Date(Date.UTC(2025, 0, 1, t)));
const inputArb: fc.Arbitrary<MergeInput> = fc
  .record({
    base: fc.option(recordArb, { freq: 5 }),
    l: recordArb,
    r: recordArb,
    keepL: keepArb,
    keepR: keepArb,
    lt: timeArb,
    rt: timeArb,
  })
  .map(({ base, l, r, keepL, keepR, lt, rt }) => ({
    base,
    local: derive(base ?? {}, l, keepL),
    remote: derive(base ?? {}, r, keepR),
    localUpdatedAt: lt,
    remoteUpdatedAt: rt,
  }));
/** A side per field. */
const winnersArb = fc
  .array(fc.constantFrom<'local' | 'remote'>('local', 'remote'), {
    minLength: FIELDS.length,
    maxLength: FIELDS.length,
  })
  .map((sides) => new Map(FIELDS.map((f, i) => [f, sides[i] as 'local' | 'remote'])));

const canon = (v: unknown): string => canonicalJson(v ?? null);
const field = (o: Json, f: string): Json => (o as Rec)[f] ?? null;

describe('three-way merge with per-field winners', () => {
  it('gives each conflicted field to its own later side', () => {
    fc.assert(
      fc.property(inputArb, winnersArb, (input, winners) => {
        // Top-level keys only: an element (`k[p]`) goes with its list.
        const winnerOf = (k: string) => winners.get(k);
        const m = threeWayMerge(RULES, { ...input, winnerOf });
        for (const c of m.conflicts) {
          const key = topLevelKey(c.path);
          expect(c.winner).toBe(winners.get(key));
          expect(canon(c.lost)).toBe(canon(c.winner === 'local' ? c.remote : c.local));
          // A whole-value field: the merged value is the winner's.
          if (key === 'a' || key === 'b' || key === 'c')
            expect(canon(field(m.merged, key))).toBe(canon(c.winner === 'local' ? c.local : c.remote));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('with no per-field information equals the record-level merge', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const record = input.localUpdatedAt > input.remoteUpdatedAt ? 'local' : 'remote';
        const plain = threeWayMerge(RULES, input);
        expect(canon(threeWayMerge(RULES, { ...input, winnerOf: () => record }))).toBe(canon(plain));
        expect(canon(threeWayMerge(RULES, { ...input, winnerOf: undefined }))).toBe(canon(plain));
      }),
      { numRuns: 500 },
    );
  });

  it('finds the same conflicts whoever wins them', () => {
    fc.assert(
      fc.property(inputArb, winnersArb, (input, winners) => {
        const paths = (w?: (k: string) => 'local' | 'remote') =>
          threeWayMerge(RULES, { ...input, winnerOf: w }).conflicts.map((c) => c.path);
        expect(paths((k) => winners.get(k) ?? 'local')).toEqual(paths());
      }),
      { numRuns: 300 },
    );
  });

  it("a customer's older Retailos note loses to Shopify's newer note, and its newer last name stays", () => {
    const base = customerSnapshot({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      note: '',
      tags: [],
      addresses: [],
    }) as Rec;
    const local = { ...base, note: 'Retailos note', lastName: 'King' };
    const remote = { ...base, note: 'Shopify note' };
    // The record's times say Retailos (its last-name edit is the latest edit of all)...
    const input = {
      base,
      local,
      remote,
      localUpdatedAt: new Date(3_000),
      remoteUpdatedAt: new Date(2_000),
    };
    expect(threeWayMerge(CUSTOMER_MERGE_RULES, input).merged).toMatchObject({ note: 'Retailos note' });
    // ...the note's own times say Shopify.
    const m = threeWayMerge(CUSTOMER_MERGE_RULES, {
      ...input,
      winnerOf: (k) => (k === 'note' ? 'remote' : 'local'),
    });
    expect(m.merged).toMatchObject({ note: 'Shopify note', lastName: 'King' });
    expect(m.conflicts).toEqual([
      {
        path: 'note',
        base: '',
        local: 'Retailos note',
        remote: 'Shopify note',
        winner: 'remote',
        lost: 'Retailos note',
      },
    ]);
    expect([m.toLocal, m.toRemote]).toEqual([true, true]);
  });

  it("the product merge (variants by link) honours the per-field winners, down to a variant's price", () => {
    const product = (title: string, price: string): Json =>
      productSnapshot({
        title,
        handle: 'tee',
        descriptionHtml: '',
        vendor: '',
        productType: '',
        status: 'active',
        tags: [],
        variants: [{ sku: 'A', barcode: null, price, compareAtPrice: null, optionValues: [], position: 1 }],
      });
    const gid = 'gid://shopify/ProductVariant/1';
    const input = {
      base: product('Tee', '10.00'),
      baseGids: [gid],
      local: product('Retailos tee', '11.00'),
      localVariants: [{ id: '00000000-0000-4000-8000-000000000001', gid }],
      remote: product('Shopify tee', '12.00'),
      remoteVariants: [{ gid, linked: true }],
      localUpdatedAt: new Date(1_000),
      remoteUpdatedAt: new Date(2_000),
    };
    const m = mergeProduct({ ...input, winnerOf: (k) => (k === 'title' ? 'local' : 'remote') });
    expect(m.merged).toMatchObject({ title: 'Retailos tee', variants: [{ sku: 'A', price: '12.00' }] });
    expect(m.conflicts.map((c) => [c.path, c.winner])).toEqual([
      ['title', 'local'],
      ['variants[A].price', 'remote'],
    ]);
    // Without them, the record's later side (Shopify) takes both.
    expect(mergeProduct(input).merged).toMatchObject({ title: 'Shopify tee' });
  });

  it('decides a conflict in one element of a keyed list by that element’s own winner', () => {
    const item = (id: string, x: number) => ({ id, x });
    const input: MergeInput = {
      base: { k: [item('p', 0), item('q', 0)] },
      local: { k: [item('p', 1), item('q', 1)] },
      remote: { k: [item('p', 2), item('q', 2)] },
      localUpdatedAt: new Date(1),
      remoteUpdatedAt: new Date(2),
    };
    const m = threeWayMerge(RULES, {
      ...input,
      winnerOf: (path) => (path === 'k[p]' ? 'local' : path === 'k' ? 'remote' : undefined),
    });
    expect(m.merged).toEqual({ k: [item('p', 1), item('q', 2)] });
    expect(m.conflicts.map((c) => [c.path, c.winner])).toEqual([
      ['k[p].x', 'local'],
      ['k[q].x', 'remote'],
    ]);
  });

  it("decides each field of an element by that field's own winner, else the element's (chaos seed 3, op 260)", () => {
    const item = (id: string, x: number, y: number) => ({ id, x, y });
    // Shopify edited p's x first, then p's y; Retailos edited p's x in between: x goes to Retailos.
    const input: MergeInput = {
      base: { k: [item('p', 0, 0)] },
      local: { k: [item('p', 1, 0)] },
      remote: { k: [item('p', 2, 2)] },
      localUpdatedAt: new Date(1),
      remoteUpdatedAt: new Date(2),
    };
    const byField = (path: string) => (path === 'k[p].x' ? 'local' : path === 'k[p]' ? 'remote' : undefined);
    const m = threeWayMerge(RULES, { ...input, winnerOf: byField });
    expect(m.merged).toEqual({ k: [item('p', 1, 2)] });
    expect(m.conflicts.map((c) => [c.path, c.winner])).toEqual([['k[p].x', 'local']]);
    // Without a field's own answer, the element's decides.
    const byElement = (path: string) => (path === 'k[p]' ? 'remote' : undefined);
    expect(threeWayMerge(RULES, { ...input, winnerOf: byElement }).merged).toEqual({ k: [item('p', 2, 2)] });
  });
});

describe('changedKeys and topLevelKey', () => {
  it('names the top-level keys a write changed', () => {
    expect(changedKeys({ a: 1, b: [1, 2], c: null }, { a: 1, b: [2, 1], d: 'x' })).toEqual(['b', 'd']);
    expect(changedKeys({ a: { y: 1, x: 2 } }, { a: { x: 2, y: 1 } })).toEqual([]);
    expect(changedKeys(null, { a: 1, b: null })).toEqual(['a']);
    expect(changedKeys({ a: 1 }, null)).toEqual(['a']);
  });

  it("takes a conflict path's top-level key", () => {
    expect(['title', 'variants[SKU.1].price', 'variants[A]', 'addresses.0', ''].map(topLevelKey)).toEqual([
      'title',
      'variants',
      'variants',
      'addresses',
      '',
    ]);
  });
});
