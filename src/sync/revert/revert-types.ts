import { CoreError } from '../../core/errors.ts';
import type { HistoryEntry } from '../../db/shopify-sync-history.ts';
import type { ChangedSince, RevertField, SkippedField } from '../../domain/revert-plan.ts';

/** What the revert use cases share: the two actions, what one kind's revert makes, refusals. */

export type RevertKind = 'revert' | 'redo';

/** What a kind's revert wrote (its history entry still to store), or would write (a dry run: no entry). */
export interface RevertMade {
  entry: HistoryEntry | null;
  fields: RevertField[];
  skipped: SkippedField[];
  /** Fields changed again since the entry (overwritten by a confirmed revert). */
  changedSince: ChangedSince[];
}

/** How the merchant asked: a dry run writes nothing; `confirm` overwrites fields changed since. */
export interface RevertAsk {
  kind: RevertKind;
  confirm: boolean;
  dryRun: boolean;
}

/** A refusal with its reason (422). */
export const refuse = (code: string, message: string, details?: unknown): CoreError =>
  new CoreError('invalid', code, message, details);
