/**
 * Sync History as the tab shows it: the entry's wire shape, the filters as they live in the URL, and
 * the before/after of an entry as rows of fields (changed ones marked), values formatted for a person.
 */

export interface HistoryRecord {
  local_id: string;
  gid: string;
  name: string;
}

export interface HistoryEntry {
  id: number;
  entity: string;
  local_id: string | null;
  gid: string | null;
  display_name: string;
  direction: 'inbound' | 'outbound';
  origin: string;
  action: 'create' | 'update' | 'delete';
  outcome: string;
  before: unknown;
  after: unknown;
  diff: unknown;
  conflicts: unknown;
  error: string | null;
  /** Why, in words, when the sync decided on its own (e.g. "Shopify kept the customer: they have orders"). */
  cause: string | null;
  occurred_at: string;
  linked_entry_id: number | null;
  records: HistoryRecord[] | null;
  record_count: number;
}

export const HISTORY_PATH = '/app/shopify/history';

export const ENTITIES = [
  { value: 'product', label: 'Products' },
  { value: 'customer', label: 'Customers' },
  { value: 'order', label: 'Orders' },
  { value: 'inventory_level', label: 'Stock levels' },
  { value: 'location', label: 'Locations' },
] as const;
export const DIRECTIONS = [
  { value: 'inbound', label: 'Shopify → Retailos' },
  { value: 'outbound', label: 'Retailos → Shopify' },
] as const;
export const ORIGINS = [
  { value: 'webhook', label: 'Webhook' },
  { value: 'push', label: 'Push' },
  { value: 'import', label: 'Import' },
  { value: 'reconcile', label: 'Reconciliation' },
  { value: 'revert', label: 'Revert' },
  { value: 'redo', label: 'Redo' },
  { value: 'user', label: 'Retailos edit' },
] as const;
export const OUTCOMES = [
  { value: 'applied', label: 'Applied' },
  { value: 'merged', label: 'Merged (conflict)' },
  { value: 'failed', label: 'Failed' },
] as const;

type Option = { readonly value: string; readonly label: string };
export const labelOf = (options: readonly Option[], value: string): string =>
  options.find((o) => o.value === value)?.label ?? value.replace(/_/g, ' ');

/** The filters, as the URL holds them (dates as YYYY-MM-DD, whole days, both included). */
export interface HistoryFilters {
  q: string;
  entity: string;
  direction: string;
  origin: string;
  outcome: string;
  from: string;
  to: string;
  local_id: string;
}

export const FILTER_KEYS = [
  'q',
  'entity',
  'direction',
  'origin',
  'outcome',
  'from',
  'to',
  'local_id',
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const oneOf = (options: readonly Option[], v: string | null): string =>
  v !== null && options.some((o) => o.value === v) ? v : '';

/** The filters a URL's query holds; anything unknown or malformed is left out. */
export function filtersFrom(params: URLSearchParams): HistoryFilters {
  const day = (v: string | null): string => (v !== null && DAY.test(v) ? v : '');
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    entity: oneOf(ENTITIES, params.get('entity')),
    direction: oneOf(DIRECTIONS, params.get('direction')),
    origin: oneOf(ORIGINS, params.get('origin')),
    outcome: oneOf(OUTCOMES, params.get('outcome')),
    from: day(params.get('from')),
    to: day(params.get('to')),
    local_id: UUID.test(params.get('local_id') ?? '') ? (params.get('local_id') as string) : '',
  };
}

/** The tab's address for these filters (only those set, in a stable order). */
export function historyHref(f: Partial<HistoryFilters>): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = (f[k] ?? '').trim();
    if (v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `${HISTORY_PATH}?${s}` : HISTORY_PATH;
}

/** A calendar day (YYYY-MM-DD) at local midnight, as the API's instant; `plusDays` moves it. */
export function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** The API query for the filters: `to` is the day after the last day shown (the API's `to` is excluded). */
export function apiQuery(f: HistoryFilters): Record<string, string | undefined> {
  return {
    q: f.q.trim() || undefined,
    entity: f.entity || undefined,
    direction: f.direction || undefined,
    origin: f.origin || undefined,
    outcome: f.outcome || undefined,
    from: f.from ? dayStart(f.from) : undefined,
    to: f.to ? dayStart(f.to, 1) : undefined,
    local_id: f.local_id || undefined,
  };
}

/** A date range the API would refuse (first day after the last). */
export const badRange = (f: HistoryFilters): boolean => f.from !== '' && f.to !== '' && f.from > f.to;

// ---- before/after as rows ----

export type Value = unknown;

export interface FieldRow {
  /** The field's path in the snapshot: `title`, `variants[2].price`, `address.city`. */
  path: string;
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Option values and the like: [{ name, value }], read as "Size: M, Colour: Blue". */
const isPairs = (v: unknown[]): v is Record<string, unknown>[] =>
  v.length > 0 && v.every((x) => isObject(x) && Object.keys(x).every((k) => k === 'name' || k === 'value'));

const MONEY = /(price|total|tax|amount|subtotal)$/i;
const QUANTITY = /^(available|on_?hand|committed|incoming|quantity|reserved)$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "compareAtPrice" → "Compare at price"; "on_hand" → "On hand". */
export function words(key: string): string {
  const spaced = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** How a variant, a line item or an address is named in a path: its SKU, title or position. */
function elementName(el: unknown, index: number): string {
  if (isObject(el)) {
    for (const k of ['sku', 'title', 'name']) if (typeof el[k] === 'string' && el[k] !== '') return el[k];
    const options = el['optionValues'];
    if (Array.isArray(options) && options.length > 0)
      return options.map((o) => (isObject(o) ? String(o['value']) : String(o))).join(' / ');
  }
  return `#${index + 1}`;
}

/** "variants[SKU-1].price" → "Variants › SKU-1 › Price". */
export function fieldLabel(path: string): string {
  return path
    .split(/\.|(?=\[)/)
    .filter((p) => p !== '')
    .map((p) => (p.startsWith('[') ? p.slice(1, -1) : words(p)))
    .join(' › ');
}

/** A value as a person reads it: money with its currency, counts grouped, instants as dates, lists joined. */
export function formatValue(path: string, v: Value, currency?: string): string {
  if (v === null || v === undefined || v === '') return '—';
  const key = path.replace(/.*[.\]]/, '');
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'number') return QUANTITY.test(key) ? new Intl.NumberFormat().format(v) : String(v);
  if (typeof v === 'string') {
    if (MONEY.test(key) && /^-?\d+(\.\d+)?$/.test(v)) return formatAmount(v, currency);
    if (INSTANT.test(v) && !Number.isNaN(Date.parse(v))) return dateTime.format(new Date(v));
    return v;
  }
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(', ') || '—';
    if (isPairs(v)) return v.map((x) => `${String(x['name'])}: ${String(x['value'])}`).join(', ');
    return v.map((x, i) => `${elementName(x, i)}: ${formatValue('', x, currency)}`).join('; ');
  }
  if (isObject(v))
    return (
      Object.entries(v)
        .filter(([, x]) => x !== null && x !== '' && !(Array.isArray(x) && x.length === 0))
        .map(([k, x]) => `${words(k)}: ${formatValue(k, x, currency)}`)
        .join(', ') || '—'
    );
  return JSON.stringify(v);
}

/** Money from its decimal string, exactly: two decimals at least, the currency when known. */
function formatAmount(amount: string, currency?: string): string {
  const [whole = '0', frac = ''] = amount.split('.');
  const fixed = `${whole}.${frac.padEnd(2, '0')}`;
  if (!currency) return fixed;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(fixed as `${number}`);
  } catch {
    return `${fixed} ${currency}`;
  }
}

/**
 * A snapshot as leaf fields: objects open into their keys, arrays of records (variants, line items)
 * into one group per element named by its SKU or title, lists of plain values (tags) stay whole.
 */
export function flatten(v: Value, prefix = '', out = new Map<string, Value>()): Map<string, Value> {
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(v) && v.some((x) => isObject(x)) && !isPairs(v)) {
    v.forEach((x, i) => flatten(x, `${prefix}[${elementName(x, i)}]`, out));
  } else if (prefix !== '') {
    out.set(prefix, v);
  }
  return out;
}

/**
 * Before and after side by side, field by field: `all` gives every field (the changed ones marked),
 * otherwise only the changed ones. A variant or line item is matched by its SKU (or title), so a
 * reordered list shows no change.
 */
export function fieldRows(entry: Pick<HistoryEntry, 'before' | 'after'>, all: boolean): FieldRow[] {
  const before = flatten(entry.before);
  const after = flatten(entry.after);
  const currency = currencyOf(entry.after) ?? currencyOf(entry.before);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  return paths
    .map((path) => {
      const b = before.get(path);
      const a = after.get(path);
      return {
        path,
        label: fieldLabel(path),
        before: formatValue(path, b, currency),
        after: formatValue(path, a, currency),
        changed: JSON.stringify(b ?? null) !== JSON.stringify(a ?? null),
      };
    })
    .filter((r) => all || r.changed);
}

function currencyOf(s: unknown): string | undefined {
  return isObject(s) && typeof s['currency'] === 'string' ? s['currency'] : undefined;
}

/** A conflict of a merged entry: the field, the value that won, and the one that lost. */
export interface ConflictRow {
  label: string;
  winner: string;
  kept: string;
  lost: string;
}

export function conflictRows(conflicts: unknown, currency?: string): ConflictRow[] {
  if (!Array.isArray(conflicts)) return [];
  return conflicts.flatMap((c) => {
    if (!isObject(c) || typeof c['path'] !== 'string') return [];
    const path = c['path'];
    const winner = c['winner'] === 'local' ? 'Retailos' : 'Shopify';
    const kept = c['winner'] === 'local' ? c['local'] : c['remote'];
    const lost = 'lost' in c ? c['lost'] : c['winner'] === 'local' ? c['remote'] : c['local'];
    return [
      {
        label: fieldLabel(path),
        winner,
        kept: formatValue(path, kept, currency),
        lost: formatValue(path, lost, currency),
      },
    ];
  });
}
