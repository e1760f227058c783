import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { TransientError } from '../errors.ts';

/** One line of a bulk operation's result file. */
export interface JsonlLine<T = unknown> {
  value: T;
  /** Lines read so far, this one included (1-based; blank lines count). */
  lineNo: number;
  /** Bytes read so far, this line and its newline included. */
  bytes: number;
}

export interface DownloadOptions {
  /** Lines to skip (an earlier run already committed them); 0 reads the whole file. */
  skipLines?: number | undefined;
  fetch?: typeof fetch | undefined;
  /** The error for a file that is gone (any other 4xx: expired or refused); the caller says what it means. */
  gone: (status: number) => Error;
}

/**
 * Streams a bulk operation's result file (query or mutation) line by line, never the whole file in
 * memory, each non-blank line parsed as JSON. The URL is signed: it gets no access token. A network
 * failure, a 5xx or 429, or a line that is not JSON (a truncated download) is transient: the download
 * can be tried again.
 */
export async function* downloadJsonl<T = unknown>(
  url: string,
  opts: DownloadOptions,
): AsyncGenerator<JsonlLine<T>> {
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url);
  } catch (err) {
    throw new TransientError(`could not download the bulk result: ${(err as Error).message}`, { cause: err });
  }
  if (res.status >= 500 || res.status === 429)
    throw new TransientError(`the bulk result download answered ${res.status}`);
  if (!res.ok || !res.body) throw opts.gone(res.status);
  const input = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const skip = opts.skipLines ?? 0;
  let lineNo = 0;
  let bytes = 0;
  try {
    for await (const text of lines) {
      lineNo += 1;
      bytes += Buffer.byteLength(text) + 1;
      if (lineNo <= skip || text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new TransientError(`bulk result line ${lineNo} is not JSON (truncated download?)`, {
          cause: err,
        });
      }
      yield { value: value as T, lineNo, bytes };
    }
  } finally {
    lines.close();
    input.destroy();
  }
}
