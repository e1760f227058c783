import { adjustInventory } from '../../core/inventory.ts';
import type { WriteContext } from '../../core/write-context.ts';
import type { Db } from '../../db/db.ts';
import { getLevel } from '../../db/inventory.ts';
import type { HistoryRow } from '../../db/shopify-sync-history.ts';
import { fieldDiff } from '../../domain/diff.ts';
import { planStockRevert, type StockQuantities } from '../../domain/revert-plan.ts';
import { inventoryLevelSnapshot } from '../../domain/shopify-map/snapshot.ts';
import { refuse, type RevertAsk, type RevertMade } from './revert-types.ts';

/**
 * Revert (or redo) of a stock entry: the entry's delta of `available` taken back through the inventory
 * adjustment use case (−delta on whatever the level holds now), never an absolute number, so sales made
 * since still count; the push carries it to Shopify with compare-and-set like any adjustment.
 */
export async function revertStock(
  db: Db,
  ctx: WriteContext,
  ask: RevertAsk,
  source: HistoryRow,
): Promise<RevertMade> {
  const level = source.localId ? await getLevel(db, ctx.tenantId, source.localId) : undefined;
  if (!level)
    throw refuse('record_gone', 'this stock level no longer exists in Retailos', { entry_id: source.id });
  const p = planStockRevert(source.before as StockQuantities, source.after as StockQuantities);
  if (!p.ok) throw refuse('nothing_to_revert', p.reason, { entry_id: source.id });
  const kind = ask.kind;
  if (ask.dryRun) {
    const to = level.available + p.delta;
    return {
      entry: null,
      fields: [{ path: 'available', from: level.available, to }],
      skipped: [],
      changedSince: [],
    };
  }
  const after = await adjustInventory(db, ctx, {
    variantId: level.variantId,
    locationId: level.locationId,
    delta: p.delta,
    reason: `${kind} of Sync History entry ${source.id}`,
  });
  const before = inventoryLevelSnapshot(level);
  const now = inventoryLevelSnapshot(after);
  const diff = fieldDiff(before, now);
  return {
    entry: {
      entity: 'inventory_level',
      localId: level.id,
      gid: source.gid,
      displayName: source.displayName,
      direction: 'outbound',
      origin: kind,
      action: 'update',
      outcome: 'applied',
      before,
      after: now,
      diff,
      conflicts: [],
      error: null,
      searchWords: [],
    },
    fields: diff.map((d) => ({ path: d.path, from: d.before, to: d.after })),
    skipped: [],
    changedSince: [],
  };
}
