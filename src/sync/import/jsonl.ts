import { downloadJsonl, type JsonlLine as BulkLine } from '../../shopify/bulk-download.ts';

export type { JsonObject, RecordGroup } from '../entities/record-group.ts';
import type { JsonObject, RecordGroup } from '../entities/record-group.ts';

/** The result file is gone (expired or refused): the bulk operation must run again. */
export class DownloadGoneError extends Error {
  override name = 'DownloadGoneError';
}

export type JsonlLine = BulkLine<JsonObject>;

/**
 * Streams a bulk result file line by line (never the whole file in memory), skipping the first
 * `skipLines` lines: the ones an earlier run already committed. A file that is gone means the bulk
 * operation must run again (DownloadGoneError).
 */
export function readJsonl(
  url: string,
  opts: { skipLines: number; fetch?: typeof fetch | undefined },
): AsyncGenerator<JsonlLine> {
  return downloadJsonl<JsonObject>(url, {
    ...opts,
    gone: (status) => new DownloadGoneError(`the bulk result download answered ${status}`),
  });
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
