import { describe, expect, it } from 'vitest';
import { batchLines, readJsonl, type JsonlLine, type JsonObject } from './jsonl.ts';

async function* linesOf(values: JsonObject[], from = 0): AsyncGenerator<JsonlLine> {
  let bytes = 0;
  for (const [i, value] of values.entries()) {
    bytes += JSON.stringify(value).length + 1;
    if (i >= from) yield { value, lineNo: i + 1, bytes };
  }
}

const p = (n: number) => ({ id: `gid://shopify/Product/${n}` });
const v = (n: number, parent: number) => ({
  id: `gid://shopify/ProductVariant/${n}`,
  __parentId: `gid://shopify/Product/${parent}`,
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('grouping bulk lines into batches', () => {
  const file = [p(1), v(11, 1), v(12, 1), p(2), v(21, 2), p(3), p(4), v(41, 4)];

  it('ends every batch before a parent line, so a checkpoint never splits a record', async () => {
    const batches = await collect(batchLines(linesOf(file), 'parent', 2, { line: 0, bytes: 0 }));
    expect(batches.map((b) => [b.groups.map((g) => [g.root['id'], g.children.length]), b.endLine])).toEqual([
      [
        [
          ['gid://shopify/Product/1', 2],
          ['gid://shopify/Product/2', 1],
        ],
        5,
      ],
      [
        [
          ['gid://shopify/Product/3', 0],
          ['gid://shopify/Product/4', 1],
        ],
        8,
      ],
    ]);
  });

  it('resumes at a checkpoint with the remaining records only', async () => {
    const batches = await collect(batchLines(linesOf(file, 5), 'parent', 2, { line: 5, bytes: 0 }));
    expect(batches.flatMap((b) => b.groups.map((g) => g.root['id']))).toEqual([
      'gid://shopify/Product/3',
      'gid://shopify/Product/4',
    ]);
  });

  it('keeps a child whose parent does not precede it as an orphan', async () => {
    const [batch] = await collect(batchLines(linesOf([v(9, 7), p(1)]), 'parent', 10, { line: 0, bytes: 0 }));
    expect(batch?.orphans).toEqual([v(9, 7)]);
    expect(batch?.groups).toHaveLength(1);
  });

  it('in child mode makes every child line a record and checkpoints anywhere', async () => {
    const levels = [
      { id: 'L1' },
      { id: 'a', __parentId: 'L1' },
      { id: 'b', __parentId: 'L1' },
      { id: 'L2' },
      { id: 'c', __parentId: 'L2' },
    ];
    const batches = await collect(batchLines(linesOf(levels), 'child', 2, { line: 0, bytes: 0 }));
    expect(batches.map((b) => [b.groups.map((g) => g.root['id']), b.endLine])).toEqual([
      [['a', 'b'], 3],
      [['c'], 5],
    ]);
  });
});

describe('reading a bulk result', () => {
  const body = `${JSON.stringify(p(1))}\n${JSON.stringify(v(11, 1))}\n${JSON.stringify(p(2))}\n`;
  const fakeFetch = (status: number, text = body) =>
    (async () => new Response(status === 200 ? text : 'nope', { status })) as unknown as typeof fetch;

  it('streams lines with running counts and skips the committed ones', async () => {
    const lines = await collect(readJsonl('http://x/1.jsonl', { skipLines: 1, fetch: fakeFetch(200) }));
    expect(lines.map((l) => [l.lineNo, l.value['id']])).toEqual([
      [2, 'gid://shopify/ProductVariant/11'],
      [3, 'gid://shopify/Product/2'],
    ]);
    expect(lines.at(-1)?.bytes).toBe(Buffer.byteLength(body));
  });

  it('calls a 5xx transient and an expired link gone', async () => {
    await expect(collect(readJsonl('http://x', { skipLines: 0, fetch: fakeFetch(503) }))).rejects.toThrow(
      /answered 503/,
    );
    await expect(
      collect(readJsonl('http://x', { skipLines: 0, fetch: fakeFetch(400) })),
    ).rejects.toMatchObject({ name: 'DownloadGoneError' });
  });
});
