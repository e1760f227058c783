import { describe, expect, it } from 'vitest';
import type { Product } from '../../domain/entities.ts';
import { productSnapshot } from '../../domain/shopify-map/index.ts';
import { linkedGidsFor, productInputFor, productSetInput, variantGidsFor } from './product.ts';
import type { SnapshotObject } from './snapshot-write.ts';

const gid = (n: number) => `gid://shopify/ProductVariant/${n}`;
const remote = [
  { sku: 'A', position: 1, gid: gid(1) },
  { sku: 'B', position: 2, gid: gid(2) },
];

describe('variantGidsFor: the Shopify variant each merged variant is', () => {
  it('keeps the id of a variant whose SKU is unchanged', () => {
    expect(
      variantGidsFor(
        [
          { sku: 'A', position: 1 },
          { sku: 'B', position: 2 },
        ],
        remote,
      ),
    ).toEqual(
      new Map([
        ['A', gid(1)],
        ['B', gid(2)],
      ]),
    );
  });

  // The chaos run's seed 1: a SKU edited in Retailos was pushed without its variant's id, so productSet
  // deleted the variant on Shopify and made a new one, and linking the new one to the same Retailos
  // variant broke the id map's unique key: the push failed for good.
  it('gives a variant whose SKU changed the id of the variant it was at that position', () => {
    expect(
      variantGidsFor(
        [
          { sku: 'A2', position: 1 },
          { sku: 'B', position: 2 },
        ],
        remote,
      ),
    ).toEqual(
      new Map([
        ['A2', gid(1)],
        ['B', gid(2)],
      ]),
    );
  });

  it('gives no id to a new variant, and none twice', () => {
    const merged = [
      { sku: 'A', position: 1 },
      { sku: 'B', position: 2 },
      { sku: 'C', position: 3 },
    ];
    expect(variantGidsFor(merged, remote).get('C')).toBeUndefined();
    const renamedTwice = [
      { sku: 'X', position: 1 },
      { sku: 'Y', position: 1 },
    ];
    expect([...variantGidsFor(renamedTwice, remote).values()]).toEqual([gid(1)]);
  });

  it('does not take the id of a variant the merge still holds', () => {
    // B moved to position 1 and A is gone: a new SKU at position 2 is a new variant, not B.
    const merged = [
      { sku: 'B', position: 1 },
      { sku: 'N', position: 2 },
    ];
    expect(variantGidsFor(merged, remote)).toEqual(new Map([['B', gid(2)]]));
  });

  it('productSet then updates the renamed variant in place', () => {
    const snap = {
      title: 'T',
      handle: 't',
      descriptionHtml: '',
      vendor: '',
      productType: '',
      status: 'active',
      tags: [],
      variants: [
        { sku: 'A2', barcode: null, price: '1.00', compareAtPrice: null, position: 1, optionValues: [] },
      ],
    };
    const input = productSetInput(snap, variantGidsFor(snap.variants, remote)) as {
      variants: { id?: string; sku: string }[];
    };
    expect(input.variants).toEqual([expect.objectContaining({ id: gid(1), sku: 'A2' })]);
  });
});

describe('linkedGidsFor: the Shopify variant of each variant the merge matched by link', () => {
  const snapVariant = (key: string, sku: string | null, position: number) => ({
    $key: key,
    sku,
    barcode: null,
    price: '1.00',
    compareAtPrice: null,
    optionValues: [],
    position,
  });

  it('is the variant its key names, whatever its SKU; none for one Shopify lacks', () => {
    const merged = [
      snapVariant(gid(2), 'A', 1), // SKUs swapped: the key decides, not the SKU
      snapVariant(gid(1), 'B', 2),
      snapVariant('local:00000000-0000-4000-8000-000000000001', 'C', 3), // new in Retailos
      snapVariant(gid(7), 'D', 4), // deleted on Shopify meanwhile: made again
    ];
    expect(linkedGidsFor(merged, remote)).toEqual([gid(2), gid(1), undefined, undefined]);
  });

  it('is undefined for variants without keys (matched by SKU then)', () => {
    const { $key: _, ...plain } = snapVariant(gid(1), 'A', 1);
    expect(linkedGidsFor([plain], remote)).toBeUndefined();
  });

  it('productSet takes the ids in order, so two variants with the same SKU key keep theirs', () => {
    const snap = {
      title: 'T',
      handle: 't',
      descriptionHtml: '',
      vendor: '',
      productType: '',
      status: 'active',
      tags: [],
      variants: [snapVariant(gid(1), null, 1), snapVariant(gid(2), null, 1)],
    };
    const input = productSetInput(snap, linkedGidsFor(snap.variants, remote) ?? []) as {
      variants: { id?: string; $key?: string }[];
    };
    expect(input.variants.map((v) => v.id)).toEqual([gid(1), gid(2)]);
    expect(input.variants.some((v) => '$key' in v)).toBe(false);
  });
});

describe('productInputFor: the Retailos input that makes a product hold a snapshot (revert, redo)', () => {
  const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
  const variant = (n: number, sku: string) => ({
    id: id(n),
    sku,
    barcode: null,
    price: '10.00',
    compareAtPrice: null,
    optionValues: [],
    position: n,
  });
  const record: Product = {
    id: id(9),
    title: 'T',
    handle: 't',
    descriptionHtml: '',
    vendor: '',
    productType: '',
    status: 'active',
    tags: [],
    variants: [variant(1, 'A2'), variant(2, 'B')],
    createdAt: new Date(0),
    updatedAt: new Date(0),
    version: 3,
  };

  it('a SKU changed back keeps its variant (same id, nothing removed)', () => {
    const current = productSnapshot(record) as SnapshotObject;
    const target = productSnapshot({
      ...record,
      variants: [variant(1, 'A'), variant(2, 'B')],
    }) as SnapshotObject;
    const input = productInputFor(record, target, current);
    expect(input.variants?.map((v) => [v.id, v.sku])).toEqual([
      [id(1), 'A'],
      [id(2), 'B'],
    ]);
    expect(input.removeVariantIds).toBeUndefined();
  });

  it('a variant the target lacks is removed, one it adds is new', () => {
    const current = productSnapshot(record) as SnapshotObject;
    const target = productSnapshot({
      ...record,
      variants: [variant(1, 'A2'), { ...variant(3, 'C'), position: 3 }],
    }) as SnapshotObject;
    const input = productInputFor(record, target, current);
    expect(input.variants?.map((v) => [v.id, v.sku])).toEqual([
      [id(1), 'A2'],
      [undefined, 'C'],
    ]);
    expect(input.removeVariantIds).toEqual([id(2)]);
  });
});
