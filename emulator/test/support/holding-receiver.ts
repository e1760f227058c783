import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingReceiver {
  url: string;
  /** Paths of every request that arrived, in arrival order. */
  arrived: string[];
  /** Requests arrived but not answered yet. */
  readonly open: number;
  /** Most requests that were open at the same time. */
  readonly maxOpen: number;
  /** Resolves once `count` requests are open at the same time (no polling, no sleeps). */
  whenOpen(count: number): Promise<void>;
  /** Answers every open request with `status`. */
  releaseAll(status?: number): void;
  /** Forgets `arrived` and `maxOpen`. */
  resetCounts(): void;
  close(): Promise<void>;
}

/** A webhook endpoint that holds every request open until the test releases it. */
export async function startHoldingReceiver(): Promise<HoldingReceiver> {
  const held: ServerResponse[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  let maxOpen = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      receiver.arrived.push(req.url ?? '/');
      held.push(res);
      maxOpen = Math.max(maxOpen, held.length);
      for (const w of waiters.filter((x) => held.length >= x.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  const receiver: HoldingReceiver = {
    url: '',
    arrived: [],
    get open() {
      return held.length;
    },
    get maxOpen() {
      return maxOpen;
    },
    whenOpen: (count) =>
      held.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    releaseAll(status = 200) {
      for (const res of held.splice(0)) {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('ok');
      }
    },
    resetCounts() {
      receiver.arrived.length = 0;
      maxOpen = held.length;
    },
    close: () =>
      new Promise((resolve, reject) => {
        receiver.releaseAll(503);
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
