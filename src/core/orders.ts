import { recordChanges } from '../db/changes.ts';
import { customerExists } from '../db/customers.ts';
import type { Db, Queryable } from '../db/db.ts';
import { foreignIds } from '../db/inventory.ts';
import {
  getOrder,
  insertLineItems,
  insertOrder,
  listOrders,
  lockOrderNumbers,
  nextOrderNumber,
  stampOrder,
  updateOrderRow,
  type OrderFilter,
} from '../db/orders.ts';
import type { PageCursor } from '../db/products.ts';
import { rethrowConstraint } from './unique.ts';
import { isUuid } from '../domain/customer-input.ts';
import type { Order } from '../domain/entities.ts';
import {
  decideOrder,
  decideOrderUpdate,
  type OrderInput,
  type OrderUpdateInput,
} from '../domain/order-input.ts';
import { validationFailed } from './customers.ts';
import { changedKeys } from '../domain/merge-json.ts';
import { orderSnapshot } from '../domain/shopify-map/snapshot.ts';
import { CoreError, notFound, requireVersion } from './errors.ts';
import { commitWrite, type WriteContext } from './write-context.ts';

async function loadOrThrow(tx: Queryable, ctx: WriteContext, id: string): Promise<Order> {
  const o = isUuid(id) ? await getOrder(tx, ctx.tenantId, id, true) : undefined;
  if (!o) throw notFound('order', id);
  return o;
}

async function requireCustomer(tx: Queryable, tenantId: string, customerId: string | null): Promise<void> {
  if (customerId !== null && !(await customerExists(tx, tenantId, customerId)))
    throw notFound('customer', customerId);
}

async function requireVariants(
  tx: Queryable,
  tenantId: string,
  variantIds: readonly (string | null)[],
): Promise<void> {
  const ids = variantIds.flatMap((v) => (v === null ? [] : [v]));
  if (ids.length === 0) return;
  const foreign = (await foreignIds(tx, tenantId, ids, [])).variants[0];
  if (foreign !== undefined) throw notFound('variant', foreign);
}

/**
 * Creates an order named "#<number>"; the number is the tenant's max + 1 (from 1001) unless given.
 * Subtotal is Σ quantity × unitPrice (a given subtotal must match), total = subtotal + tax.
 */
export async function createOrder(db: Db, ctx: WriteContext, input: OrderInput): Promise<Order> {
  const decision = decideOrder(input);
  if (!decision.ok) throw validationFailed(decision.problems);
  const { lineItems, ...draft } = decision.draft;
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    await requireCustomer(tx, ctx.tenantId, draft.customerId);
    await requireVariants(
      tx,
      ctx.tenantId,
      lineItems.map((l) => l.variantId),
    );
    await lockOrderNumbers(tx, ctx.tenantId);
    const number = draft.number ?? (await nextOrderNumber(tx, ctx.tenantId));
    const id = await insertOrder(
      tx,
      ctx.tenantId,
      { ...draft, number, processedAt: draft.processedAt ?? now },
      now,
    );
    await insertLineItems(tx, ctx.tenantId, id, lineItems);
    const made = (await getOrder(tx, ctx.tenantId, id)) as Order;
    const fields = changedKeys(null, orderSnapshot(made));
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'order', entityId: id, version: 1, op: 'create', fields, at: now },
    ]);
    return made;
  }).catch(rethrowConstraint);
}

/**
 * Changes the writable fields only (email, phone, note, tags, customerId, statuses, shipping address);
 * with `expectedVersion`, only if the order is still at that version (else conflict `stale_version`).
 */
export async function updateOrder(
  db: Db,
  ctx: WriteContext,
  id: string,
  input: OrderUpdateInput,
  expectedVersion?: number,
): Promise<Order> {
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    const current = await loadOrThrow(tx, ctx, id);
    requireVersion('order', current, expectedVersion);
    const decision = decideOrderUpdate(input, current);
    if (!decision.ok) throw validationFailed(decision.problems);
    if (decision.draft.customerId !== current.customerId)
      await requireCustomer(tx, ctx.tenantId, decision.draft.customerId);
    const version = await updateOrderRow(tx, ctx.tenantId, id, decision.draft, now);
    return recordUpdate(tx, ctx, current, version, now);
  });
}

/** The change row of an update (with the snapshot fields it changed); returns the order as written. */
async function recordUpdate(
  tx: Queryable,
  ctx: WriteContext,
  before: Order,
  version: number,
  at: Date,
): Promise<Order> {
  const after = (await getOrder(tx, ctx.tenantId, before.id)) as Order;
  const fields = changedKeys(orderSnapshot(before), orderSnapshot(after));
  await recordChanges(tx, ctx.tenantId, ctx.origin, [
    { entity: 'order', entityId: before.id, version, op: 'update', fields, at },
  ]);
  return after;
}

async function stamp(db: Db, ctx: WriteContext, id: string, what: 'cancel' | 'close'): Promise<Order> {
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    const current = await loadOrThrow(tx, ctx, id);
    if (what === 'cancel' && current.cancelledAt) {
      throw new CoreError('conflict', 'already_cancelled', 'the order is already cancelled', {
        id,
        cancelledAt: current.cancelledAt,
      });
    }
    if (what === 'close' && current.closedAt) {
      throw new CoreError('conflict', 'already_closed', 'the order is already closed', {
        id,
        closedAt: current.closedAt,
      });
    }
    const version = await stampOrder(
      tx,
      ctx.tenantId,
      id,
      what === 'cancel' ? 'cancelled_at' : 'closed_at',
      now,
    );
    return recordUpdate(tx, ctx, current, version, now);
  });
}

/** Sets cancelledAt to now; a second cancel is refused with conflict `already_cancelled`. */
export function cancelOrder(db: Db, ctx: WriteContext, id: string): Promise<Order> {
  return stamp(db, ctx, id, 'cancel');
}

/** Sets closedAt to now; a second close is refused with conflict `already_closed`. */
export function closeOrder(db: Db, ctx: WriteContext, id: string): Promise<Order> {
  return stamp(db, ctx, id, 'close');
}

export async function findOrder(db: Db, tenantId: string, id: string): Promise<Order> {
  const o = isUuid(id) ? await getOrder(db, tenantId, id) : undefined;
  if (!o) throw notFound('order', id);
  return o;
}

export function searchOrders(
  db: Db,
  tenantId: string,
  filter: OrderFilter,
  limit: number,
  after?: PageCursor,
): Promise<Order[]> {
  return listOrders(db, tenantId, filter, limit, after);
}
