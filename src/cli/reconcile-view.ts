/** A reconciliation run as GET /api/shopify/reconcile/runs/:id answers it (the fields the CLI shows). */
export interface RunJson {
  id: string;
  dry_run: boolean;
  state: 'running' | 'completed' | 'failed';
  phase: string;
  reason: string | null;
  started_at: string;
  points_spent: number;
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
        shopify: { count: number; checksum: string };
        retailos: { count: number; checksum: string };
      }
    >;
    duration_ms: number;
    points_spent: number;
  } | null;
  differences?: {
    entity: string;
    display_name: string;
    cause: string;
    fields: { path: string; base: unknown; retailos: unknown; shopify: unknown }[];
  }[];
}

const BAR = 24;

/** One progress line: phase, kind, a bar, done/total and the ETA from the rate so far. */
export function progressLine(run: RunJson, elapsedMs: number): string {
  const p = run.progress ?? {};
  const done = p.done ?? 0;
  const total = Math.max(p.total ?? 0, done);
  const share = total > 0 ? done / total : 0;
  const filled = Math.round(share * BAR);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}]`;
  const eta =
    done > 0 && total > done ? ` ETA ${Math.ceil(((elapsedMs / done) * (total - done)) / 1000)}s` : '';
  return `${p.phase ?? 'starting'} ${p.kind ?? ''} ${bar} ${done}/${total}${eta} · ${run.points_spent} points`;
}

const show = (v: unknown): string => (v === null || v === undefined ? '—' : JSON.stringify(v));

/** The run's outcome: per kind, a table row; then, for a dry run, each difference field by field. */
export function renderRun(run: RunJson): string {
  if (run.state === 'failed')
    return `run ${run.id} failed: ${run.reason ?? 'no reason given'} (it is retried later)`;
  if (!run.report) return `run ${run.id} ${run.state}`;
  const lines = [
    `run ${run.id}${run.dry_run ? ' (dry run)' : ''}: ${run.state} in ${(run.report.duration_ms / 1000).toFixed(1)}s, ${run.report.points_spent} points`,
    'kind             compared   equal  repaired  left  failed  shopify (count checksum)   retailos',
  ];
  for (const [kind, k] of Object.entries(run.report.kinds)) {
    const repaired = Object.values(k.repaired).reduce((a, b) => a + b, 0);
    lines.push(
      `${kind.padEnd(16)} ${String(k.compared).padStart(8)} ${String(k.equal).padStart(7)} ${String(repaired).padStart(9)} ${String(k.left_to_live_sync).padStart(5)} ${String(k.failed).padStart(7)}  ${k.shopify.count} ${k.shopify.checksum}  ${k.retailos.count} ${k.retailos.checksum}`,
    );
    for (const [cause, n] of Object.entries(k.repaired)) lines.push(`  ${n} × ${cause}`);
  }
  for (const d of run.differences ?? []) {
    lines.push(`${d.entity} ${d.display_name}: ${d.cause}`);
    for (const f of d.fields)
      lines.push(
        `  ${f.path}: base ${show(f.base)} · Retailos ${show(f.retailos)} · Shopify ${show(f.shopify)}`,
      );
  }
  return lines.join('\n');
}
