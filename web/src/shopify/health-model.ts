/** GET /api/shopify/health, the fields the Sync Health tab shows. */
export interface Subscription {
  topic: string;
  state: 'active' | 'missing' | 'failing';
  last_delivery_at: string | null;
  deliveries_24h: number;
  failures_24h: number;
  lag_p50_ms: number | null;
  lag_p99_ms: number | null;
  last_checked_at: string | null;
  reregistered_at: string | null;
  missing_since: string | null;
  reregister_error: string | null;
  backfill: { from: string; at: string | null; records: number | null; note: string | null } | null;
}

export type VerdictLevel = 'off' | 'healthy' | 'working' | 'attention' | 'failed';

export interface Verdict {
  level: VerdictLevel;
  summary: string;
  reasons: string[];
}

export interface ImportRunHealth {
  state: string;
  reason: string | null;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
  done: number;
  total: number | null;
  resources: { resource: string; state: string; done: number; total: number | null; reason: string | null }[];
}

export interface Reconciliation {
  last: {
    id: string;
    state: 'running' | 'completed' | 'failed';
    dry_run: boolean;
    trigger: string;
    started_at: string;
    finished_at: string | null;
    reason: string | null;
    compared: number;
    differences: number;
    repaired: number;
    left_to_live_sync: number;
    failed: number;
  } | null;
  next_at: string | null;
}

export interface Health {
  connection: { shop: string; state: string; reason: string | null } | null;
  subscriptions: Subscription[];
  unknown_topics_24h: number;
  inbox: { pending: number; oldest_pending_age_seconds: number | null };
  outbox: { waiting: number; oldest_age_seconds: number | null };
  dead_letters: { open: number };
  throttle: {
    maximum_available: number;
    currently_available: number;
    restore_rate: number;
    calls: number;
    throttled: number;
    points_spent: number;
    since: string;
  } | null;
  import: ImportRunHealth | null;
  reconciliation: Reconciliation;
  verdict: Verdict;
}

export const VERDICT_LABEL: Record<VerdictLevel, string> = {
  off: 'Not syncing',
  healthy: 'Healthy',
  working: 'Working',
  attention: 'Needs attention',
  failed: 'Stopped',
};

/** "PRODUCTS_UPDATE" → "products/update", as Shopify names a webhook's topic in its deliveries. */
export function topicName(topic: string): string {
  const lower = topic.toLowerCase();
  const cut = lower.lastIndexOf('_');
  return cut < 0 ? lower : `${lower.slice(0, cut)}/${lower.slice(cut + 1)}`;
}

/** 850 → "850 ms"; 2300 → "2.3 s"; null → "—". */
export function formatLag(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Share of the shop's cost budget in use now, 0–100. */
export function budgetUsed(t: NonNullable<Health['throttle']>): number {
  if (t.maximum_available <= 0) return 0;
  const used = 1 - t.currently_available / t.maximum_available;
  return Math.min(100, Math.max(0, Math.round(used * 100)));
}

/**
 * What a subscription's row says besides its state: since when it is missing and why re-registering
 * failed; once registered again, the back-fill of what changed meanwhile (pending, its count, or why
 * none could be read).
 */
export function subscriptionNotes(s: Subscription, date: (iso: string | null) => string): string[] {
  const notes: string[] = [];
  if (s.state === 'missing') {
    notes.push(
      s.missing_since
        ? `Missing on Shopify since ${date(s.missing_since)} — re-registering`
        : 'Not registered on Shopify',
    );
    if (s.reregister_error) notes.push(`Last attempt failed: ${s.reregister_error}`);
  } else if (s.reregistered_at) notes.push(`Re-registered ${date(s.reregistered_at)}`);
  const b = s.backfill;
  if (b && s.state !== 'missing') {
    if (b.at === null) notes.push(`Back-fill since ${date(b.from)} pending`);
    else if (b.note) notes.push(`Back-fill: ${b.note}`);
    else {
      const n = b.records ?? 0;
      notes.push(`Back-filled ${n} ${n === 1 ? 'record' : 'records'} changed since ${date(b.from)}`);
    }
  } else if (b && s.state === 'missing')
    notes.push(`What changed since ${date(b.from)} is read back once it is registered again`);
  if (s.failures_24h > 0) notes.push(`${s.failures_24h} deliveries could not be applied (see Dead letters)`);
  return notes;
}

const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

/** A reconciliation run's result in words ("Compared 120 records: 2 differences, 2 repaired"). */
export function reconciliationResult(last: NonNullable<Reconciliation['last']>): string {
  if (last.state === 'running') return last.dry_run ? 'Running (dry run: lists, repairs nothing)' : 'Running';
  if (last.state === 'failed') return `Failed${last.reason ? `: ${last.reason}` : ''} (retried)`;
  const parts = [n(last.differences, 'difference')];
  if (last.repaired > 0) parts.push(`${last.repaired} repaired`);
  if (last.left_to_live_sync > 0) parts.push(`${last.left_to_live_sync} left to live sync`);
  if (last.failed > 0) parts.push(`${last.failed} failed`);
  const dry = last.dry_run ? ' (dry run)' : '';
  return `Compared ${n(last.compared, 'record')}${dry}: ${parts.join(', ')}`;
}
