import { getLevel } from '../../db/inventory.ts';
import { entityKey } from '../../db/shopify-dead-letters.ts';
import { settleDifference, type DifferenceRow } from '../../db/shopify-reconcile.ts';
import { levelGenerations } from '../../db/shopify-reconcile-levels.ts';
import type { CoreDeps } from '../../deps.ts';
import { pushInventoryGroup, PUSH_GROUP_MAX } from '../continuous/inventory-push.ts';
import {
  applyInventoryHint,
  pushInventoryLevel,
  type HeldLevelRead,
  type HintOutcome,
} from '../continuous/inventory-sync.ts';
import {
  levelGid,
  QUANTITY_FIELDS,
  readLevel,
  remoteLevelOf,
  type RemoteLevel,
  type ShopifyLevelNode,
} from '../continuous/inventory-level-io.ts';
import { call } from '../entities/shopify-write.ts';
import type { ShopSession } from '../shop-session.ts';
import { CAUSE_WORDS, type Cause } from './classify.ts';
import type { LevelSeen } from './levels-compare.ts';
import { stampHolds } from './read-nodes.ts';

/** The causes whose repair reads the level on Shopify (Shopify's change counted, or the level looked for). */
const READS: ReadonlySet<string> = new Set<Cause>([
  'shopify_changed',
  'created_on_shopify',
  'both_changed',
  'deleted_on_shopify',
]);

/** Levels read in one `nodes(ids:)` call (Shopify takes at most 250 ids in an input list). */
const LEVEL_READ_BATCH = 250;

const READ_LEVELS = `query RetailosReconcileLevels($ids: [ID!]!) {
  nodes(ids: $ids) { ... on InventoryLevel { id updatedAt ${QUANTITY_FIELDS} } }
}`;

/** The levels' `updatedAt` only (1 point a level; with the quantities 2). */
const READ_LEVEL_STAMPS = `query RetailosReconcileLevelStamps($ids: [ID!]!) {
  nodes(ids: $ids) { ... on InventoryLevel { id updatedAt } }
}`;

/**
 * The level as the export read it, when `stamp` (its `updatedAt` now) proves Shopify still holds those
 * quantities (read-nodes.ts `stampHolds`: unchanged, and older than the second the export began).
 */
function exportedLevel(gid: string, seen: LevelSeen, stamp: string | undefined): RemoteLevel | undefined {
  if (!seen.quantities || !seen.updatedAt || stamp === undefined) return undefined;
  if (!stampHolds(seen.updatedAt, stamp, seen.exportedAt ?? null)) return undefined;
  return { gid, ...seen.quantities, updatedAt: new Date(seen.updatedAt) };
}

/** Levels' `updatedAt` now by GID ('' when a level has none to read; absent: Shopify has no such level). */
async function levelStamps(session: ShopSession, gids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < gids.length; i += LEVEL_READ_BATCH) {
    const ids = gids.slice(i, i + LEVEL_READ_BATCH);
    const { data } = await call<{ nodes: ({ id?: string; updatedAt?: string | null } | null)[] }>(
      session,
      READ_LEVEL_STAMPS,
      { ids },
      4 + ids.length,
    );
    for (const [j, node] of data.nodes.entries())
      if (node?.id) out.set(ids[j] as string, node.updatedAt ?? '');
  }
  return out;
}

/**
 * What a batch of level differences is on Shopify now, read by `nodes(ids:)` (one call per 250 levels
 * instead of one per level), by difference key: first `id updatedAt` only, and a level still as the
 * export read it is the export's quantities; the others are read whole. Each level's generation is
 * looked at first, so the apply uses the read only if no base was written since (otherwise it reads
 * again itself).
 */
export async function readLevelsNow(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  batch: readonly DifferenceRow[],
): Promise<Map<string, HeldLevelRead>> {
  const reading = batch.flatMap((d) => {
    const seen = d.seen as LevelSeen;
    if (!READS.has(d.cause) || !seen.item || !seen.location) return [];
    return [{ d, gid: levelGid(seen.item, seen.location) }];
  });
  const generations = await levelGenerations(
    deps.db,
    tenantId,
    reading.flatMap((r) => (r.d.localId ? [r.d.localId] : [])),
  );
  const out = new Map<string, HeldLevelRead>();
  const held = (d: DifferenceRow, remote: RemoteLevel | undefined): HeldLevelRead => ({
    levelId: d.localId ?? undefined,
    generation: d.localId ? (generations.get(d.localId) ?? 0) : 0,
    remote,
  });
  // First `id updatedAt` of every level (after the generations were looked at): a level still as the
  // export read it is that read; the others are read whole, as before.
  const stamps = await levelStamps(
    session,
    reading.map((r) => r.gid),
  );
  const whole: typeof reading = [];
  for (const r of reading) {
    const stamp = stamps.get(r.gid);
    const kept = exportedLevel(r.gid, r.d.seen as LevelSeen, stamp);
    if (stamp === undefined) out.set(r.d.key, held(r.d, undefined));
    else if (kept) out.set(r.d.key, held(r.d, kept));
    else whole.push(r);
  }
  for (let i = 0; i < whole.length; i += LEVEL_READ_BATCH) {
    const part = whole.slice(i, i + LEVEL_READ_BATCH);
    const ids = part.map((r) => r.gid);
    const { data } = await call<{ nodes: (ShopifyLevelNode | null)[] }>(
      session,
      READ_LEVELS,
      { ids },
      4 + 2 * ids.length,
    );
    for (const [j, r] of part.entries()) {
      const node = data.nodes[j];
      out.set(r.d.key, held(r.d, node?.id ? remoteLevelOf(node) : undefined));
    }
  }
  return out;
}

/**
 * A batch's levels changed in Retailos only, pushed together: one `inventoryAdjustQuantities` call
 * (each change its own compare-and-set against its base, under one idempotency key: live sync's
 * `pushInventoryGroup`) instead of one call per level. Returns the differences left for one at a time:
 * the other causes, a level behind an open dead letter, and whatever the group did not push (a member
 * already pending, or the call refused — a sale on Shopify since the base makes its compare stale: each
 * then goes alone, where a stale compare rebases and counts the sale).
 */
export async function pushLevelsTogether(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  runId: string,
  batch: readonly DifferenceRow[],
  letters: ReadonlySet<string>,
): Promise<DifferenceRow[]> {
  const pushing = batch.filter(
    (d) =>
      d.cause === 'retailos_changed' &&
      d.localId !== null &&
      !letters.has(entityKey(d.entity, d.localId, null)),
  );
  if (pushing.length < 2) return [...batch];
  const settled = new Set<string>();
  const as = { origin: 'reconcile' as const, cause: CAUSE_WORDS.retailos_changed };
  for (let i = 0; i < pushing.length; i += PUSH_GROUP_MAX) {
    const part = pushing.slice(i, i + PUSH_GROUP_MAX);
    const outcomes = await pushInventoryGroup(
      deps,
      session,
      tenantId,
      part.map((d) => d.localId as string),
      as,
    );
    for (const d of part) {
      const o = outcomes.get(d.localId as string);
      if (o === 'alone' || o === undefined) continue;
      const outcome =
        o === 'pushed'
          ? `pushed to Shopify (compare-and-set, ${part.length} levels in one call)`
          : 'already equal when repaired';
      await settleDifference(deps.db, runId, d, o === 'pushed' ? 'repaired' : 'unchanged', outcome);
      settled.add(d.key);
    }
  }
  return batch.filter((d) => !settled.has(d.key));
}

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
  /** Shopify's level read ahead for the batch (`readLevelsNow`); absent, it is read here. */
  held?: HeldLevelRead,
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
      held,
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
      const back = held
        ? held.remote
        : seen.item && seen.location
          ? await readLevel(session, seen.item, seen.location)
          : undefined;
      if (back) return fromShopify();
      return {
        state: 'unchanged',
        outcome:
          'kept in Retailos: Shopify no longer stocks the item at this location, and Retailos never deletes a stock level',
      };
    }
  }
}
