import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRODUCT_MERGE_RULES } from './merge-rules.ts';
import type { MergeRules } from './merge.ts';
import { overwrittenEdit, restoredOnto, withoutElementKeys, type PushedOver } from './overwritten-edit.ts';
import type { Json } from './shopify-map/snapshot.ts';

/**
 * Shopify's states of one record around one push of ours: R (what the push read), a merchant's edit E
 * landing before, between or after the read and the write, and W (Shopify applies our write's fields,
 * the ones that differ from R, over whatever it holds then). Whatever the interleaving, a delivery of
 * E's state never brings back anything older than what our read saw, and an E our write overwrote is
 * merged back whole: its fields win, our other fields stay.
 */

const RULES: MergeRules = { tags: { kind: 'set' } };
const FIELDS = ['a', 'b', 'c'] as const;
type Rec = { a: string; b: string; c: string; tags: string[] };
const recArb: fc.Arbitrary<Rec> = fc.record({
  a: fc.constantFrom('a0', 'a1', 'a2'),
  b: fc.constantFrom('b0', 'b1', 'b2'),
  c: fc.constantFrom('c0', 'c1', 'c2'),
  tags: fc.uniqueArray(fc.constantFrom('t', 'u', 'v')).map((t) => t.sort()),
});
const editArb = fc.record(
  { a: fc.constantFrom('a1', 'a3'), b: fc.constantFrom('b1', 'b3'), c: fc.constantFrom('c1', 'c3') },
  { requiredKeys: [] },
);

const applied = (to: Rec, over: Partial<Rec>): Rec => ({ ...to, ...over });
/** The fields of `w` that differ from `r`: what our write sends (productSet sends only those). */
const delta = (r: Rec, w: Rec): Partial<Rec> =>
  Object.fromEntries(
    [...FIELDS, 'tags' as const]
      .filter((k) => JSON.stringify(r[k]) !== JSON.stringify(w[k]))
      .map((k) => [k, w[k]]),
  );

const over = (read: Rec, wrote: Rec): PushedOver => ({
  read: read as unknown as Json,
  readAt: 10_000,
  readSince: 10_100,
  wrote: wrote as unknown as Json,
  wroteAt: 10_000,
  wroteBy: 10_300,
});

describe('overwrittenEdit', () => {
  it('an edit between our read and our write comes back whole; our other fields stay', () => {
    fc.assert(
      fc.property(recArb, editArb, editArb, (r, ours, theirs) => {
        const mine = applied(r, ours); // what our push merged and sends over R
        const e = applied(r, theirs); // the merchant's edit, after our read
        const w = applied(e, delta(r, mine)); // Shopify applies our fields over E
        const got = overwrittenEdit(RULES, over(r, w), e as unknown as Json, 10_000, 10_200);
        const lost = Object.keys(theirs).filter(
          (k) => e[k as 'a'] !== r[k as 'a'] && w[k as 'a'] !== e[k as 'a'],
        );
        const want = applied(w, Object.fromEntries(lost.map((k) => [k, e[k as 'a']])));
        expect(got).toEqual(lost.length === 0 ? undefined : want);
      }),
    );
  });

  it('an edit made before our read is never brought back, whatever its second', () => {
    fc.assert(
      fc.property(recArb, editArb, editArb, (old, theirs, ours) => {
        const r = applied(old, theirs); // an older Shopify state `old`, then what we read
        const w = applied(r, ours);
        expect(overwrittenEdit(RULES, over(r, w), old as unknown as Json, 10_000, 10_050)).toBeUndefined();
      }),
    );
  });

  it("nothing is assumed without the delivery's trigger time, or when it came after the write's answer", () => {
    const r = { a: 'a0', b: 'b0', c: 'c0', tags: [] };
    const w = { ...r, a: 'ours' };
    const e = { ...r, a: 'theirs' };
    expect(overwrittenEdit(RULES, over(r, w), e, 10_000, undefined)).toBeUndefined();
    expect(overwrittenEdit(RULES, over(r, w), e, 10_000, 10_301)).toBeUndefined();
    expect(overwrittenEdit(RULES, over(r, w), e, 10_000, 10_300)).toEqual(e);
  });

  it('tags added on both sides are both kept', () => {
    const r = { a: 'a0', b: 'b0', c: 'c0', tags: ['t'] };
    const w = { ...r, tags: ['t', 'ours'] };
    const e = { ...r, tags: ['t', 'theirs'] };
    expect(overwrittenEdit(RULES, over(r, w), e, 10_000, 10_200)).toEqual({
      ...r,
      tags: ['ours', 't', 'theirs'],
    });
  });

  it("matches a product's variants by their Shopify id, so a SKU edit is no variant removed and added", () => {
    const v = (sku: string, price: string) => ({
      $key: 'gid://shopify/ProductVariant/1',
      sku,
      price,
      position: 1,
    });
    const r = { title: 'T', variants: [v('S-1', '5.00')] };
    const w = { title: 'T', variants: [v('S-1', '7.00')] }; // our price
    const e = { title: 'T', variants: [v('S-2', '5.00')] }; // their SKU: kept by our write, not lost
    expect(
      overwrittenEdit(PRODUCT_MERGE_RULES, over(r as never, w as never), e, 10_000, 10_200),
    ).toBeUndefined();
    const e2 = { title: 'T', variants: [v('S-1', '9.00')] }; // their price: overwritten
    const got = overwrittenEdit(PRODUCT_MERGE_RULES, over(r as never, w as never), e2, 10_000, 10_200);
    expect(withoutElementKeys(got as Json)).toEqual({
      title: 'T',
      variants: [{ sku: 'S-1', price: '9.00', position: 1 }],
    });
  });
});

describe('restoredOnto', () => {
  it("keeps Shopify's later edits and brings the overwritten fields back elsewhere", () => {
    const wrote = { a: 'ours', b: 'b0', c: 'c0', tags: [] };
    const restored = { ...wrote, a: 'theirs', b: 'theirs-b' };
    const current = { ...wrote, b: 'later', c: 'later-c' };
    expect(restoredOnto(RULES, wrote, current, restored)).toEqual({
      a: 'theirs',
      b: 'later',
      c: 'later-c',
      tags: [],
    });
  });

  it("takes the fields a delivery does not carry (a customers/update's tags) as our write left them", () => {
    const r: Rec = { a: 'a0', b: 'b0', c: 'c0', tags: ['t'] };
    const w: Rec = { a: 'a1', b: 'b0', c: 'c0', tags: ['t', 'u'] }; // our a, and a tag added meanwhile
    const e = { a: 'a3', b: 'b0', c: 'c0', tags: [] as string[] }; // the delivery: no tags told
    // Read as told, the empty placeholder would be taken for tags removed on Shopify.
    const asTold = overwrittenEdit(RULES, over(r, w), e as unknown as Json, 10_000, 10_200) as Rec;
    expect(asTold.tags).not.toEqual(w.tags);
    expect(overwrittenEdit(RULES, over(r, w), e as unknown as Json, 10_000, 10_200, ['tags'])).toEqual({
      ...w,
      a: 'a3',
    });
  });

  it('compares a list of objects by content, whatever the key order (a stored snapshot has jsonb order)', () => {
    const r = { a: 'a0', addresses: [{ city: 'X', zip: '1' }] };
    const w = { a: 'a1', addresses: [{ zip: '1', city: 'X' }] };
    const e = { addresses: [{ city: 'X', zip: '1' }], a: 'a3' };
    expect(overwrittenEdit(RULES, over(r as never, w as never), e, 10_000, 10_200)).toEqual({
      ...w,
      a: 'a3',
    });
  });
});
