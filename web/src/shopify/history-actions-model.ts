/** What the Revert / Redo buttons decide without the page: which action an entry offers, and how fields read. */

export interface HistoryEntryRef {
  id: number;
  origin?: string;
  outcome?: string;
  action?: string;
  entity?: string;
  display_name?: string;
  linked_entry_id?: number | null;
  diff?: unknown;
}

export type Kind = 'revert' | 'redo';

/** Which action an entry offers: a revert entry can be redone; an applied update can be reverted. */
export function actionOf(e: HistoryEntryRef): Kind | null {
  if (e.origin === 'revert') return 'redo';
  if (e.outcome === 'failed' || e.origin === 'import') return null;
  if (e.action !== undefined && e.action !== 'update') return null;
  if (e.entity === 'location') return null;
  return 'revert';
}

/** A field value in words: money and quantities as they are, lists joined, nothing as a dash. */
export function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v))
    return v.every((x) => typeof x === 'string') ? v.join(', ') || '—' : JSON.stringify(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const words = (field: string): string => field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** A field path in words: `variants[SKU-1].price` → "Price of variant SKU-1", `onHand` → "On hand". */
export function fieldLabel(path: string): string {
  const sub = /^(\w+)\[(.+)\]\.(\w+)$/.exec(path);
  const whole = /^(\w+)\[(.+)\]$/.exec(path);
  const text = sub
    ? `${words(sub[3] ?? '')} of ${words(sub[1] ?? '').replace(/s$/, '')} ${sub[2] ?? ''}`
    : whole
      ? `${words(whole[1] ?? '').replace(/s$/, '')} ${whole[2] ?? ''}`
      : words(path);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
