import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeDelta, type DeltaShape } from './write-delta.ts';

type Input = Record<string, unknown>;

const SHAPE: DeltaShape = { keep: ['id'], lists: { variants: { keep: ['id', 'optionValues'] } } };
const FIELDS = ['title', 'vendor', 'tags'] as const;
const VARIANT_FIELDS = ['price', 'sku', 'barcode'] as const;

/** Shopify's reading of a write: an omitted field keeps its value; a list entry with an id edits that entry. */
function apply(state: Input, write: Input): Input {
  const out: Input = { ...state };
  for (const [k, v] of Object.entries(write)) {
    if (k === 'variants' && Array.isArray(v)) {
      const old = new Map((state['variants'] as Input[]).map((e) => [e['id'], e]));
      out[k] = (v as Input[]).map((e) => ({ ...(old.get(e['id']) ?? {}), ...e }));
    } else out[k] = v;
  }
  return out;
}

const value = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
);
const variant = (id: number) =>
  fc
    .record({ price: value, sku: value, barcode: value })
    .map((v) => ({ id: `V${id}`, optionValues: [id], ...v }));
const product = fc
  .record({ title: value, vendor: value, tags: value, n: fc.integer({ min: 0, max: 3 }) })
  .chain(({ n, ...rest }) =>
    fc
      .tuple(...Array.from({ length: n }, (_, i) => variant(i)))
      .map((variants) => ({ id: 'P', ...rest, variants })),
  );

describe('writeDelta', () => {
  it('applied over the state it was made against, gives the full write', () => {
    fc.assert(
      fc.property(product, product, (was, next) => {
        const nextSameIds = { ...next, variants: next.variants };
        expect(apply(was, writeDelta(nextSameIds, was, SHAPE))).toEqual(apply(was, nextSameIds));
      }),
    );
  });

  it('keeps a Shopify edit of a field the write does not change, made between our read and our write', () => {
    fc.assert(
      fc.property(
        product,
        product,
        fc.constantFrom(...FIELDS, ...VARIANT_FIELDS),
        value,
        fc.nat(),
        (read, next, field, edited, pick) => {
          const isVariant = (VARIANT_FIELDS as readonly string[]).includes(field);
          // The concurrent Shopify edit touches a field our write leaves as it was read.
          const shopify = structuredClone(read) as typeof read;
          const write = structuredClone(next) as typeof next;
          write.variants = read.variants.map((v, i) => ({
            ...v,
            ...(next.variants[i] ?? {}),
            id: v.id,
            optionValues: v.optionValues,
          }));
          if (isVariant) {
            const i = read.variants.length === 0 ? -1 : pick % read.variants.length;
            const target = shopify.variants[i];
            const mine = write.variants[i];
            if (!target || !mine) return;
            (mine as Input)[field] = (read.variants[i] as Input)[field];
            (target as Input)[field] = edited;
          } else {
            (write as Input)[field] = (read as Input)[field];
            (shopify as Input)[field] = edited;
          }
          const after = apply(shopify, writeDelta(write, read, SHAPE));
          const got = isVariant
            ? (after['variants'] as Input[])[pick % read.variants.length]?.[field]
            : after[field];
          expect(got).toEqual(edited);
        },
      ),
    );
  });

  it('sends identity and required keys and whole lists; nothing else that Shopify already holds', () => {
    const was = {
      id: 'P',
      title: 'A',
      tags: ['x'],
      variants: [{ id: 'V1', optionValues: ['M'], price: '1.00' }],
    };
    const next = { ...was, title: 'B', variants: [...was.variants, { optionValues: ['L'], price: '2.00' }] };
    expect(writeDelta(next, was, SHAPE)).toEqual({
      id: 'P',
      title: 'B',
      variants: [
        { id: 'V1', optionValues: ['M'] },
        { optionValues: ['L'], price: '2.00' },
      ],
    });
    expect(writeDelta(next, undefined, SHAPE)).toEqual(next);
  });
});
