import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRODUCT_MERGE_RULES } from './merge-rules.ts';
import { canonicalJson, type Json } from './shopify-map/snapshot.ts';
import { planRevert, planStockRevert } from './revert-plan.ts';

const product = (over: Record<string, Json> = {}, variants: Json[] = [variant('A-1', '10.00', 1)]): Json => ({
  title: 'Shirt',
  vendor: 'Acme',
  tags: ['blue', 'summer'],
  variants,
  ...over,
});

function variant(sku: string, price: string, position: number): Json {
  return { sku, price, position, compareAtPrice: null, barcode: null, optionValues: [] };
}

const plan = (before: Json, after: Json, current: Json, notWritable?: (f: string) => string | undefined) =>
  planRevert({ rules: PRODUCT_MERGE_RULES, before, after, current, ...(notWritable ? { notWritable } : {}) });

describe('planRevert', () => {
  it('rolls back a field that still holds the entry value, and nothing else', () => {
    const p = plan(product(), product({ title: 'Tee' }), product({ title: 'Tee', vendor: 'Later' }));
    expect(p.fields).toEqual([{ path: 'title', from: 'Tee', to: 'Shirt' }]);
    expect(p.changedSince).toEqual([]);
    expect(p.target).toEqual(product({ title: 'Shirt', vendor: 'Later' }));
  });

  it('lists a field changed again since, with the entry value, the current value and the revert value', () => {
    const p = plan(product(), product({ title: 'Tee' }), product({ title: 'Top' }));
    expect(p.changedSince).toEqual([{ path: 'title', entryValue: 'Tee', current: 'Top', revertTo: 'Shirt' }]);
    expect(p.fields).toEqual([{ path: 'title', from: 'Top', to: 'Shirt' }]);
  });

  it('leaves a field that already holds the earlier value', () => {
    const p = plan(product(), product({ title: 'Tee' }), product());
    expect(p.fields).toEqual([]);
    expect(p.changedSince).toEqual([]);
  });

  it('reverts a variant price by its SKU, leaving a price changed since on another variant', () => {
    const two = (a: string, b: string) => [variant('A-1', a, 1), variant('A-2', b, 2)];
    const p = plan(
      product({}, two('10.00', '5.00')),
      product({}, two('12.00', '5.00')),
      product({}, two('12.00', '7.00')),
    );
    expect(p.fields).toEqual([{ path: 'variants[A-1].price', from: '12.00', to: '10.00' }]);
    expect(p.target).toEqual(product({}, two('10.00', '7.00')));
  });

  it('removes a variant the entry added and puts back one it removed', () => {
    const p = plan(
      product({}, [variant('A-1', '1.00', 1), variant('A-2', '2.00', 2)]),
      product({}, [variant('A-1', '1.00', 1), variant('A-3', '3.00', 2)]),
      product({}, [variant('A-1', '1.00', 1), variant('A-3', '3.00', 2)]),
    );
    expect(p.fields.map((f) => f.path)).toEqual(['variants[A-2]', 'variants[A-3]']);
    expect(p.target).toEqual(product({}, [variant('A-1', '1.00', 1), variant('A-2', '2.00', 2)]));
  });

  it('undoes the tags an entry added or removed and keeps tags added since', () => {
    const p = plan(
      product({ tags: ['a', 'b'] }),
      product({ tags: ['b', 'c'] }),
      product({ tags: ['b', 'c', 'd'] }),
    );
    expect(p.target).toEqual(product({ tags: ['a', 'b', 'd'] }));
    expect(p.changedSince.map((c) => c.path)).toEqual(['tags']);
  });

  it('skips fields the app may not write, with the reason', () => {
    const p = plan(
      product(),
      product({ title: 'Tee', vendor: 'X' }),
      product({ title: 'Tee', vendor: 'X' }),
      (f) => (f === 'vendor' ? 'Shopify owns it' : undefined),
    );
    expect(p.skipped).toEqual([{ path: 'vendor', reason: 'Shopify owns it' }]);
    expect(p.fields.map((f) => f.path)).toEqual(['title']);
    expect((p.target as { vendor: string }).vendor).toBe('X');
  });

  it('reverting a record that holds the entry after-state gives back its before-state (property)', () => {
    const sku = fc.constantFrom('S-1', 'S-2', 'S-3', 'S-4');
    const snap = fc
      .record({
        title: fc.constantFrom('a', 'b', 'c'),
        vendor: fc.constantFrom('x', 'y'),
        tags: fc.uniqueArray(fc.constantFrom('t1', 't2', 't3'), { maxLength: 3 }),
        variants: fc.uniqueArray(fc.record({ sku, price: fc.constantFrom('1.00', '2.00') }), {
          selector: (v) => v.sku,
          minLength: 1,
          maxLength: 4,
        }),
      })
      .map((s): Json => ({
        ...s,
        tags: [...s.tags].sort(),
        variants: s.variants.map((v, i) => variant(v.sku, v.price, i + 1)),
      }));
    fc.assert(
      fc.property(snap, snap, (before, after) => {
        const p = plan(before, after, after);
        expect(p.changedSince).toEqual([]);
        const positions = (s: Json) =>
          canonicalJson({
            ...(s as object),
            variants: (s as { variants: { sku: string }[] }).variants.map((v) => v.sku).sort(),
          });
        // Same fields; the variants as a set (a variant put back keeps its old position).
        expect(positions(p.target)).toBe(positions(before));
        const bySku = (s: Json) =>
          Object.fromEntries((s as { variants: { sku: string }[] }).variants.map((v) => [v.sku, v]));
        expect(bySku(p.target)).toEqual(bySku(before));
      }),
    );
  });
});

describe('planStockRevert', () => {
  it('takes back the entry delta of available', () => {
    expect(planStockRevert({ available: 10, onHand: 10 }, { available: 15, onHand: 15 })).toEqual({
      ok: true,
      delta: -5,
    });
  });

  it('refuses a change of on hand alone (a fulfilment)', () => {
    const r = planStockRevert({ available: 4, onHand: 10 }, { available: 4, onHand: 9 });
    expect(r.ok).toBe(false);
  });
});
