import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** An append-only result file written with backpressure: `write` waits while the stream is full. */
export interface JsonlFile {
  readonly path: string;
  /** Bytes written so far. */
  readonly bytes: number;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

export function openJsonlFile(path: string): JsonlFile {
  const stream: WriteStream = createWriteStream(path, { flags: 'w' });
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  let bytes = 0;
  return {
    path,
    get bytes() {
      return bytes;
    },
    async write(text) {
      if (failure) throw failure;
      if (text.length === 0) return;
      bytes += Buffer.byteLength(text);
      // `once` rejects if the stream errors while waiting for 'drain'.
      if (!stream.write(text)) await once(stream, 'drain');
      if (failure) throw failure;
    },
    async close() {
      if (failure) throw failure;
      stream.end();
      await once(stream, 'finish');
    },
  };
}
