import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { threeWayMerge, type MergeInput, type MergeRules } from './merge.ts';
import { canonicalJson, type Json } from './shopify-map/snapshot.ts';

/**
 * Properties of the merge over small generated records whose fields exercise every rule kind:
 * a, b: value; t: set; k: keyed by id (its elements: x value, s set, optional position); r: remote.
 * Local and remote are derived from base field by field, so unchanged fields are common.
 */

const VALUE_SET_KEYED: MergeRules = {
  t: { kind: 'set' },
  k: { kind: 'keyed', key: (item) => String(item['id']), fields: { s: { kind: 'set' } } },
};
const RULES: MergeRules = { ...VALUE_SET_KEYED, r: { kind: 'remote' } };

const valueArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, 'x', 'y', 1, [1], { z: 1 }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);
const tagsArb = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e')).map((t) => t.sort());
const itemArb = fc.record(
  {
    id: fc.constantFrom('p', 'q', 'r', 's'),
    x: fc.integer({ min: 0, max: 2 }),
    s: tagsArb,
    position: fc.integer({ min: 1, max: 4 }),
  },
  { requiredKeys: ['id', 'x', 's'] },
);
// Mostly unique ids; sometimes duplicates, which merge as whole values.
const listArb = fc.oneof(
  { weight: 4, arbitrary: fc.uniqueArray(itemArb, { selector: (i) => i.id, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(itemArb, { maxLength: 3 }) },
);
const FIELD_ARBS = { a: valueArb, b: valueArb, t: tagsArb, k: listArb, r: valueArb };
const FIELDS = Object.keys(FIELD_ARBS);
const recordArb = fc.record(FIELD_ARBS, { requiredKeys: [] }) as fc.Arbitrary<{ [k: string]: Json }>;

/** A record that keeps base's value for each field where `keep` says so, else takes `edit`'s. */
function derive(base: { [k: string]: Json }, edit: { [k: string]: Json }, keep: readonly boolean[]) {
  const out: { [k: string]: Json } = {};
  FIELDS.forEach((f, i) => {
    const from = keep[i] ? base : edit;
    const v = from[f];
    if (v !== undefined) out[f] = v;
  });
  return out;
}
const keepArb = fc.array(fc.boolean(), { minLength: FIELDS.length, maxLength: FIELDS.length });
const timeArb = fc.integer({ min: 0, max: 3 }).map((t) => new Date(Date.UTC(2025, 0, 1, t)));

const inputArb: fc.Arbitrary<MergeInput> = fc
  .record({
    base: recordArb,
    l: recordArb,
    r: recordArb,
    keepL: keepArb,
    keepR: keepArb,
    lt: timeArb,
    rt: timeArb,
  })
  .map(({ base, l, r, keepL, keepR, lt, rt }) => ({
    base,
    local: derive(base, l, keepL),
    remote: derive(base, r, keepR),
    localUpdatedAt: lt,
    remoteUpdatedAt: rt,
  }));

const canon = (v: Json | undefined): string => canonicalJson(v ?? null);
const field = (o: Json | null, f: string): Json => (o as { [k: string]: Json })[f] ?? null;

describe('three-way merge properties', () => {
  it('is deterministic, and key order never matters', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const reversed = (o: Json) => Object.fromEntries(Object.entries(o as object).reverse()) as Json;
        const again = threeWayMerge(RULES, { ...input, local: reversed(input.local) });
        const once = threeWayMerge(RULES, input);
        expect(threeWayMerge(RULES, input)).toEqual(once);
        expect(canonicalJson(again.merged)).toBe(canonicalJson(once.merged));
        expect(again.conflicts).toEqual(once.conflicts);
      }),
    );
  });

  it('is idempotent: merging the merged result with itself changes nothing and conflicts nowhere', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { merged } = threeWayMerge(RULES, input);
        for (const times of [input, { localUpdatedAt: new Date(5), remoteUpdatedAt: new Date(0) }]) {
          const again = threeWayMerge(RULES, { ...times, base: merged, local: merged, remote: merged });
          expect(again).toEqual({ merged, conflicts: [], toLocal: false, toRemote: false });
        }
      }),
    );
  });

  it('never drops a one-sided change', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { merged } = threeWayMerge(RULES, input);
        for (const f of Object.keys(VALUE_SET_KEYED).concat('a', 'b')) {
          const [b, l, r] = [field(input.base, f), field(input.local, f), field(input.remote, f)];
          if (canon(l) !== canon(b) && canon(r) === canon(b)) expect(canon(field(merged, f))).toBe(canon(l));
          if (canon(r) !== canon(b) && canon(l) === canon(b)) expect(canon(field(merged, f))).toBe(canon(r));
        }
      }),
    );
  });

  it('merge(base, x, base) = x and merge(base, base, x) = x', () => {
    fc.assert(
      fc.property(recordArb, recordArb, fc.boolean(), (base, x, localLater) => {
        const times = { localUpdatedAt: new Date(localLater ? 1 : 0), remoteUpdatedAt: new Date(0) };
        const onlyLocal = threeWayMerge(VALUE_SET_KEYED, { base, local: x, remote: base, ...times });
        expect(onlyLocal.merged).toEqual(x);
        expect(onlyLocal.conflicts).toEqual([]);
        const onlyRemote = threeWayMerge(RULES, { base, local: base, remote: x, ...times });
        expect(onlyRemote.merged).toEqual(x);
        expect(onlyRemote.conflicts).toEqual([]);
      }),
    );
  });

  it('toLocal and toRemote say exactly whether merged differs from each side', () => {
    fc.assert(
      fc.property(inputArb, fc.boolean(), (input, neverSynced) => {
        const m = threeWayMerge(RULES, neverSynced ? { ...input, base: null } : input);
        expect(m.toLocal).toBe(canonicalJson(m.merged) !== canonicalJson(input.local));
        expect(m.toRemote).toBe(canonicalJson(m.merged) !== canonicalJson(input.remote));
      }),
    );
  });

  it('every conflict names a winner whose value was kept and a loser whose value is lost', () => {
    fc.assert(
      fc.property(inputArb, fc.boolean(), (input, neverSynced) => {
        const m = threeWayMerge(RULES, neverSynced ? { ...input, base: null } : input);
        const winner = input.localUpdatedAt > input.remoteUpdatedAt ? 'local' : 'remote';
        for (const c of m.conflicts) {
          expect(c.winner).toBe(winner);
          expect(canon(c.lost)).toBe(canon(winner === 'local' ? c.remote : c.local));
          expect(canon(c.local)).not.toBe(canon(c.remote));
          if (neverSynced) expect(c.base).toBeNull();
        }
      }),
    );
  });
});
