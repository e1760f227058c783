import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { TransientError } from '../../errors.ts';

export type { JsonObject, RecordGroup } from '../entities/record-group.ts';
import type { JsonObject, RecordGroup } from '../entities/record-group.ts';

/** The result file is gone (expired or refused): the bulk operation must run again. */
export class DownloadGoneError extends Error {
  override name = 'DownloadGoneError';
}

export interface JsonlLine {
  value: JsonObject;
  /** Lines read so far, this one included (1-based). */
  lineNo: number;
  /** Bytes read so far, this line and its newline included. */
  bytes: number;
}

/**
 * Streams a bulk result file line by line (never the whole file in memory), skipping the first
 * `skipLines` lines: the ones an earlier run already committed.
 */
export async function* readJsonl(
  url: string,
  opts: { skipLines: number; fetch?: typeof fetch | undefined },
): AsyncGenerator<JsonlLine> {
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url);
  } catch (err) {
    throw new TransientError(`could not download the bulk result: ${(err as Error).message}`, { cause: err });
  }
  if (res.status >= 500 || res.status === 429)
    throw new TransientError(`the bulk result download answered ${res.status}`);
  if (!res.ok || !res.body) throw new DownloadGoneError(`the bulk result download answered ${res.status}`);
  const input = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let bytes = 0;
  try {
    for await (const text of lines) {
      lineNo += 1;
      bytes += Buffer.byteLength(text) + 1;
      if (lineNo <= opts.skipLines || text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new TransientError(`bulk result line ${lineNo} is not JSON (truncated download?)`, {
          cause: err,
        });
      }
      yield { value: value as JsonObject, lineNo, bytes };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

export interface LineBatch {
  groups: RecordGroup[];
  /** Child lines whose parent is not the line group they follow; parked, never dropped. */
  orphans: JsonObject[];
  /** The checkpoint once this batch is committed. */
  endLine: number;
  endBytes: number;
}

/**
 * Groups lines into batches of about `size` records. `parent` mode: a record is a root line with its
 * children (products + variants, orders + line items); a batch always ends before a root line, so a
 * checkpoint never splits a record. `child` mode: every child line is a record and root lines only
 * say whose children follow (locations → inventory levels).
 */
export async function* batchLines(
  lines: AsyncIterable<JsonlLine>,
  mode: 'parent' | 'child',
  size: number,
  start: { line: number; bytes: number },
): AsyncGenerator<LineBatch> {
  let batch: LineBatch = { groups: [], orphans: [], endLine: start.line, endBytes: start.bytes };
  let current: RecordGroup | undefined;
  const fresh = (line: number, bytes: number): LineBatch => ({
    groups: [],
    orphans: [],
    endLine: line,
    endBytes: bytes,
  });
  let before = { line: start.line, bytes: start.bytes };
  for await (const l of lines) {
    const parent = l.value['__parentId'];
    if (mode === 'parent') {
      if (parent === undefined) {
        if (current) batch.groups.push(current);
        if (batch.groups.length >= size) {
          yield { ...batch, endLine: before.line, endBytes: before.bytes };
          batch = fresh(before.line, before.bytes);
        }
        current = { root: l.value, children: [] };
      } else if (current && current.root['id'] === parent) current.children.push(l.value);
      else batch.orphans.push(l.value);
    } else if (parent !== undefined) {
      batch.groups.push({ root: l.value, children: [] });
      if (batch.groups.length >= size) {
        yield { ...batch, endLine: l.lineNo, endBytes: l.bytes };
        batch = fresh(l.lineNo, l.bytes);
      }
    }
    before = { line: l.lineNo, bytes: l.bytes };
  }
  if (current) batch.groups.push(current);
  if (batch.groups.length > 0 || batch.orphans.length > 0 || before.line > batch.endLine) {
    yield { ...batch, endLine: before.line, endBytes: before.bytes };
  }
}
