import { recordChanges } from '../db/changes.ts';
import type { Db, Queryable } from '../db/db.ts';
import {
  foreignIds,
  listInventory as listLevels,
  lockLevels,
  writeLevels,
  type InventoryFilter,
  type LevelKey,
  type LevelWrite,
} from '../db/inventory.ts';
import type { PageCursor } from '../db/products.ts';
import { isUuid, type FieldProblem } from '../domain/customer-input.ts';
import type { InventoryLevel } from '../domain/entities.ts';
import { decideInventory, type InventoryChange } from '../domain/inventory.ts';
import { validationFailed } from './customers.ts';
import { CoreError, notFound } from './errors.ts';
import { commitWrite, type WriteContext } from './write-context.ts';

export interface SetInventoryInput extends LevelKey {
  available: number;
  reason: string;
}

export interface AdjustInventoryInput extends LevelKey {
  delta: number;
  reason: string;
}

interface Item extends LevelKey {
  change: InventoryChange;
  reason: string;
}

const MAX_INT4 = 2_147_483_647;
const keyOf = (k: LevelKey): string => `${k.variantId}/${k.locationId}`;

function itemProblems(items: readonly Item[]): FieldProblem[] {
  const seen = new Set<string>();
  return items.flatMap((it, i): FieldProblem[] => {
    const p: FieldProblem[] = [];
    const n = it.change.kind === 'set' ? it.change.available : it.change.delta;
    if (!Number.isInteger(n) || Math.abs(n) > MAX_INT4)
      p.push({
        field: `[${i}].${it.change.kind === 'set' ? 'available' : 'delta'}`,
        message: 'must be a whole number',
      });
    if (typeof it.reason !== 'string' || !it.reason.trim())
      p.push({ field: `[${i}].reason`, message: 'reason must not be empty' });
    if (!isUuid(it.variantId)) p.push({ field: `[${i}].variantId`, message: 'not an id' });
    if (!isUuid(it.locationId)) p.push({ field: `[${i}].locationId`, message: 'not an id' });
    if (seen.has(keyOf(it))) p.push({ field: `[${i}]`, message: 'the same variant and location twice' });
    seen.add(keyOf(it));
    return p;
  });
}

async function refuseForeign(tx: Queryable, tenantId: string, items: readonly Item[]): Promise<void> {
  const foreign = await foreignIds(
    tx,
    tenantId,
    items.map((i) => i.variantId),
    items.map((i) => i.locationId),
  );
  const variant = foreign.variants[0];
  if (variant !== undefined) throw notFound('variant', variant);
  const location = foreign.locations[0];
  if (location !== undefined) throw notFound('location', location);
}

/** Decides every item against its locked level; refuses the whole write on the first negative result. */
function plan(
  items: readonly Item[],
  levels: ReadonlyMap<string, InventoryLevel>,
  created: ReadonlySet<string>,
): LevelWrite[] {
  return items.flatMap((it): LevelWrite[] => {
    const level = levels.get(keyOf(it)) as InventoryLevel;
    const d = decideInventory(level, it.change);
    if (!d.ok) {
      throw new CoreError('invalid', 'negative_stock', 'stock cannot go below zero', {
        ...it,
        available: d.available,
      });
    }
    if (d.delta === 0 && !created.has(level.id)) return [];
    const deltaOnHand = d.onHand - level.onHand;
    return [
      {
        variantId: it.variantId,
        locationId: it.locationId,
        available: d.available,
        onHand: d.onHand,
        deltaAvailable: d.delta,
        deltaOnHand,
        reason: it.reason.trim(),
      },
    ];
  });
}

/**
 * Locks, decides, writes levels + adjustment rows in one statement, and change rows in another.
 * A level is created on first touch; a change that moves nothing on an existing level writes nothing.
 */
async function apply(db: Db, ctx: WriteContext, items: readonly Item[]): Promise<InventoryLevel[]> {
  const problems = itemProblems(items);
  if (problems.length > 0) throw validationFailed(problems);
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    await refuseForeign(tx, ctx.tenantId, items);
    const { levels, created } = await lockLevels(tx, ctx.tenantId, items, now);
    const byKey = new Map(levels.map((l) => [keyOf(l), l]));
    const written = await writeLevels(tx, ctx.tenantId, ctx.origin, plan(items, byKey, created), now);
    await recordChanges(
      tx,
      ctx.tenantId,
      ctx.origin,
      written.map((l) => ({
        entity: 'inventory_level',
        entityId: l.id,
        version: l.version,
        op: created.has(l.id) ? 'create' : 'update',
      })),
    );
    for (const l of written) byKey.set(keyOf(l), l);
    return items.map((it) => byKey.get(keyOf(it)) as InventoryLevel);
  });
}

export async function setInventory(
  db: Db,
  ctx: WriteContext,
  input: SetInventoryInput,
): Promise<InventoryLevel> {
  const item = { variantId: input.variantId, locationId: input.locationId, reason: input.reason };
  const [level] = await apply(db, ctx, [{ ...item, change: { kind: 'set', available: input.available } }]);
  return level as InventoryLevel;
}

export async function adjustInventory(
  db: Db,
  ctx: WriteContext,
  input: AdjustInventoryInput,
): Promise<InventoryLevel> {
  const item = { variantId: input.variantId, locationId: input.locationId, reason: input.reason };
  const [level] = await apply(db, ctx, [{ ...item, change: { kind: 'adjust', delta: input.delta } }]);
  return level as InventoryLevel;
}

/** Sets many levels at once (the import): all or nothing; levels in input order. */
export async function setInventoryBatch(
  db: Db,
  ctx: WriteContext,
  inputs: readonly SetInventoryInput[],
): Promise<InventoryLevel[]> {
  if (inputs.length === 0) return [];
  return apply(
    db,
    ctx,
    inputs.map((i) => ({
      variantId: i.variantId,
      locationId: i.locationId,
      reason: i.reason,
      change: { kind: 'set', available: i.available },
    })),
  );
}

export function listInventory(
  db: Db,
  tenantId: string,
  filter: InventoryFilter,
  limit: number,
  after?: PageCursor,
) {
  return listLevels(db, tenantId, filter, limit, after);
}
