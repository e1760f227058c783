import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** What `inspect` returned for it (e.g. a validation result). */
  verdict: unknown;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status the next requests get (default 200). */
  status: number;
  /** Resolves once `count` requests have arrived (no polling, no sleeps). */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A local HTTP endpoint that records webhook deliveries (raw bytes kept) and answers `status`. */
export async function startReceiver(
  inspect?: (req: IncomingMessage, res: ServerResponse, rawBody: string) => Promise<unknown>,
): Promise<Receiver> {
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    status: 200,
    waitFor: (count) =>
      receiver.received.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => Promise.resolve(),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const done = (verdict: unknown): void => {
        receiver.received.push({ path: req.url ?? '/', headers: req.headers, rawBody, verdict });
        res.writeHead(receiver.status, { 'content-type': 'text/plain' });
        res.end('ok');
        for (const w of waiters.filter((x) => receiver.received.length >= x.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      };
      if (!inspect) return done(null);
      inspect(req, res, rawBody).then(done, (err: unknown) => done(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  return receiver;
}
