import { api } from '../api.ts';

/** A reconciliation run as GET /api/shopify/reconcile/runs answers it (the fields the panel shows). */
export interface ReconcileRunView {
  id: string;
  dry_run: boolean;
  state: 'running' | 'completed' | 'failed';
  reason: string | null;
  started_at: string;
  finished_at: string | null;
  progress: { phase?: string; kind?: string; done?: number; total?: number } | null;
  report: {
    kinds: Record<
      string,
      {
        compared: number;
        equal: number;
        repaired: Record<string, number>;
        left_to_live_sync: number;
        failed: number;
      }
    >;
    duration_ms: number;
    points_spent: number;
  } | null;
}

export interface FieldDifferenceView {
  path: string;
  base: unknown;
  retailos: unknown;
  shopify: unknown;
}

export interface DifferenceView {
  entity: string;
  display_name: string;
  cause: string;
  fields: FieldDifferenceView[];
  state: string;
  outcome: string | null;
}

export interface RunsView {
  items: ReconcileRunView[];
  next_run_at: string | null;
}

export const loadRuns = (): Promise<RunsView> => api<RunsView>('GET', '/api/shopify/reconcile/runs?limit=5');
export const startRun = (dryRun: boolean): Promise<ReconcileRunView> =>
  api<ReconcileRunView>('POST', '/api/shopify/reconcile', { dry_run: dryRun });
export const loadRun = (id: string): Promise<ReconcileRunView & { differences: DifferenceView[] }> =>
  api('GET', `/api/shopify/reconcile/runs/${id}`);

/** Each cause as the merchant reads it. */
export const CAUSE_LABEL: Record<string, string> = {
  shopify_changed: 'Changed on Shopify, not received',
  retailos_changed: 'Changed in Retailos, not pushed',
  both_changed: 'Changed on both sides',
  created_on_shopify: 'Only on Shopify',
  created_in_retailos: 'Only in Retailos',
  deleted_on_shopify: 'Deleted on Shopify',
  deleted_in_retailos: 'Deleted in Retailos',
};

/** A run's result in one sentence. */
export function runResult(run: ReconcileRunView): string {
  if (run.state === 'running') {
    const p = run.progress;
    const where = p?.kind
      ? ` (${p.phase ?? ''} ${p.kind.replace('_', ' ')}: ${p.done ?? 0} of ${p.total ?? '?'})`
      : '';
    return `Running${where}`;
  }
  if (run.state === 'failed') return `Failed: ${run.reason ?? 'no reason given'} — it is retried later`;
  const kinds = Object.values(run.report?.kinds ?? {});
  const sum = (f: (k: (typeof kinds)[number]) => number) => kinds.reduce((a, k) => a + f(k), 0);
  const compared = sum((k) => k.compared);
  const differences = compared - sum((k) => k.equal);
  const repaired = sum((k) => Object.values(k.repaired).reduce((a, b) => a + b, 0));
  const failed = sum((k) => k.failed);
  if (differences === 0) return `Compared ${compared} records: both sides agree`;
  if (run.dry_run) return `Compared ${compared} records: ${differences} differ (dry run: nothing written)`;
  return `Compared ${compared} records: ${differences} differed, ${repaired} repaired${failed ? `, ${failed} failed` : ''}`;
}

/** A field's value as shown in the differences table. */
export const shown = (v: unknown): string =>
  v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
