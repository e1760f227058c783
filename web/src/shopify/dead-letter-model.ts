import { useState } from 'react';
import { api } from '../api.ts';
import type { Tone } from '../components/badge.tsx';

/** GET /api/shopify/dead-letters: one letter as listed. */
export interface DeadLetter {
  id: number;
  direction: 'inbound' | 'outbound';
  entity: string;
  local_id: string | null;
  gid: string | null;
  display_name: string;
  error_class: string;
  first_error: string;
  last_error: string;
  attempts: number;
  first_failed_at: string;
  last_failed_at: string;
  state: 'open' | 'replayed' | 'discarded';
  settled_at: string | null;
  waiting_changes: number;
}

export const LETTER_TONE: Record<DeadLetter['state'], Tone> = {
  open: 'critical',
  replayed: 'info',
  discarded: 'neutral',
};

export const DEAD_LETTERS_PATH = '/app/shopify/dead-letters';
export const direction = (d: DeadLetter['direction']): string =>
  d === 'outbound' ? 'To Shopify' : 'From Shopify';

/** Replay or discard, then reload; busy while it runs (a double click makes one request). */
export function useSettle(after: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const settle = async (path: string): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      await api('POST', path, {});
      setError(null);
      await after();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, settle };
}
