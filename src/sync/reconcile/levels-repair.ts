import { getLevel } from '../../db/inventory.ts';
import type { DifferenceRow } from '../../db/shopify-reconcile.ts';
import type { CoreDeps } from '../../deps.ts';
import { applyInventoryHint, pushInventoryLevel, type HintOutcome } from '../continuous/inventory-sync.ts';
import { readLevel } from '../continuous/inventory-level-io.ts';
import type { ShopSession } from '../shop-session.ts';
import { CAUSE_WORDS, type Cause } from './classify.ts';
import type { LevelSeen } from './levels-compare.ts';

export interface LevelRepair {
  state: 'repaired' | 'left_to_live_sync' | 'unchanged';
  outcome: string;
}

const HINT: Readonly<Record<HintOutcome, LevelRepair>> = {
  applied: { state: 'repaired', outcome: "Shopify's change counted in Retailos (compare-and-set)" },
  unchanged: { state: 'unchanged', outcome: 'already equal when repaired' },
  stale: { state: 'left_to_live_sync', outcome: 'left: live sync already holds a later change' },
  deferred: { state: 'left_to_live_sync', outcome: 'left: a push of the level is in flight' },
  unknown: {
    state: 'left_to_live_sync',
    outcome: 'left: its variant or location is not in Retailos (its own record was not repaired)',
  },
};

/**
 * A stock level through live sync's own paths, by deltas, never by absolute numbers: Shopify's change
 * since the base is read afresh and added to Retailos's level (the inbound apply: a sale recorded
 * meanwhile still counts; a level without a base takes Shopify's numbers, as live sync does), and a
 * Retailos change not on Shopify is pushed with compare-and-set (`inventoryAdjustQuantities` against
 * the base; a level Shopify does not stock yet is activated with Retailos's quantity). Both are
 * idempotent: repaired again after a kill, they find nothing left to move.
 */
export async function repairLevel(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  d: DifferenceRow,
): Promise<LevelRepair> {
  const seen = d.seen as LevelSeen;
  const cause = d.cause as Cause;
  const as = { origin: 'reconcile' as const, cause: CAUSE_WORDS[cause] };
  const fromShopify = async (): Promise<LevelRepair> => {
    const now = deps.clock.now();
    const hint = await applyInventoryHint(
      deps,
      session,
      tenantId,
      {
        id: 0,
        topic: 'inventory_levels/update',
        body: {
          admin_graphql_api_id: d.gid,
          available: null,
          updated_at: seen.updatedAt ?? now.toISOString(),
        },
        unreadable: null,
        triggeredAt: null,
        receivedAt: now,
      },
      as,
    );
    return HINT[hint];
  };
  const toShopify = async (): Promise<LevelRepair> => {
    if (!d.localId) return { state: 'unchanged', outcome: 'not in Retailos' };
    const pushed = await pushInventoryLevel(deps, session, tenantId, d.localId, as);
    if (pushed === 'pushed') return { state: 'repaired', outcome: 'pushed to Shopify (compare-and-set)' };
    if (pushed === 'unchanged') return { state: 'unchanged', outcome: 'already equal when repaired' };
    return {
      state: 'left_to_live_sync',
      outcome: 'kept in Retailos: its variant or location is not on Shopify',
    };
  };
  switch (cause) {
    case 'shopify_changed':
    case 'created_on_shopify':
      return fromShopify();
    case 'retailos_changed':
    case 'created_in_retailos':
      return toShopify();
    case 'both_changed': {
      const inbound = await fromShopify();
      // Without a base nothing tells a Retailos change apart: Shopify's numbers were taken.
      if (seen.baseHash === null) return inbound;
      const outbound = await toShopify();
      const state =
        inbound.state === 'repaired' || outbound.state === 'repaired' ? 'repaired' : outbound.state;
      return { state, outcome: `${inbound.outcome}; ${outbound.outcome}` };
    }
    case 'deleted_in_retailos':
      return {
        state: 'unchanged',
        outcome: "gone from Retailos with its variant: the variant's deletion is its product's repair",
      };
    case 'deleted_on_shopify': {
      const level = d.localId ? await getLevel(deps.db, tenantId, d.localId) : undefined;
      if (!level) return { state: 'unchanged', outcome: 'gone from Retailos too (with its variant)' };
      const back =
        seen.item && seen.location ? await readLevel(session, seen.item, seen.location) : undefined;
      if (back) return fromShopify();
      return {
        state: 'unchanged',
        outcome:
          'kept in Retailos: Shopify no longer stocks the item at this location, and Retailos never deletes a stock level',
      };
    }
  }
}
