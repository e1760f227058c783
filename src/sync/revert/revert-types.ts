import { CoreError } from '../../core/errors.ts';
import type { HistoryEntry } from '../../db/shopify-sync-history.ts';
import type { RevertField, SkippedField } from '../../domain/revert-plan.ts';

/** What the revert use cases share: the two actions, what one kind's revert makes, refusals. */

export type RevertKind = 'revert' | 'redo';

/** What a kind's revert wrote, before its history entry is stored. */
export interface RevertMade {
  entry: HistoryEntry;
  fields: RevertField[];
  skipped: SkippedField[];
}

/** A refusal with its reason (422). */
export const refuse = (code: string, message: string, details?: unknown): CoreError =>
  new CoreError('invalid', code, message, details);
