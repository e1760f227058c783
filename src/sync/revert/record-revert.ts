import { CoreError } from '../../core/errors.ts';
import type { WriteContext } from '../../core/write-context.ts';
import type { Db } from '../../db/db.ts';
import type { HistoryRow } from '../../db/shopify-sync-history.ts';
import { fieldDiff } from '../../domain/diff.ts';
import type { MergeRules } from '../../domain/merge.ts';
import { planRevert, type ChangedSince } from '../../domain/revert-plan.ts';
import type { Json } from '../../domain/shopify-map/index.ts';
import type { AnyAdapter } from '../entities/adapter.ts';
import type { SnapshotObject } from '../entities/snapshot-write.ts';
import { refuse, type RevertAsk, type RevertMade } from './revert-types.ts';

/** `lineItems` → `line items`. */
const words = (field: string): string => field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** Fields Shopify owns (the merge always takes Shopify's value): an app cannot write them. */
function notWritable(entity: string, rules: MergeRules) {
  return (field: string): string | undefined =>
    rules[field]?.kind === 'remote'
      ? `Shopify does not let an app change an ${entity}'s ${words(field)}`
      : undefined;
}

const changedSinceJson = (c: ChangedSince) => ({
  path: c.path,
  entry_value: c.entryValue,
  current: c.current,
  revert_to: c.revertTo,
});

/**
 * Revert (or redo) of a product, customer or order entry: the record's current snapshot rolled back over
 * the fields the entry changed, written through the kind's update use case on `db` (the caller's
 * transaction). Fields changed since need `confirm`; fields Shopify owns are skipped, and refused when
 * nothing else is left.
 */
export async function revertRecord(
  db: Db,
  ctx: WriteContext,
  a: AnyAdapter,
  req: RevertAsk,
  source: HistoryRow,
): Promise<RevertMade> {
  const record = source.localId ? await a.loadLocal(db, ctx.tenantId, source.localId, true) : undefined;
  if (!record)
    throw refuse('record_gone', `this ${a.entity} no longer exists in Retailos`, { entry_id: source.id });
  const current = a.localSnapshot(record);
  const plan = planRevert({
    rules: a.rules,
    before: source.before as Json,
    after: source.after as Json,
    current,
    notWritable: notWritable(a.entity, a.rules),
  });
  if (plan.fields.length === 0 && plan.skipped.length > 0) {
    const reasons = plan.skipped.map((s) => s.reason).join('; ');
    throw refuse('fields_not_writable', `${reasons}: nothing this change made can be reverted`, {
      fields: plan.skipped,
    });
  }
  if (plan.fields.length === 0) {
    throw refuse('nothing_to_revert', 'every field this change made already holds its earlier value', {
      entry_id: source.id,
    });
  }
  const planned = { fields: plan.fields, skipped: plan.skipped, changedSince: plan.changedSince };
  if (req.dryRun) return { entry: null, ...planned };
  if (plan.changedSince.length > 0 && !req.confirm) {
    const paths = plan.changedSince.map((c) => c.path).join(', ');
    throw new CoreError(
      'conflict',
      'changed_since',
      `changed again since this entry: ${paths}. Confirm to overwrite ${plan.changedSince.length === 1 ? 'it' : 'them'}`,
      { fields: plan.changedSince.map(changedSinceJson) },
    );
  }
  await a.writeSnapshot(db, ctx, record, plan.target as SnapshotObject, current as SnapshotObject);
  const after = a.localSnapshot(await a.loadLocal(db, ctx.tenantId, record.id, false));
  return {
    entry: {
      entity: a.entity,
      localId: record.id,
      gid: source.gid,
      displayName: a.displayName(after),
      direction: 'outbound',
      origin: req.kind,
      action: 'update',
      outcome: 'applied',
      before: current,
      after,
      diff: fieldDiff(current, after, a.rules),
      conflicts: [],
      error: null,
      searchWords: a.searchWords(after),
    },
    ...planned,
  };
}
