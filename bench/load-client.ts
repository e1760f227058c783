// A separate load process: open-loop GETs at a fixed rate; prints one JSON line of latency figures.
//
// Open loop: request i is due at t0 + i/rate whatever happened to earlier ones, so a slow server meets
// the requests that pile up behind it instead of the generator waiting for it (coordinated omission).
// Each latency runs from the moment the request was due to the last byte of its response, so a stall
// anywhere (server, database, or this client) counts against the figure. The same latencies from the
// moment the client sent the request (`*Sent`) leave out the client's own lateness (a starved or paused
// client), which is not the server's; waiting for one of the client's 64 connections still counts.
//
// The client keeps its own stalls out of the way: a minimal HTTP/1.1 keep-alive client on raw sockets
// that reads every response into one reused buffer (node:http allocates a Buffer per read, ~18 MB/s at
// 200 pages/s of ~90 KB, and the collections that external memory triggers paused this process for up to
// 10 ms, once a second), typed arrays for the figures, and a warm-up (sockets, JIT of both processes)
// that is not reported. It reports its own lateness (`sendLagP99`, `sendLagMax`) and GC pauses so a bad
// figure can be told apart from a bad client.
import { connect, type Socket } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';

const [url = '', token = '', rateArg = '200', secondsArg = '20', warmupArg = '3'] = process.argv.slice(2);
const target = new URL(url);
const rate = Number(rateArg);
const warmup = Math.round(rate * Number(warmupArg));
const total = warmup + Math.round(rate * Number(secondsArg));
const MAX_SOCKETS = 64;
const REQUEST = Buffer.from(
  `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
    `Authorization: Bearer ${token}\r\nConnection: keep-alive\r\n\r\n`,
  'latin1',
);
const HEAD_END = Buffer.from('\r\n\r\n');
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024); // shared: each read is consumed before the next

const latency = new Float64Array(total);
const sendLag = new Float64Array(total);
let errors = 0;
let pending = total;
let finished: () => void = () => {};
const done = new Promise<void>((resolve) => (finished = resolve));

interface Conn {
  socket: Socket;
  /** The request on this connection (-1 when idle), its due time, and where its response is. */
  index: number;
  due: number;
  head: string;
  status: number;
  bodyLeft: number;
}
const idle: Conn[] = [];
const queued: { index: number; due: number }[] = [];
let open = 0;

function settle(c: Conn, ok: boolean): void {
  const i = c.index;
  latency[i] = performance.now() - c.due;
  if (!ok && i >= warmup) errors += 1;
  c.index = -1;
  if (--pending === 0) finished();
}

function release(c: Conn): void {
  const next = queued.shift();
  if (next) start(c, next.index, next.due);
  else idle.push(c);
}

function onHead(c: Conn, head: string): boolean {
  c.status = Number(head.slice(9, 12));
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!m?.[1]) return false; // the server always sends Content-Length for this endpoint
  c.bodyLeft = Number(m[1]);
  return true;
}

function onData(c: Conn, n: number): void {
  if (c.index < 0) return;
  const buf = READ_BUFFER;
  let body = n;
  if (c.status === 0) {
    let headLength: number;
    if (c.head === '') {
      const at = buf.indexOf(HEAD_END);
      headLength = at >= 0 && at + 4 <= n ? at + 4 : -1;
      if (headLength < 0) c.head = buf.toString('latin1', 0, n);
      else if (!onHead(c, buf.toString('latin1', 0, headLength))) return fail(c);
    } else {
      const before = c.head.length;
      c.head += buf.toString('latin1', 0, n);
      const at = c.head.indexOf('\r\n\r\n');
      headLength = at >= 0 ? at + 4 - before : -1;
      if (headLength >= 0 && !onHead(c, c.head.slice(0, at + 4))) return fail(c);
    }
    if (headLength < 0) return;
    body = n - headLength;
  }
  c.bodyLeft -= body;
  if (c.bodyLeft > 0) return;
  if (c.bodyLeft < 0) return fail(c); // more than one response: never pipelined, so a broken stream
  settle(c, c.status === 200);
  release(c);
}

function fail(c: Conn): void {
  settle(c, false);
  c.socket.destroy();
}

function openConn(): Conn {
  open += 1;
  const c: Conn = { socket: undefined as never, index: -1, due: 0, head: '', status: 0, bodyLeft: 0 };
  c.socket = connect({
    host: target.hostname,
    port: Number(target.port),
    noDelay: true,
    onread: {
      buffer: READ_BUFFER,
      callback: (n) => {
        onData(c, n);
        return true;
      },
    },
  });
  c.socket.on('error', () => {});
  c.socket.on('close', () => {
    open -= 1;
    const at = idle.indexOf(c);
    if (at >= 0) idle.splice(at, 1);
    if (c.index >= 0) settle(c, false);
    const next = queued.shift();
    if (next) send(next.index, next.due);
  });
  return c;
}

function start(c: Conn, index: number, due: number): void {
  c.index = index;
  c.due = due;
  c.head = '';
  c.status = 0;
  c.socket.write(REQUEST);
}

function send(index: number, due: number): void {
  const c = idle.pop() ?? (open < MAX_SOCKETS ? openConn() : undefined);
  if (c) start(c, index, due);
  else queued.push({ index, due }); // waits for a connection; the wait counts, as it is measured from due
}

let gcCount = 0;
let gcTotal = 0;
let gcMax = 0;
let measuring = false;
const gc = new PerformanceObserver((list) => {
  if (!measuring) return;
  for (const e of list.getEntries()) {
    gcCount += 1;
    gcTotal += e.duration;
    gcMax = Math.max(gcMax, e.duration);
  }
});
gc.observe({ entryTypes: ['gc'] });

const t0 = performance.now() + 10;
const dueAt = (i: number) => t0 + (i * 1000) / rate;
let next = 0;
function tick(): void {
  const now = performance.now();
  // Everything due by now goes out now (a late timer catches up in a burst, as independent clients would).
  while (next < total && dueAt(next) <= now) {
    if (next === warmup) measuring = true;
    sendLag[next] = now - dueAt(next);
    send(next, dueAt(next));
    next += 1;
  }
  if (next < total) setTimeout(tick, Math.max(0, dueAt(next) - performance.now()));
}
tick();
await done;
gc.disconnect();

const elapsed = (performance.now() - dueAt(warmup)) / 1000;
const fromSend = latency
  .map((l, i) => l - (sendLag[i] ?? 0))
  .subarray(warmup)
  .sort();
const measured = latency.subarray(warmup).sort();
const lags = sendLag.subarray(warmup).sort();
const pct = (xs: Float64Array, p: number) =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
process.stdout.write(
  `${JSON.stringify({
    requests: measured.length,
    errors,
    achievedRate: measured.length / elapsed,
    p50: pct(measured, 50),
    p90: pct(measured, 90),
    p99: pct(measured, 99),
    max: measured.at(-1),
    p50Sent: pct(fromSend, 50),
    p99Sent: pct(fromSend, 99),
    maxSent: fromSend.at(-1),
    sendLagP99: pct(lags, 99),
    sendLagMax: lags.at(-1),
    clientGcPauses: gcCount,
    clientGcTotalMs: gcTotal,
    clientGcMaxMs: gcMax,
  })}\n`,
);
for (const c of [...idle]) c.socket.destroy();
