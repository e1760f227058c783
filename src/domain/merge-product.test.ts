import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeProduct, type ProductMergeInput } from './merge-product.ts';
import { VARIANT_KEY } from './merge-rules.ts';
import { productSnapshot, type Json } from './shopify-map/snapshot.ts';

/**
 * The product merge matches variants by link (GID ⇄ Retailos id), so a SKU is a field like any other:
 * edits on both sides of one variant whose SKU changed are all kept, and every variant keeps its ids.
 */

/** One variant as a side holds it: its Retailos id (local side), its GID (remote side, or linked). */
interface V {
  id: string;
  gid: string | null;
  sku: string | null;
  price: string;
  position: number;
}

const gid = (n: number | string) => `gid://shopify/ProductVariant/${n}`;
const snap = (vs: readonly V[]): Json =>
  productSnapshot({
    title: 'Tee',
    handle: 'tee',
    descriptionHtml: '',
    vendor: '',
    productType: '',
    status: 'active',
    tags: [],
    variants: vs.map((v) => ({ ...v, barcode: null, compareAtPrice: null, optionValues: [] })),
  });
const byPosition = (vs: readonly V[]) => [...vs].sort((a, b) => a.position - b.position);

/** The merge input of base, local and remote variant lists (`withLinks`: a base that kept its GIDs). */
function inputOf(
  base: readonly V[],
  local: readonly V[],
  remote: readonly V[],
  opts: { withLinks: boolean; localLater: boolean },
): ProductMergeInput {
  const linked = new Set(base.map((v) => v.gid));
  return {
    base: snap(base),
    baseGids: opts.withLinks ? byPosition(base).map((v) => v.gid) : null,
    local: snap(local),
    localVariants: byPosition(local).map((v) => ({ id: v.id, gid: linked.has(v.gid) ? v.gid : null })),
    remote: snap(remote),
    remoteVariants: byPosition(remote).map((v) => ({ gid: v.gid as string, linked: linked.has(v.gid) })),
    localUpdatedAt: new Date(opts.localLater ? 2 : 1),
    remoteUpdatedAt: new Date(1),
  };
}

type MergedVariant = { sku: string | null; price: string; position: number; [VARIANT_KEY]: string };
const keyedVariants = (m: { keyed: Json }) => (m.keyed as { variants: MergedVariant[] }).variants;

const v = (n: number, sku: string | null, price = '10.00'): V => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  gid: gid(n),
  sku,
  price,
  position: n,
});
const base2 = [v(1, 'A'), v(2, 'B')];

describe('mergeProduct: variants matched by link', () => {
  for (const withLinks of [true, false]) {
    const shape = withLinks ? 'a base with its GIDs' : 'a base stored before it kept GIDs';

    it(`SKU edited in Retailos + price edited on Shopify: both kept, same variant (${shape})`, () => {
      const local = [{ ...v(1, 'A2') }, v(2, 'B')];
      const remote = [{ ...v(1, 'A'), price: '12.00' }, v(2, 'B')];
      for (const localLater of [true, false]) {
        const m = mergeProduct(inputOf(base2, local, remote, { withLinks, localLater }));
        expect(m.conflicts).toEqual([]);
        expect(keyedVariants(m)).toEqual([
          expect.objectContaining({ [VARIANT_KEY]: gid(1), sku: 'A2', price: '12.00' }),
          expect.objectContaining({ [VARIANT_KEY]: gid(2), sku: 'B', price: '10.00' }),
        ]);
        expect(m.toLocal).toBe(true);
        expect(m.toRemote).toBe(true);
      }
    });

    it(`SKU edited on Shopify: the Retailos variant is updated, not replaced (${shape})`, () => {
      const remote = [v(1, 'Z'), v(2, 'B')];
      const m = mergeProduct(inputOf(base2, base2, remote, { withLinks, localLater: true }));
      expect(keyedVariants(m).map((x) => [x[VARIANT_KEY], x.sku])).toEqual([
        [gid(1), 'Z'],
        [gid(2), 'B'],
      ]);
      expect(m.toRemote).toBe(false);
    });

    it(`SKUs swapped between two variants on one side, prices edited on the other (${shape})`, () => {
      const local = [v(1, 'B'), v(2, 'A')];
      const remote = [
        { ...v(1, 'A'), price: '11.00' },
        { ...v(2, 'B'), price: '22.00' },
      ];
      const m = mergeProduct(inputOf(base2, local, remote, { withLinks, localLater: false }));
      expect(m.conflicts).toEqual([]);
      expect(keyedVariants(m).map((x) => [x[VARIANT_KEY], x.sku, x.price])).toEqual([
        [gid(1), 'B', '11.00'],
        [gid(2), 'A', '22.00'],
      ]);
    });
  }

  it('the same field edited on both sides is a conflict named by SKU, the later edit wins', () => {
    const local = [{ ...v(1, 'A2'), price: '5.00' }, v(2, 'B')];
    const remote = [{ ...v(1, 'A'), price: '7.00' }, v(2, 'B')];
    const m = mergeProduct(inputOf(base2, local, remote, { withLinks: true, localLater: false }));
    expect(m.conflicts).toEqual([
      expect.objectContaining({
        path: 'variants[A2].price',
        local: '5.00',
        remote: '7.00',
        winner: 'remote',
      }),
    ]);
    expect(keyedVariants(m)[0]).toEqual(expect.objectContaining({ sku: 'A2', price: '7.00' }));
  });

  it('a variant made in Retailos and one made on Shopify with the same SKU are one variant', () => {
    const newLocal: V = {
      id: '00000000-0000-4000-8000-000000000009',
      gid: null,
      sku: 'N',
      price: '1.00',
      position: 3,
    };
    const newRemote: V = { ...newLocal, id: '', gid: gid(9) };
    const m = mergeProduct(
      inputOf(base2, [...base2, newLocal], [...base2, newRemote], {
        withLinks: true,
        localLater: true,
      }),
    );
    expect(keyedVariants(m).map((x) => x[VARIANT_KEY])).toEqual([gid(1), gid(2), gid(9)]);
    expect(m.toLocal || m.toRemote).toBe(false);
  });

  it('merged carries no $key; keyed does', () => {
    const m = mergeProduct(
      inputOf(base2, [v(1, 'Q'), v(2, 'B')], base2, { withLinks: true, localLater: true }),
    );
    expect(JSON.stringify(m.merged)).not.toContain(VARIANT_KEY);
    expect(m.merged).toEqual(snap([v(1, 'Q'), v(2, 'B')]));
  });
});

/**
 * Interleavings: a random sequence of edits, each made on one side (SKU set, SKU swapped between two
 * variants, price set, a variant added), from a synced base of 1–3 variants. Invariant: every variant
 * keeps its GID and its Retailos id, each one-sided edit is kept, and an edit of the same field on both
 * sides is a conflict won by the later side.
 */
type Op =
  | { side: 'local' | 'remote'; kind: 'sku' | 'price'; at: number }
  | { side: 'local' | 'remote'; kind: 'swap'; at: number; with: number }
  | { side: 'local' | 'remote'; kind: 'add' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    side: fc.constantFrom('local' as const, 'remote' as const),
    kind: fc.constantFrom('sku' as const, 'price' as const),
    at: fc.nat(2),
  }),
  fc.record({
    side: fc.constantFrom('local' as const, 'remote' as const),
    kind: fc.constant('swap' as const),
    at: fc.nat(2),
    with: fc.nat(2),
  }),
  fc.record({
    side: fc.constantFrom('local' as const, 'remote' as const),
    kind: fc.constant('add' as const),
  }),
);

function play(base: readonly V[], ops: readonly Op[]) {
  const sides = { local: base.map((x) => ({ ...x })), remote: base.map((x) => ({ ...x })) };
  let fresh = 0;
  ops.forEach((op) => {
    const vs = sides[op.side];
    fresh += 1;
    if (op.kind === 'add') {
      const n = 100 + fresh;
      const sku = `${op.side === 'local' ? 'L' : 'R'}${fresh}`;
      const position = Math.max(...vs.map((x) => x.position)) + 1;
      vs.push(
        op.side === 'local'
          ? { id: `00000000-0000-4000-8000-000000000${n}`, gid: null, sku, price: '1.00', position }
          : { id: '', gid: gid(n), sku, price: '1.00', position },
      );
      return;
    }
    const x = vs[op.at % base.length] as V;
    if (op.kind === 'sku') x.sku = `${op.side === 'local' ? 'L' : 'R'}${fresh}`;
    else if (op.kind === 'price') x.price = `${fresh}.00`;
    else if (op.kind === 'swap') {
      const y = vs[op.with % base.length] as V;
      [x.sku, y.sku] = [y.sku, x.sku];
    }
  });
  return sides;
}

describe('mergeProduct over interleaved edits on both sides', () => {
  it('keeps every variant and its ids, and loses no edit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(opArb, { maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        (n, ops, withLinks, localLater) => {
          const base = Array.from({ length: n }, (_, i) => v(i + 1, `S${i + 1}`));
          const { local, remote } = play(base, ops);
          const m = mergeProduct(inputOf(base, local, remote, { withLinks, localLater }));
          const out = keyedVariants(m);
          const byKey = new Map(out.map((x) => [x[VARIANT_KEY], x]));
          // Every variant once: the synced ones under their GID, new ones under their GID or local id.
          const expected = [
            ...base.map((x) => x.gid),
            ...local.filter((x) => x.gid === null).map((x) => `local:${x.id}`),
            ...remote.filter((x) => !base.some((b) => b.gid === x.gid)).map((x) => x.gid),
          ];
          expect(out.map((x) => x[VARIANT_KEY]).sort()).toEqual([...expected].sort());
          for (const b of base) {
            const l = local.find((x) => x.gid === b.gid) as V;
            const r = remote.find((x) => x.gid === b.gid) as V;
            const got = byKey.get(b.gid as string) as MergedVariant;
            for (const f of ['sku', 'price'] as const) {
              const lChanged = l[f] !== b[f];
              const rChanged = r[f] !== b[f];
              if (l[f] === r[f]) expect(got[f]).toBe(l[f]);
              else if (lChanged && !rChanged) expect(got[f]).toBe(l[f]);
              else if (rChanged && !lChanged) expect(got[f]).toBe(r[f]);
              else if (lChanged && rChanged && l[f] !== r[f]) {
                expect(got[f]).toBe(localLater ? l[f] : r[f]);
                expect(m.conflicts.some((c) => c.path.endsWith(`.${f}`))).toBe(true);
              }
            }
          }
          for (const x of [...local, ...remote].filter((y) => !base.some((b) => b.gid === y.gid))) {
            const key = x.gid ?? `local:${x.id}`;
            expect(byKey.get(key)).toEqual(expect.objectContaining({ sku: x.sku, price: x.price }));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
