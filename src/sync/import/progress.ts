import type { ImportMode, ImportResource, ImportRun, ImportState } from '../../db/shopify-imports.ts';

export interface ResourceProgress {
  resource: ImportResource;
  /** Read through a bulk operation or page by page (null until chosen). */
  mode: ImportMode | null;
  state: ImportState;
  reason: string | null;
  done: number;
  parked: number;
  total: number | null;
  /** Records per second since the resource started (null before it wrote anything). */
  ratePerSecond: number | null;
  /** Seconds left at the current rate (0 when finished, null when unknown). */
  etaSeconds: number | null;
}

export interface ImportProgress {
  id: string;
  state: ImportState;
  reason: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  resources: ResourceProgress[];
}

/** Counts, rate and ETA per resource, from the import's rows and the time now. Pure. */
export function importProgress(run: ImportRun, now: Date): ImportProgress {
  return {
    id: run.id,
    state: run.state,
    reason: run.reason,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    resources: run.resources.map((r) => {
      const end = r.finishedAt ?? now;
      const seconds = r.startedAt ? Math.max(0.001, (end.getTime() - r.startedAt.getTime()) / 1000) : 0;
      const rate = seconds > 0 && r.done > 0 ? r.done / seconds : null;
      const left = r.total === null ? null : Math.max(0, r.total - r.done - r.parked);
      const eta =
        r.state === 'completed' ? 0 : left === null || rate === null ? null : Math.ceil(left / rate);
      return {
        resource: r.resource,
        mode: r.mode,
        state: r.state,
        reason: r.reason,
        done: r.done,
        parked: r.parked,
        total: r.total,
        ratePerSecond: rate === null ? null : Math.round(rate * 100) / 100,
        etaSeconds: eta,
      };
    }),
  };
}
