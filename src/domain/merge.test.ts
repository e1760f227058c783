import { describe, expect, it } from 'vitest';
import { PRODUCT_MERGE_RULES } from './merge-rules.ts';
import { threeWayMerge, type MergeInput, type MergeRules } from './merge.ts';
import { productSnapshot, type Json, type ProductSyncFields } from './shopify-map/snapshot.ts';

const EARLY = new Date('2025-03-01T10:00:00Z');
const LATE = new Date('2025-03-01T11:00:00Z');

type Variant = ProductSyncFields['variants'][number];
const variant = (sku: string | null, position: number, price = '10.00'): Variant => ({
  sku,
  barcode: null,
  price,
  compareAtPrice: null,
  optionValues: [{ name: 'Size', value: `S${position}` }],
  position,
});
const PRODUCT: ProductSyncFields = {
  title: 'Linen shirt',
  handle: 'linen-shirt',
  descriptionHtml: '<p>Cool</p>',
  vendor: 'Acme',
  productType: 'Shirt',
  status: 'active',
  tags: ['linen', 'summer'],
  variants: [variant('SKU-1', 1), variant('SKU-2', 2)],
};
const product = (patch: Partial<ProductSyncFields> = {}): Json => productSnapshot({ ...PRODUCT, ...patch });

function merge(rules: MergeRules, base: Json | null, local: Json, remote: Json, localLater = false) {
  const input: MergeInput = {
    base,
    local,
    remote,
    localUpdatedAt: localLater ? LATE : EARLY,
    remoteUpdatedAt: localLater ? EARLY : LATE,
  };
  return threeWayMerge(rules, input);
}

describe('three-way merge of products', () => {
  it('every product snapshot field has a rule', () => {
    expect(Object.keys(PRODUCT_MERGE_RULES).sort()).toEqual(Object.keys(product() as object).sort());
  });

  it('a title edited in Shopify and a price edited in Retailos both survive, without a conflict', () => {
    const local = product({ variants: [variant('SKU-1', 1, '12.00'), variant('SKU-2', 2)] });
    const remote = product({ title: 'Linen shirt II' });
    const m = merge(PRODUCT_MERGE_RULES, product(), local, remote);
    expect(m.merged).toEqual(
      product({ title: 'Linen shirt II', variants: [variant('SKU-1', 1, '12.00'), variant('SKU-2', 2)] }),
    );
    expect(m.conflicts).toEqual([]);
    expect(m).toMatchObject({ toLocal: true, toRemote: true });
  });

  it('the same field changed on both sides to different values goes to the later edit', () => {
    const m = merge(
      PRODUCT_MERGE_RULES,
      product(),
      product({ title: 'Ours' }),
      product({ title: 'Theirs' }),
      true,
    );
    expect((m.merged as { title: string }).title).toBe('Ours');
    expect(m.conflicts).toEqual([
      {
        path: 'title',
        base: 'Linen shirt',
        local: 'Ours',
        remote: 'Theirs',
        winner: 'local',
        lost: 'Theirs',
      },
    ]);
    expect(m).toMatchObject({ toLocal: false, toRemote: true });
  });

  it('the same change on both sides is no conflict and needs no write', () => {
    const m = merge(PRODUCT_MERGE_RULES, product(), product({ vendor: 'Beta' }), product({ vendor: 'Beta' }));
    expect(m).toEqual({
      merged: product({ vendor: 'Beta' }),
      conflicts: [],
      toLocal: false,
      toRemote: false,
    });
  });

  it('tags added and removed on both sides are all kept, sorted', () => {
    const base = product({ tags: ['a', 'b', 'c'] });
    const local = product({ tags: ['a', 'c', 'x'] }); // removed b, added x
    const remote = product({ tags: ['b', 'c', 'w'] }); // removed a, added w
    const m = merge(PRODUCT_MERGE_RULES, base, local, remote);
    expect((m.merged as { tags: string[] }).tags).toEqual(['c', 'w', 'x']);
    expect(m.conflicts).toEqual([]);
  });

  it('variants added on each side are both kept, ordered by position', () => {
    const local = product({ variants: [...PRODUCT.variants, variant('SKU-3', 3)] });
    const remote = product({ variants: [...PRODUCT.variants, variant('SKU-4', 4)] });
    const m = merge(PRODUCT_MERGE_RULES, product(), local, remote);
    const skus = (m.merged as { variants: { sku: string }[] }).variants.map((v) => v.sku);
    expect(skus).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4']);
    expect(m).toMatchObject({ conflicts: [], toLocal: true, toRemote: true });
  });

  it('a variant deleted in Retailos but edited later in Shopify stays, with the edit', () => {
    const local = product({ variants: [variant('SKU-1', 1)] });
    const remote = product({ variants: [variant('SKU-1', 1), variant('SKU-2', 2, '15.00')] });
    const m = merge(PRODUCT_MERGE_RULES, product(), local, remote);
    // SKU-2 was edited remotely and deleted locally: remote's edit is later, so it stays.
    expect(m.merged).toEqual(product({ variants: [variant('SKU-1', 1), variant('SKU-2', 2, '15.00')] }));
    expect(m.conflicts).toEqual([
      expect.objectContaining({ path: 'variants[SKU-2]', local: null, winner: 'remote', lost: null }),
    ]);
  });

  it('a variant deleted on one side and untouched on the other is deleted', () => {
    const local = product({ title: 'New', variants: [variant('SKU-1', 1)] });
    const remote = product({ variants: [variant('SKU-1', 1, '11.00'), variant('SKU-2', 2)] });
    const m = merge(PRODUCT_MERGE_RULES, product(), local, remote);
    expect(m.merged).toEqual(product({ title: 'New', variants: [variant('SKU-1', 1, '11.00')] }));
    expect(m.conflicts).toEqual([]);
  });

  it('an edit that loses to a later deletion is kept in the conflict as the lost value', () => {
    const local = product({ variants: [variant('SKU-1', 1), variant('SKU-2', 2, '99.00')] });
    const remote = product({ variants: [variant('SKU-1', 1, '11.00')] });
    const m = merge(PRODUCT_MERGE_RULES, product(), local, remote);
    expect(m.merged).toEqual(product({ variants: [variant('SKU-1', 1, '11.00')] }));
    const lost = (local as { variants: Json[] }).variants[1];
    expect(m.conflicts).toEqual([
      { path: 'variants[SKU-2]', base: expect.anything(), local: lost, remote: null, winner: 'remote', lost },
    ]);
  });

  it('one variant field edited on both sides is a conflict at the variant field path', () => {
    const local = product({ variants: [variant('SKU-1', 1, '12.00'), variant('SKU-2', 2)] });
    const remote = product({ variants: [variant('SKU-1', 1, '13.00'), variant('SKU-2', 2)] });
    const m = merge(PRODUCT_MERGE_RULES, product(), local, remote, true);
    expect(m.merged).toEqual(local);
    expect(m.conflicts).toEqual([
      {
        path: 'variants[SKU-1].price',
        base: '10.00',
        local: '12.00',
        remote: '13.00',
        winner: 'local',
        lost: '13.00',
      },
    ]);
  });

  it('variants without a SKU are matched by position', () => {
    const base = product({ variants: [variant(null, 1), variant(null, 2)] });
    const local = product({ variants: [variant(null, 1, '5.00'), variant(null, 2)] });
    const remote = product({ title: 'T', variants: [variant(null, 1), variant(null, 2, '6.00')] });
    const m = merge(PRODUCT_MERGE_RULES, base, local, remote);
    expect(m.merged).toEqual(
      product({ title: 'T', variants: [variant(null, 1, '5.00'), variant(null, 2, '6.00')] }),
    );
    expect(m.conflicts).toEqual([]);
  });

  it('never synced: every differing field is a conflict decided by time, with a null base', () => {
    const local = product({ title: 'Ours', tags: ['x'] });
    const remote = product({ title: 'Theirs', tags: ['y'] });
    const m = merge(PRODUCT_MERGE_RULES, null, local, remote, true);
    expect(m.merged).toEqual(local);
    expect(m.conflicts.map((c) => [c.path, c.base, c.winner])).toEqual([
      ['tags', null, 'local'],
      ['title', null, 'local'],
    ]);
    expect(m).toMatchObject({ toLocal: false, toRemote: true });
  });

  it('never synced and equal: nothing to write', () => {
    expect(merge(PRODUCT_MERGE_RULES, null, product(), product())).toEqual({
      merged: product(),
      conflicts: [],
      toLocal: false,
      toRemote: false,
    });
  });

  it('key order never matters', () => {
    const reordered = Object.fromEntries(Object.entries(product() as object).reverse()) as Json;
    const m = merge(PRODUCT_MERGE_RULES, product(), reordered, product());
    expect(m).toMatchObject({ conflicts: [], toLocal: false, toRemote: false });
  });
});

describe('the tie rule', () => {
  it('equal timestamps: remote wins, because Shopify is the copy other channels see', () => {
    const m = threeWayMerge(PRODUCT_MERGE_RULES, {
      base: product(),
      local: product({ title: 'Ours' }),
      remote: product({ title: 'Theirs' }),
      localUpdatedAt: EARLY,
      remoteUpdatedAt: new Date(EARLY.getTime()),
    });
    expect(m.conflicts).toEqual([expect.objectContaining({ path: 'title', winner: 'remote', lost: 'Ours' })]);
    expect(m).toMatchObject({ toLocal: true, toRemote: false });
  });
  it('a later local edit by one millisecond wins', () => {
    const m = threeWayMerge(PRODUCT_MERGE_RULES, {
      base: product(),
      local: product({ title: 'Ours' }),
      remote: product({ title: 'Theirs' }),
      localUpdatedAt: new Date(EARLY.getTime() + 1),
      remoteUpdatedAt: EARLY,
    });
    expect(m.conflicts[0]?.winner).toBe('local');
  });
});

describe('edge cases', () => {
  it('missing keys count as null', () => {
    const m = merge({}, { a: 1, b: null, c: 3 }, { a: 1, c: 3 }, { a: 2, b: null });
    expect(m.merged).toEqual({ a: 2 });
    expect(m.conflicts).toEqual([]);
  });
  it('a key named __proto__ is plain data', () => {
    const local = JSON.parse('{"__proto__": 1}') as Json;
    const m = merge({}, null, local, local);
    expect(Object.keys(m.merged as object)).toEqual(['__proto__']);
    expect(m.toLocal).toBe(false);
  });
  it('keyed lists with duplicate keys merge as whole values', () => {
    const base = product({ variants: [variant('D', 1), variant('D', 2)] });
    const local = product({ variants: [variant('D', 1, '1.00'), variant('D', 2)] });
    const remote = product({ variants: [variant('D', 1), variant('D', 2, '2.00')] });
    const m = merge(PRODUCT_MERGE_RULES, base, local, remote);
    expect(m.merged).toEqual(remote);
    expect(m.conflicts.map((c) => c.path)).toEqual(['variants']);
  });
  it('a set field holding something other than strings merges as a value', () => {
    const m = merge({ tags: { kind: 'set' } }, { tags: [1] }, { tags: [2] }, { tags: [3] }, true);
    expect(m.merged).toEqual({ tags: [2] });
    expect(m.conflicts.map((c) => c.path)).toEqual(['tags']);
  });
});
