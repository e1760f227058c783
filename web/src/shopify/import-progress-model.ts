/**
 * GET /api/shopify/import → what the progress panel shows. The server sends
 * `{ id, state, reason, started_at, finished_at, resources: [{ resource, mode, state, reason, done, parked,
 * total, rate_per_second, eta_seconds }] }`; it is read tolerantly (resources may also come keyed by
 * name, overall rate and ETA may be given or are derived) so a missing number shows as "—" rather
 * than breaking the page.
 */

export interface ResourceProgress {
  resource: string;
  /** How Shopify is read: 'bulk' (a bulk operation's file) or 'paged' (page by page); null until chosen. */
  mode: string | null;
  done: number;
  /** Records that could not be imported and were set aside. */
  parked: number;
  total: number | null;
  /** Records per second. */
  rate: number | null;
  etaSeconds: number | null;
  state: string | null;
  reason: string | null;
}

export interface ImportProgress {
  state: string;
  resources: ResourceProgress[];
  rate: number | null;
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  reason: string | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(o: Json, ...keys: string[]): number | null {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return null;
}

function str(o: Json, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

function resource(name: string, o: Json): ResourceProgress {
  return {
    resource: name,
    mode: str(o, 'mode'),
    done: num(o, 'done', 'imported', 'count') ?? 0,
    parked: num(o, 'parked') ?? 0,
    total: num(o, 'total', 'expected'),
    rate: num(o, 'rate_per_second', 'rate', 'per_second'),
    etaSeconds: num(o, 'eta_seconds', 'eta'),
    state: str(o, 'state', 'status'),
    reason: str(o, 'reason', 'state_reason', 'error'),
  };
}

function resources(v: unknown): ResourceProgress[] {
  if (Array.isArray(v)) {
    return v.filter(isObject).map((o) => resource(str(o, 'resource', 'name', 'type') ?? 'records', o));
  }
  if (isObject(v)) return Object.entries(v).flatMap(([k, o]) => (isObject(o) ? [resource(k, o)] : []));
  return [];
}

const FINISHED = new Set(['completed', 'done', 'finished']);

/** The running resources' rates added up; null when none reports one. */
function overallRate(list: ResourceProgress[]): number | null {
  const rates = list
    .filter((r) => !FINISHED.has(r.state ?? ''))
    .flatMap((r) => (r.rate === null ? [] : [r.rate]));
  return rates.length ? rates.reduce((a, b) => a + b, 0) : null;
}

/** Time left for every unfinished resource added up; null while any of them is unknown. */
function overallEta(list: ResourceProgress[]): number | null {
  const open = list.filter((r) => !FINISHED.has(r.state ?? ''));
  if (open.length === 0) return list.length ? 0 : null;
  if (open.some((r) => r.etaSeconds === null)) return null;
  return open.reduce((a, r) => a + (r.etaSeconds ?? 0), 0);
}

/** Whether an import (or one resource of it) is finished: it has no time left, only an average rate. */
export const isFinished = (state: string | null): boolean => FINISHED.has(state ?? '');

/** Records done ÷ seconds from start to finish; null when either time is missing or no time passed. */
function averageRate(
  list: ResourceProgress[],
  startedAt: string | null,
  finishedAt: string | null,
): number | null {
  if (!startedAt || !finishedAt) return null;
  const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return list.reduce((a, r) => a + r.done, 0) / seconds;
}

export function parseImportProgress(body: unknown): ImportProgress | null {
  if (!isObject(body)) return null;
  const state = str(body, 'state', 'status') ?? 'unknown';
  const startedAt = str(body, 'started_at');
  const finishedAt = str(body, 'finished_at', 'completed_at');
  const parsed = resources(body['resources'] ?? body['progress']);
  // A finished resource has no time left (the server's 0 would read as "0 s left" beside it).
  const list = parsed.map((r) => (isFinished(r.state) ? { ...r, etaSeconds: null } : r));
  const finished = isFinished(state);
  return {
    state,
    resources: list,
    // A finished import's rate is its average over the whole run; it has no time left.
    rate: finished
      ? averageRate(list, startedAt, finishedAt)
      : (num(body, 'rate_per_second', 'rate') ?? overallRate(list)),
    etaSeconds: finished ? null : (num(body, 'eta_seconds', 'eta') ?? overallEta(parsed)),
    startedAt,
    finishedAt,
    reason: str(body, 'state_reason', 'reason', 'error', 'last_error'),
  };
}

/** Share done, 0..1, or null when no total is known yet. */
export function fraction(done: number, total: number | null): number | null {
  if (total === null) return null;
  if (total <= 0) return 1;
  return Math.min(1, done / total);
}
