/**
 * Sync Health's overall verdict: one level and one sentence saying why, plus every other finding in
 * order of weight, so "why is my import stuck?" has its answer on one screen. Pure: values in, words out.
 */
export type VerdictLevel = 'off' | 'healthy' | 'working' | 'attention' | 'failed';

export interface Verdict {
  level: VerdictLevel;
  /** The weightiest finding, in words ("2 webhooks missing — re-registering"). */
  summary: string;
  /** Every finding, weightiest first (the summary is the first). */
  reasons: string[];
}

export interface VerdictInput {
  connection: { shop: string; state: string; reason: string | null } | null;
  importRun: { state: string; reason: string | null; done: number; total: number | null } | null;
  subscriptions: {
    topic: string;
    state: 'active' | 'missing' | 'failing';
    reregisterError: string | null;
    failures24h: number;
  }[];
  inbox: { pending: number; oldestPendingAgeSeconds: number | null };
  outbox: { waiting: number; oldestAgeSeconds: number | null };
  deadLetters: number;
  /** The latest reconciliation run, if any. */
  reconciliation?: { state: string; reason: string | null; dryRun: boolean } | null;
}

/** A backlog older than this is a finding that needs attention, not work in progress. */
export const STALE_BACKLOG_SECONDS = 600;

const RANK: Record<VerdictLevel, number> = { failed: 4, attention: 3, working: 2, healthy: 1, off: 0 };

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function minutes(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

function importFinding(run: NonNullable<VerdictInput['importRun']>): [VerdictLevel, string] | null {
  const share = run.total ? ` (${Math.min(100, Math.floor((run.done / run.total) * 100))}%)` : '';
  const why = run.reason ? `: ${run.reason}` : '';
  if (run.state === 'failed') return ['failed', `The import failed${why}`];
  if (run.state === 'paused') return ['attention', `The import is paused${why}`];
  if (run.state === 'running') return ['working', `Import running${share}`];
  if (run.state === 'pending') return ['working', 'Import queued: it starts as soon as a worker takes it'];
  return null;
}

function connectionFinding(c: VerdictInput['connection']): [VerdictLevel, string] | null {
  if (!c || c.state === 'disconnected') return ['off', 'Not connected to Shopify'];
  if (c.state === 'connecting') return ['off', `Connecting to ${c.shop}: waiting for Shopify’s approval`];
  const why = c.reason ? `: ${c.reason}` : '';
  if (c.state === 'error_auth')
    return ['failed', `Shopify no longer accepts Retailos’s access — reconnect${why}`];
  if (c.state === 'error') return ['failed', `The connection failed${why}`];
  return null;
}

function backlogFindings(input: VerdictInput, importing: boolean): [VerdictLevel, string][] {
  const found: [VerdictLevel, string][] = [];
  const { inbox, outbox } = input;
  if (inbox.pending > 0) {
    const age = inbox.oldestPendingAgeSeconds ?? 0;
    const what = `${plural(inbox.pending, 'webhook')} waiting, oldest ${minutes(age)}`;
    if (importing) found.push(['working', `${what}: applied when the import ends`]);
    else found.push([age >= STALE_BACKLOG_SECONDS ? 'attention' : 'working', what]);
  }
  if (outbox.waiting > 0) {
    const age = outbox.oldestAgeSeconds ?? 0;
    const what = `${plural(outbox.waiting, 'change')} waiting to push, oldest ${minutes(age)}`;
    if (importing) found.push(['working', `${what}: pushed when the import ends`]);
    else found.push([age >= STALE_BACKLOG_SECONDS ? 'attention' : 'working', what]);
  }
  return found;
}

export function healthVerdict(input: VerdictInput): Verdict {
  const off = connectionFinding(input.connection);
  if (off && off[0] === 'off') return { level: 'off', summary: off[1], reasons: [off[1]] };
  const found: [VerdictLevel, string][] = off ? [off] : [];
  const run = input.importRun ? importFinding(input.importRun) : null;
  if (run) found.push(run);
  const missing = input.subscriptions.filter((s) => s.state === 'missing');
  if (missing.length > 0) {
    const error = missing.find((s) => s.reregisterError)?.reregisterError;
    const what = `${plural(missing.length, 'webhook')} missing`;
    found.push([
      'attention',
      error ? `${what} — re-registering failed (${error}); retrying` : `${what} — re-registering`,
    ]);
  }
  const failing = input.subscriptions.filter((s) => s.state === 'failing');
  if (failing.length > 0) {
    const failures = failing.reduce((n, s) => n + s.failures24h, 0);
    found.push([
      'attention',
      `${plural(failing.length, 'webhook')} failing (${plural(failures, 'delivery', 'deliveries')} not applied in 24 h)`,
    ]);
  }
  const rec = input.reconciliation;
  if (rec?.state === 'failed')
    found.push([
      'attention',
      `The last reconciliation failed${rec.reason ? `: ${rec.reason}` : ''}; it is retried`,
    ]);
  if (rec?.state === 'running')
    found.push(['working', rec.dryRun ? 'Reconciliation (dry run) running' : 'Reconciliation running']);
  if (input.deadLetters > 0)
    found.push(['attention', `${plural(input.deadLetters, 'dead letter')} waiting for Replay or Discard`]);
  found.push(...backlogFindings(input, input.connection?.state === 'importing'));
  const sorted = found.map((f, i) => ({ f, i })).sort((a, b) => RANK[b.f[0]] - RANK[a.f[0]] || a.i - b.i);
  const top = sorted[0]?.f;
  if (!top) {
    const summary = 'Healthy: every webhook active, nothing waiting';
    return { level: 'healthy', summary, reasons: [summary] };
  }
  return { level: top[0], summary: top[1], reasons: sorted.map((s) => s.f[1]) };
}
