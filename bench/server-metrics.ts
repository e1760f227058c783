// The server's own view of a bench phase, read from its GET /metrics (prom-client): how long Fastify
// held the webhook requests (a histogram, so percentiles are interpolated within its buckets) and how
// late its event loop ran. Set against the bench's round trips, it says whether time went inside the
// server or before it (sockets, the event loop, the machine).

export type Scrape = Map<string, number>;

/** One GET /metrics as series → value (`name{labels}` → number). */
export async function scrape(baseUrl: string): Promise<Scrape> {
  const res = await fetch(new URL('/metrics', baseUrl));
  if (!res.ok) throw new Error(`GET /metrics → ${res.status}`);
  const out: Scrape = new Map();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

/**
 * The p-th percentile (0–100) of a histogram's observations between two scrapes, interpolated
 * linearly inside the bucket it falls in (Prometheus's histogram_quantile). NaN when none.
 */
export function histogramPct(
  before: Scrape,
  after: Scrape,
  metric: string,
  match: string,
  p: number,
): number {
  const buckets: { le: number; n: number }[] = [];
  for (const [series, value] of after) {
    if (!series.startsWith(`${metric}_bucket{`) || !series.includes(match)) continue;
    const le = /le="([^"]+)"/.exec(series)?.[1];
    if (le === undefined) continue;
    buckets.push({ le: le === '+Inf' ? Infinity : Number(le), n: value - (before.get(series) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets.at(-1)?.n ?? 0;
  if (total <= 0) return NaN;
  const rank = (p / 100) * total;
  let lowerLe = 0;
  let lowerN = 0;
  for (const b of buckets) {
    if (b.n >= rank) {
      if (b.le === Infinity) return lowerLe;
      return lowerLe + ((b.le - lowerLe) * (rank - lowerN)) / Math.max(1, b.n - lowerN);
    }
    lowerLe = b.le;
    lowerN = b.n;
  }
  return lowerLe;
}

export interface ServerView {
  /** Fastify's time on POST /webhooks/shopify answered 200 (ms), p50 and p99. */
  routeP50: number;
  routeP99: number;
  /** Event-loop delay (ms) since the previous scrape: prom-client resets its monitor on each scrape. */
  loopP99: number;
  loopMax: number;
}

export function webhookServerView(before: Scrape, after: Scrape): ServerView {
  const route = 'route="/webhooks/shopify",status_code="200"';
  const sec = (name: string) => (after.get(name) ?? NaN) * 1000;
  return {
    routeP50: histogramPct(before, after, 'http_request_duration_seconds', route, 50) * 1000,
    routeP99: histogramPct(before, after, 'http_request_duration_seconds', route, 99) * 1000,
    loopP99: sec('nodejs_eventloop_lag_p99_seconds'),
    loopMax: sec('nodejs_eventloop_lag_max_seconds'),
  };
}
