import type { Queryable } from './db.ts';

/** A compare-and-set push sent to Shopify whose outcome is not written back yet. */
export interface PendingPush {
  from: number;
  delta: number;
  key: string;
  since: Date;
}

/** Where a level's sync stands: how many times its base was written, and the push in flight, if any. */
export interface LevelSyncState {
  generation: number;
  pending: PendingPush | null;
}

interface StateDbRow {
  generation: string | number;
  pending_from: number | null;
  pending_delta: number | null;
  pending_key: string | null;
  pending_since: Date | null;
}

const toState = (r: StateDbRow | undefined): LevelSyncState => ({
  generation: r ? Number(r.generation) : 0,
  pending:
    r && r.pending_key !== null
      ? {
          from: r.pending_from as number,
          delta: r.pending_delta as number,
          key: r.pending_key,
          since: r.pending_since as Date,
        }
      : null,
});

const COLUMNS = 'generation, pending_from, pending_delta, pending_key, pending_since';

/** The level's state as it stands (no lock): generation 0 and nothing pending when never written. */
export async function readLevelSync(
  q: Queryable,
  tenantId: string,
  levelId: string,
): Promise<LevelSyncState> {
  const { rows } = await q.query<StateDbRow>(
    `select ${COLUMNS} from shopify_inventory_pushes where tenant_id = $1 and level_id = $2`,
    [tenantId, levelId],
  );
  return toState(rows[0]);
}

/** The level's state, locked for the rest of the caller's transaction (the row is made on first use). */
export async function lockLevelSync(
  q: Queryable,
  tenantId: string,
  levelId: string,
): Promise<LevelSyncState> {
  await q.query(
    `insert into shopify_inventory_pushes (tenant_id, level_id) values ($1, $2)
     on conflict (tenant_id, level_id) do nothing`,
    [tenantId, levelId],
  );
  const { rows } = await q.query<StateDbRow>(
    `select ${COLUMNS} from shopify_inventory_pushes where tenant_id = $1 and level_id = $2 for update`,
    [tenantId, levelId],
  );
  return toState(rows[0]);
}

/**
 * Records a write of the level's base (generation + 1) and what is now in flight: `pending` when a
 * push is about to be sent, null when nothing is. Call with the row locked (lockLevelSync).
 */
export async function advanceLevelSync(
  q: Queryable,
  tenantId: string,
  levelId: string,
  pending: PendingPush | null,
): Promise<number> {
  const { rows } = await q.query<{ generation: string | number }>(
    `update shopify_inventory_pushes set generation = generation + 1, pending_from = $3::integer,
       pending_delta = $4::integer, pending_key = $5::text, pending_since = $6::timestamptz
     where tenant_id = $1 and level_id = $2 returning generation`,
    [
      tenantId,
      levelId,
      pending?.from ?? null,
      pending?.delta ?? null,
      pending?.key ?? null,
      pending?.since ?? null,
    ],
  );
  return Number(rows[0]?.generation ?? 0);
}

/**
 * Deliveries about one stock level that waited for a push to settle become due now. Inventory
 * deliveries name their level by the numeric ids of the item and the location.
 */
export async function releaseLevelDeliveries(
  q: Queryable,
  tenantId: string,
  itemId: string,
  locationId: string,
  now: Date,
): Promise<number> {
  const { rows } = await q.query<{ id: string }>(
    `update shopify_webhook_inbox set not_before = $4::timestamptz
     where tenant_id = $1 and state = 'pending' and topic like 'inventory\\_levels/%'
       and body->>'inventory_item_id' = $2 and body->>'location_id' = $3 and not_before > $4
     returning id`,
    [tenantId, itemId, locationId, now],
  );
  return rows.length;
}

/** One level's change in a group push: the level, its item and location on Shopify, and the compare-and-set. */
export interface GroupChange {
  levelId: string;
  item: string;
  location: string;
  from: number;
  delta: number;
}

/** A push of several levels in one call: its changes in order, and whom Sync History names. */
export interface PushGroup {
  changes: GroupChange[];
  origin: string;
  cause: string | null;
}

/** Writes the group (in the transaction that marks its members pending under `key`). */
export async function insertPushGroup(
  q: Queryable,
  tenantId: string,
  key: string,
  group: PushGroup,
): Promise<void> {
  await q.query(
    `insert into shopify_inventory_push_groups (tenant_id, key, changes, origin, cause) values ($1, $2, $3::jsonb, $4, $5)`,
    [tenantId, key, JSON.stringify(group.changes), group.origin, group.cause],
  );
}

/** The group a pending push's key belongs to, if it is a group's. */
export async function getPushGroup(
  q: Queryable,
  tenantId: string,
  key: string,
): Promise<PushGroup | undefined> {
  const { rows } = await q.query<{ changes: GroupChange[] | string; origin: string; cause: string | null }>(
    `select changes, origin, cause from shopify_inventory_push_groups where tenant_id = $1 and key = $2`,
    [tenantId, key],
  );
  const r = rows[0];
  if (!r) return undefined;
  const changes = typeof r.changes === 'string' ? (JSON.parse(r.changes) as GroupChange[]) : r.changes;
  return { changes, origin: r.origin, cause: r.cause };
}

/** Forgets the group once no level is pending under its key any more. */
export async function deletePushGroup(q: Queryable, tenantId: string, key: string): Promise<void> {
  await q.query(
    `delete from shopify_inventory_push_groups g where g.tenant_id = $1 and g.key = $2
       and not exists (select 1 from shopify_inventory_pushes p where p.tenant_id = $1 and p.pending_key = $2)`,
    [tenantId, key],
  );
}
