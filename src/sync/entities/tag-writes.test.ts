import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShopifyRefusal } from './shopify-write.ts';
import { mutationDocument, tagAnswers, tagDelta, tagMutations, type TagDelta } from './tag-writes.ts';

const tag = fc.constantFrom('a', 'A', 'b', 'vip', 'VIP', 'Vip', 'c d', 'e');
/** A tag list as Retailos and Shopify hold it: no two spellings of one tag (case aside). */
const tags = fc
  .uniqueArray(tag, { selector: (t) => t.toLowerCase(), maxLength: 6 })
  .map((l) => [...l].sort());

/** Shopify's tags after tagsRemove then tagsAdd, removal with or without case. */
function applied(read: readonly string[], d: TagDelta, ignoreCase: boolean): string[] {
  const key = (t: string) => (ignoreCase ? t.toLowerCase() : t);
  const drop = new Set(d.remove.map(key));
  const kept = read.filter((t) => !drop.has(key(t)));
  const have = new Set(kept.map(key));
  return [...kept, ...d.add.filter((t) => !have.has(key(t)))].sort();
}

describe('tagDelta', () => {
  it('removes what only the read holds and adds what only the target holds', () => {
    expect(tagDelta(['a', 'b', 'vip'], ['b', 'c', 'vip'])).toEqual({ remove: ['a'], add: ['c'] });
    expect(tagDelta(['vip'], ['VIP'])).toEqual({ remove: ['vip'], add: ['VIP'] });
  });

  it('removals then additions make the read into the target, whether Shopify minds case or not', () => {
    fc.assert(
      fc.property(tags, tags, fc.boolean(), (read, next, ignoreCase) => {
        expect(applied(read, tagDelta(read, next), ignoreCase)).toEqual(next);
      }),
    );
  });

  it('leaves a tag added on Shopify meanwhile (not in the read) where it is', () => {
    fc.assert(
      fc.property(tags, tags, tag, (read, next, theirs) => {
        fc.pre(![...read, ...next].some((t) => t.toLowerCase() === theirs.toLowerCase()));
        const d = tagDelta(read, next);
        expect(applied([...read, theirs], d, true)).toEqual([...next, theirs].sort());
      }),
    );
  });
});

describe('the tag mutations of one request', () => {
  it('removes before it adds, and only the last asks for the record', () => {
    const parts = tagMutations(
      'gid://shopify/Customer/1',
      { remove: ['x'], add: ['y'] },
      'Customer',
      'id tags',
      true,
    );
    expect(parts.map((p) => p.key)).toEqual(['tagsRemove', 'tagsAdd']);
    expect(parts[0]?.field).toContain('node { id }');
    expect(parts[1]?.field).toContain('node { ... on Customer { id tags } }');
    const doc = mutationDocument('PushCustomer', parts);
    expect(doc.query).toMatch(
      /^mutation PushCustomer\(\$tagsRemoveId: ID!, \$tagsRemove: \[String!\]!, \$tagsAddId: ID!/,
    );
    expect(doc.variables).toEqual({
      tagsRemoveId: 'gid://shopify/Customer/1',
      tagsRemove: ['x'],
      tagsAddId: 'gid://shopify/Customer/1',
      tagsAdd: ['y'],
    });
    expect(tagMutations('gid://shopify/Customer/1', { remove: [], add: [] }, 'Customer', 'id', true)).toEqual(
      [],
    );
  });

  it("answers the last part's record, and any part's refusal throws with Shopify's words", () => {
    const parts = tagMutations('gid://shopify/Order/1', { remove: ['x'], add: ['y'] }, 'Order', 'id', true);
    const record = { id: 'gid://shopify/Order/1', tags: ['y'] };
    expect(
      tagAnswers(
        {
          tagsRemove: { node: { id: 'gid://shopify/Order/1' }, userErrors: [] },
          tagsAdd: { node: record, userErrors: [] },
        },
        parts,
        'the order #1',
      ),
    ).toEqual(record);
    const refused = () =>
      tagAnswers(
        {
          tagsRemove: { node: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] },
          tagsAdd: { node: null, userErrors: [] },
        },
        parts,
        'the order #1',
      );
    expect(refused).toThrow(ShopifyRefusal);
    expect(refused).toThrow(/Order does not exist/);
  });
});
