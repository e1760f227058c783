import type { InventoryLevel } from '../types.ts';
import type { FieldErrors } from './field-errors.ts';

export const stockKey = (variantId: string, locationId: string): string => `${variantId}.${locationId}`;

export const STOCK_REASONS = [
  { value: 'correction', label: 'Correction (a count)' },
  { value: 'received', label: 'Received' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'returned', label: 'Returned' },
  { value: 'shrinkage', label: 'Shrinkage' },
];

export interface StockAdjustment {
  variant_id: string;
  location_id: string;
  delta: number;
}

/**
 * The adjustments the edited "available" numbers ask for: the difference from what was loaded, sent as
 * a delta (so a sale counted meanwhile is kept, never overwritten by an absolute number). A blank or
 * unreadable number is an error beside its field.
 */
export function stockAdjustments(
  edits: Readonly<Record<string, string>>,
  levels: ReadonlyMap<string, InventoryLevel>,
): { adjustments: StockAdjustment[]; errors: FieldErrors } {
  const adjustments: StockAdjustment[] = [];
  const errors: FieldErrors = {};
  for (const [key, text] of Object.entries(edits)) {
    const [variantId = '', locationId = ''] = key.split('.');
    const was = levels.get(key)?.available ?? 0;
    if (!/^-?\d{1,9}$/.test(text.trim())) {
      errors[`stock.${key}`] = 'Enter a whole number, e.g. 12.';
      continue;
    }
    const delta = Number(text.trim()) - was;
    if (delta !== 0) adjustments.push({ variant_id: variantId, location_id: locationId, delta });
  }
  return { adjustments, errors };
}
