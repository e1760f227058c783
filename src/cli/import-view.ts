/** What GET /api/shopify/import answers (snake_case on the wire). */
export interface ImportJson {
  state: string;
  reason: string | null;
  resources: {
    resource: string;
    mode?: 'bulk' | 'paged' | null;
    state: string;
    reason: string | null;
    done: number;
    parked?: number;
    total: number | null;
    rate_per_second: number | null;
    eta_seconds: number | null;
  }[];
}

const BAR = 24;

function bar(done: number, total: number | null): string {
  if (!total) return `[${'·'.repeat(BAR)}]`;
  const filled = Math.min(BAR, Math.round((done / total) * BAR));
  return `[${'█'.repeat(filled)}${'·'.repeat(BAR - filled)}]`;
}

function eta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${seconds}s left`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s left`;
}

/** One line per resource with a progress bar, counts, rate and ETA; then the overall state. */
export function renderImport(p: ImportJson): string {
  const lines = p.resources.map((r) => {
    const counts = `${r.done}${r.total === null ? '' : `/${r.total}`}`;
    const rate = r.rate_per_second === null ? '' : `${Math.round(r.rate_per_second)}/s`;
    const parked = r.parked ? `${r.parked} parked` : '';
    const why = r.reason ? `(${r.reason})` : '';
    const how = r.mode === 'paged' ? 'page by page' : r.mode === 'bulk' ? 'bulk' : '';
    return [
      r.resource.padEnd(10),
      bar(r.done, r.total),
      counts.padStart(13),
      r.state.padEnd(9),
      how.padEnd(12),
      rate.padStart(7),
      eta(r.eta_seconds),
      parked,
      why,
    ]
      .filter(Boolean)
      .join(' ');
  });
  lines.push(`import: ${p.state}${p.reason ? ` — ${p.reason}` : ''}`);
  return lines.join('\n');
}

export const isFinished = (p: ImportJson): boolean => p.state === 'completed' || p.state === 'failed';
