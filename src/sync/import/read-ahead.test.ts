import { describe, expect, it } from 'vitest';
import { readAhead } from './ingest.ts';

/** A source that logs when each item is produced and when it is closed. */
function source(n: number, log: string[], failAt?: number): AsyncIterable<number> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (let i = 0; i < n; i += 1) {
          await Promise.resolve();
          if (i === failAt) throw new Error(`read ${i} failed`);
          log.push(`produce ${i}`);
          yield i;
        }
      } finally {
        log.push('closed');
      }
    },
  };
}

describe('readAhead', () => {
  it('yields every item in order, the next one produced before the current one is handled', async () => {
    const log: string[] = [];
    for await (const i of readAhead(source(3, log))) {
      await new Promise((resolve) => setImmediate(resolve)); // the batch's statements
      log.push(`consume ${i}`);
    }
    expect(log).toEqual([
      'produce 0',
      'produce 1',
      'consume 0',
      'produce 2',
      'consume 1',
      'closed',
      'consume 2',
    ]);
  });

  it('stopped early, it lets the item in flight finish and closes the source', async () => {
    const log: string[] = [];
    for await (const i of readAhead(source(10, log))) {
      log.push(`consume ${i}`);
      if (i === 1) break;
    }
    expect(log).toEqual(['produce 0', 'produce 1', 'consume 0', 'produce 2', 'consume 1', 'closed']);
  });

  it('a failed read reaches the consumer when it comes to that item', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const i of readAhead(source(5, log, 2))) seen.push(i);
      })(),
    ).rejects.toThrow('read 2 failed');
    expect(seen).toEqual([0, 1]);
  });

  it('the consumer failing drops a read ahead that failed too, and the consumer error is the one thrown', async () => {
    const log: string[] = [];
    await expect(
      (async () => {
        for await (const i of readAhead(source(5, log, 1))) throw new Error(`write ${i} failed`);
      })(),
    ).rejects.toThrow('write 0 failed');
    expect(log).toEqual(['produce 0', 'closed']);
  });
});
