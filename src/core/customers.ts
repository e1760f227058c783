import { recordChanges } from '../db/changes.ts';
import type { Db, Queryable } from '../db/db.ts';
import {
  customerHasOrders,
  deleteCustomerRow,
  getCustomer,
  insertCustomer,
  listCustomers,
  updateCustomerRow,
  type CustomerFilter,
} from '../db/customers.ts';
import type { PageCursor } from '../db/products.ts';
import { rethrowConstraint } from './unique.ts';
import {
  decideCustomer,
  isUuid,
  type CustomerDraft,
  type CustomerInput,
  type FieldProblem,
} from '../domain/customer-input.ts';
import type { Customer } from '../domain/entities.ts';
import { changedKeys } from '../domain/merge-json.ts';
import { customerSnapshot } from '../domain/shopify-map/snapshot.ts';
import { CoreError, notFound, requireVersion } from './errors.ts';
import { commitWrite, type WriteContext } from './write-context.ts';

export function validationFailed(problems: readonly FieldProblem[]): CoreError {
  const first = problems[0];
  const message = first ? `${first.field}: ${first.message}` : 'input refused';
  return new CoreError('invalid', 'validation_failed', message, { problems });
}

function checked(input: CustomerInput, current?: Customer): CustomerDraft {
  const decision = decideCustomer(input, current);
  if (!decision.ok) throw validationFailed(decision.problems);
  return decision.draft;
}

async function loadOrThrow(tx: Queryable, ctx: WriteContext, id: string): Promise<Customer> {
  const c = isUuid(id) ? await getCustomer(tx, ctx.tenantId, id, true) : undefined;
  if (!c) throw notFound('customer', id);
  return c;
}

export async function createCustomer(db: Db, ctx: WriteContext, input: CustomerInput): Promise<Customer> {
  const draft = checked(input);
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    const c = await insertCustomer(tx, ctx.tenantId, draft, now);
    const fields = changedKeys(null, customerSnapshot(c));
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'customer', entityId: c.id, version: c.version, op: 'create', fields, at: now },
    ]);
    return c;
  }).catch(rethrowConstraint);
}

/** With `expectedVersion`, only if the customer is still at that version (else conflict `stale_version`). */
export async function updateCustomer(
  db: Db,
  ctx: WriteContext,
  id: string,
  input: CustomerInput,
  expectedVersion?: number,
): Promise<Customer> {
  const now = ctx.clock.now();
  return commitWrite(db, ctx, async (tx) => {
    const current = await loadOrThrow(tx, ctx, id);
    requireVersion('customer', current, expectedVersion);
    const c = await updateCustomerRow(tx, ctx.tenantId, id, checked(input, current), now);
    const fields = changedKeys(customerSnapshot(current), customerSnapshot(c));
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'customer', entityId: id, version: c.version, op: 'update', fields, at: now },
    ]);
    return c;
  }).catch(rethrowConstraint);
}

/** Refused with conflict `customer_has_orders` while any order references the customer, as on Shopify. */
export async function deleteCustomer(db: Db, ctx: WriteContext, id: string): Promise<void> {
  await commitWrite(db, ctx, async (tx) => {
    await loadOrThrow(tx, ctx, id);
    if (await customerHasOrders(tx, ctx.tenantId, id)) {
      throw new CoreError('conflict', 'customer_has_orders', 'a customer with orders cannot be deleted', {
        id,
      });
    }
    const version = (await deleteCustomerRow(tx, ctx.tenantId, id)) as number;
    await recordChanges(tx, ctx.tenantId, ctx.origin, [
      { entity: 'customer', entityId: id, version: version + 1, op: 'delete' },
    ]);
  });
}

export async function findCustomer(db: Db, tenantId: string, id: string): Promise<Customer> {
  const c = isUuid(id) ? await getCustomer(db, tenantId, id) : undefined;
  if (!c) throw notFound('customer', id);
  return c;
}

export function searchCustomers(
  db: Db,
  tenantId: string,
  filter: CustomerFilter,
  limit: number,
  after?: PageCursor,
): Promise<Customer[]> {
  return listCustomers(db, tenantId, filter, limit, after);
}
