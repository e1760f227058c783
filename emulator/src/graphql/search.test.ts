import { describe, expect, it } from 'vitest';
import { compileSearch, type SearchSpec } from './search.ts';
import { parseSearch } from './search-parse.ts';

interface Row {
  id: number;
  title: string;
  status: string;
  tags: string[];
  updatedAt: number;
}

const T = (iso: string) => Date.parse(iso) / 1000;
const ROWS: Row[] = [
  {
    id: 1,
    title: 'Red Shirt',
    status: 'ACTIVE',
    tags: ['summer', 'sale'],
    updatedAt: T('2026-01-10T00:00:00Z'),
  },
  { id: 2, title: 'Blue Shirt', status: 'DRAFT', tags: ['winter'], updatedAt: T('2026-02-10T12:00:00Z') },
  { id: 3, title: 'Café Mug', status: 'ARCHIVED', tags: [], updatedAt: T('2026-03-10T00:00:00Z') },
];

const SPEC: SearchSpec<Row> = {
  fields: {
    id: { kind: 'number', get: (r) => r.id },
    title: { kind: 'string', get: (r) => r.title },
    status: { kind: 'string', get: (r) => r.status },
    tag: { kind: 'list', get: (r) => r.tags },
    tag_not: { kind: 'list', get: (r) => r.tags },
    updated_at: { kind: 'date', get: (r) => r.updatedAt },
  },
  freeText: (r) => [r.title],
};

const NOW = T('2026-04-01T00:00:00Z');

describe('search syntax', () => {
  it.each([
    ['', [1, 2, 3]],
    ['status:active', [1]],
    ['status:ACTIVE,draft', [1, 2]],
    ['tag:sale', [1]],
    ['tag_not:sale', [2, 3]],
    ["updated_at:>'2026-02-10T12:00:00Z'", [3]],
    ["updated_at:>='2026-02-10T12:00:00Z'", [2, 3]],
    ['updated_at:<2026-02-10', [1]],
    ['updated_at:<=2026-02-10', [1, 2]],
    ['updated_at:2026-02-10', [2]],
    ['updated_at:<now', [1, 2, 3]],
    ['updated_at:>2026', []],
    ['shirt', [1, 2]],
    ['café', [3]],
    ['shirt AND status:draft', [2]],
    ['shirt status:draft', [2]],
    ['status:draft OR status:archived', [2, 3]],
    ['(status:draft OR status:archived) AND mug', [3]],
    ['NOT status:active', [2, 3]],
    ['-status:active', [2, 3]],
    ['title:"Red Shirt"', [1]],
    ['title:red*', [1]],
    ['id:>1', [2, 3]],
    ['id:gid://shopify/Product/2', [2]],
  ])('%s', (query, ids) => {
    const search = compileSearch(query, SPEC, NOW);
    expect(ROWS.filter(search.matches).map((r) => r.id)).toEqual(ids);
    expect(search.unknownFields).toEqual([]);
  });

  it('ignores unknown fields but reports them', () => {
    const search = compileSearch('colour:red status:active', SPEC, NOW);
    expect(ROWS.filter(search.matches).map((r) => r.id)).toEqual([1]);
    expect(search.unknownFields).toEqual(['colour']);
  });

  it('parses comparators and quoted values', () => {
    expect(parseSearch("updated_at:>='2026-01-01T00:00:00Z'")).toEqual({
      type: 'term',
      field: 'updated_at',
      op: '>=',
      value: '2026-01-01T00:00:00Z',
    });
    expect(parseSearch('a OR b c')).toEqual({
      type: 'or',
      items: [
        { type: 'term', field: null, op: ':', value: 'a' },
        {
          type: 'and',
          items: [
            { type: 'term', field: null, op: ':', value: 'b' },
            { type: 'term', field: null, op: ':', value: 'c' },
          ],
        },
      ],
    });
  });
});
