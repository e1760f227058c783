// A separate load process: open-loop GETs at a fixed rate; prints one JSON line of latency figures.
import { Agent, request } from 'node:http';

const [url = '', token = '', rateArg = '200', secondsArg = '20'] = process.argv.slice(2);
const rate = Number(rateArg);
const total = rate * Number(secondsArg);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const latencies: number[] = [];
let errors = 0;

function once(): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) errors += 1;
        latencies.push(performance.now() - started);
        resolve();
      });
    });
    req.on('error', () => {
      errors += 1;
      resolve();
    });
    req.end();
  });
}

const t0 = performance.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i += 1) {
  const due = t0 + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  inflight.push(once());
}
await Promise.all(inflight);
const elapsed = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
process.stdout.write(
  `${JSON.stringify({ requests: total, errors, achievedRate: total / elapsed, p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.at(-1) })}\n`,
);
agent.destroy();
