import type { Tone } from '../components/badge.tsx';

/** Badge tones shared by the lists and the record pages. */
export const PRODUCT_STATUS_TONE: Record<string, Tone> = {
  active: 'success',
  draft: 'neutral',
  archived: 'warning',
};

export const PAYMENT_TONE: Record<string, Tone> = {
  paid: 'success',
  pending: 'warning',
  refunded: 'neutral',
  voided: 'neutral',
};
