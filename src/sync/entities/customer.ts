import { updateCustomer } from '../../core/customers.ts';
import type { Queryable } from '../../db/db.ts';
import { deleteCustomerRow, getCustomer, getCustomers, upsertCustomerBatch } from '../../db/customers.ts';
import { attachOrphanOrders } from '../../db/orders.ts';
import { hasRecentUnlinkedKeylessCustomer, linkIds, unlinkedLocalIdByKey } from '../../db/shopify-id-map.ts';
import type { CustomerInput } from '../../domain/customer-input.ts';
import type { Address, Customer } from '../../domain/entities.ts';
import { CUSTOMER_MERGE_RULES } from '../../domain/merge-rules.ts';
import {
  customerSnapshot,
  mapCustomer,
  type CustomerFromShopify,
  type Json,
  type ShopifyCustomer,
} from '../../domain/shopify-map/index.ts';
import { writeDelta } from '../../domain/shopify-map/write-delta.ts';
import { PermanentError } from '../../errors.ts';
import type { ShopSession } from '../shop-session.ts';
import type { BulkPush, EntityAdapter, KeptOnShopify } from './adapter.ts';
import { localWrites } from './local-writes.ts';
import {
  prepareRecords,
  writeRecords,
  type BatchContext,
  type Planned,
  type PreparedBatch,
} from './batch.ts';
import type { RecordGroup } from './record-group.ts';
import { changedFields } from './snapshot-write.ts';
import { call, estimateCost, refuseOn, type UserError } from './shopify-write.ts';
import {
  mutationDocument,
  mutationsCost,
  noTagChange,
  tagAnswers,
  tagDelta,
  tagMutations,
  type MutationPart,
} from './tag-writes.ts';

/** The customer fields Retailos syncs, as GraphQL selects them (read, bulk read, customerSet's answer). */
export const CUSTOMER_FIELDS = `id firstName lastName defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber } note tags createdAt updatedAt
  addresses { firstName lastName company address1 address2 city province zip country countryCodeV2 phone }`;

const READ = `query CustomerForSync($id: ID!) { customer(id: $id) { ${CUSTOMER_FIELDS} } }`;

const SET = `mutation PushCustomer($identifier: CustomerSetIdentifiers, $input: CustomerSetInput!) {
  customerSet(identifier: $identifier, input: $input) { customer { ${CUSTOMER_FIELDS} } userErrors { field message code } }
}`;

const DELETE = `mutation DeleteCustomer($input: CustomerDeleteInput!) {
  customerDelete(input: $input) { deletedCustomerId userErrors { field message } }
}`;

function mapped(node: ShopifyCustomer): CustomerFromShopify {
  const m = mapCustomer(node);
  if (!m.ok)
    throw new PermanentError(`Shopify's customer ${node.id} cannot be mapped: ${m.reason}`, 'mapping');
  return m.value;
}

async function readCustomer(s: ShopSession, gid: string): Promise<CustomerFromShopify | undefined> {
  const { data } = await call<{ customer: ShopifyCustomer | null }>(s, READ, { id: gid });
  return data.customer ? mapped(data.customer) : undefined;
}

const BY_EMAIL = `query CustomerByEmail($identifier: CustomerIdentifierInput!) {
  customerByIdentifier(identifier: $identifier) { ${CUSTOMER_FIELDS} }
}`;

/**
 * Before a creation is pushed: Shopify's customer with the email it is made by, when there is one — made
 * by an earlier attempt whose answer was lost. customerSet by email would update it with the whole
 * record again, over Shopify edits made since (issue 16's chaos, seed 18: a note set on Shopify while
 * the creation was retried through an outage, lost).
 */
async function customerWithEmail(s: ShopSession, email: string): Promise<CustomerFromShopify | undefined> {
  const { data } = await call<{ customerByIdentifier: ShopifyCustomer | null }>(s, BY_EMAIL, {
    identifier: { emailAddress: email },
  });
  return data.customerByIdentifier ? mapped(data.customerByIdentifier) : undefined;
}

interface SnapCustomer {
  email: string | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  note: string;
  tags: string[];
  addresses: Address[];
}

/** CustomerSetInput for a snapshot: lists given replace Shopify's (tags, addresses). */
export function customerSetInput(c: SnapCustomer): Record<string, unknown> {
  return {
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    note: c.note,
    tags: c.tags,
    addresses: c.addresses.map((a) => ({ ...a })),
  };
}

/**
 * customerSet's variables that make Shopify hold `merged` (only what differs from `remote`, when given;
 * tags as a whole list): a creation's, and a line of the reconciliation's bulk push. The live push of a
 * customer Shopify has sends a tag change as deltas instead (`pushCustomer`).
 */
function customerPushVariables(
  merged: Json,
  at: { gid: string | null; remote?: CustomerFromShopify | undefined },
): Record<string, unknown> {
  const snap = merged as unknown as SnapCustomer;
  // Only what changes: a Shopify edit of another field since our read is left as it is.
  const was =
    at.gid && at.remote
      ? customerSetInput(customerSnapshot(at.remote) as unknown as SnapCustomer)
      : undefined;
  // A creation is keyed by the email: a retry after a timeout finds the customer made the first time.
  const identifier = at.gid ? { id: at.gid } : snap.email ? { email: snap.email } : null;
  return { identifier, input: writeDelta(customerSetInput(snap), was, { keep: [] }) };
}

/** What customerSet answered: Shopify's customer; a refusal throws. */
function customerPushAnswer(data: Record<string, unknown>, merged: Json): CustomerFromShopify {
  const snap = merged as unknown as SnapCustomer;
  const r = data['customerSet'] as { customer: ShopifyCustomer | null; userErrors: UserError[] };
  refuseOn(`the customer ${snap.email ?? `${snap.firstName} ${snap.lastName}`}`, r.userErrors);
  if (!r.customer) throw new PermanentError('customerSet returned no customer', 'shopify_no_customer');
  return mapped(r.customer);
}

/**
 * Makes Shopify hold `merged`. A customer Shopify has gets only what differs from our read, and a tag
 * change as deltas (tag-writes.ts): customerSet's `tags` replaces Shopify's list, so a tag added on
 * Shopify between our read and our write would be written over, and no customers/update delivery carries
 * tags (since 2025-01) to tell it afterwards. customerSet (the other fields), tagsRemove and tagsAdd go
 * as one request, in that order; the last one's answer is Shopify's customer after all of them. Each is
 * idempotent, and a retry reads Shopify again and merges, so one that went through before a failure is
 * neither lost nor doubled. A creation sends the whole list through customerSet.
 */
async function pushCustomer(
  s: ShopSession,
  merged: Json,
  at: { gid: string | null; remote?: CustomerFromShopify | undefined },
): Promise<CustomerFromShopify> {
  if (!at.gid || !at.remote) {
    const { data } = await call<Record<string, unknown>>(s, SET, customerPushVariables(merged, at));
    return customerPushAnswer(data, merged);
  }
  const snap = merged as unknown as SnapCustomer;
  const what = `the customer ${snap.email ?? `${snap.firstName} ${snap.lastName}`}`;
  const read = customerSnapshot(at.remote) as unknown as SnapCustomer;
  const { tags: _read, ...was } = customerSetInput(read);
  const { tags: _next, ...next } = customerSetInput(snap);
  const input = writeDelta(next, was, { keep: [] });
  const tags = tagDelta(read.tags, snap.tags);
  const sets = Object.keys(input).length > 0 || noTagChange(tags);
  const parts = tagMutations(at.gid, tags, 'Customer', CUSTOMER_FIELDS, true);
  const set: MutationPart[] = sets
    ? [
        {
          declares: ['$identifier: CustomerSetIdentifiers', '$input: CustomerSetInput!'],
          field: `customerSet(identifier: $identifier, input: $input) { customer { ${parts.length > 0 ? 'id' : CUSTOMER_FIELDS} } userErrors { field message code } }`,
          variables: { identifier: { id: at.gid }, input },
          key: 'customerSet',
        },
      ]
    : [];
  const all = [...set, ...parts];
  const doc = mutationDocument('PushCustomer', all);
  const { data } = await call<Record<string, unknown>>(
    s,
    doc.query,
    doc.variables,
    mutationsCost(estimateCost(SET), all.length),
  );
  if (sets) {
    const r = data['customerSet'] as { customer: ShopifyCustomer | null; userErrors: UserError[] };
    refuseOn(what, r.userErrors);
    if (parts.length === 0) return customerPushAnswer(data, merged);
  }
  return mapped(tagAnswers(data, parts, what) as unknown as ShopifyCustomer);
}

/** Customers pushed as lines of a bulk mutation (the reconciliation's bulk repairs, decision 0008). */
export const CUSTOMER_BULK_PUSH: BulkPush<CustomerFromShopify, Customer> = {
  node: {
    type: 'Customer',
    selection: CUSTOMER_FIELDS,
    map: (node) => mapped(node as unknown as ShopifyCustomer),
  },
  mutation: SET,
  variables: customerPushVariables,
  answer: customerPushAnswer,
};

/** Why Shopify kept a customer: their order count, and their newest orders (to link them back). */
const ORDERS_OF = `query CustomerOrders($id: ID!) { customer(id: $id) { numberOfOrders orders(last: 25) { nodes { id } } } }`;

/** Sync History's words when Shopify refuses to delete a customer who has orders. */
export const CUSTOMER_KEPT = 'Shopify kept the customer: they have orders';

/**
 * Deletes the customer on Shopify. Shopify never deletes a customer who has orders: that refusal is
 * final, so it answers `kept` (Retailos takes the customer back) instead of failing the push.
 */
async function deleteCustomer(s: ShopSession, gid: string): Promise<void | KeptOnShopify> {
  const { data } = await call<{ customerDelete: { userErrors: UserError[] } }>(s, DELETE, {
    input: { id: gid },
  });
  const errors = data.customerDelete.userErrors.filter(
    (e) => !/does not exist|not found|can.t be found/i.test(e.message),
  );
  if (errors.length === 0) return;
  // The refusal's words are not a contract; the customer's order count is.
  const { data: read } = await call<{
    customer: { numberOfOrders: string; orders: { nodes: { id: string }[] } } | null;
  }>(s, ORDERS_OF, { id: gid });
  if (!read.customer || BigInt(read.customer.numberOfOrders) === 0n)
    return refuseOn('to delete the customer', errors);
  // Orders that reached Retailos while the customer was deleted there were written without them.
  const orders = read.customer.orders.nodes.map((o) => o.id);
  return {
    kept: CUSTOMER_KEPT,
    restore: async (tx, tenantId, localId) => {
      await attachOrphanOrders(tx, tenantId, localId, orders);
    },
  };
}

/**
 * How long a new email-less customer from Shopify waits while an email-less customer created in
 * Retailos is still unlinked (its push may be what created it); after that it is created in Retailos.
 */
const KEYLESS_CREATION_WAIT_MS = 2 * 60_000;

/** The customer fields a snapshot write sends to the back office's update (every synced one). */
const CUSTOMER_WRITABLE = ['email', 'firstName', 'lastName', 'phone', 'note', 'tags', 'addresses'];

export function customerAdapter(newId: () => string): EntityAdapter<CustomerFromShopify, Customer> {
  return {
    entity: 'customer',
    rules: CUSTOMER_MERGE_RULES,
    remoteSnapshot: (r) => customerSnapshot(r),
    localSnapshot: (l) => customerSnapshot(l),
    loadLocal: (q, tenantId, id, forUpdate) => getCustomer(q, tenantId, id, forUpdate),
    loadLocals: (q, tenantId, ids, forUpdate) => getCustomers(q, tenantId, ids, forUpdate),
    readRemote: readCustomer,
    findCreated: (s, local) => (local.email ? customerWithEmail(s, local.email) : Promise.resolve(undefined)),
    pushRemote: pushCustomer,
    bulkPush: CUSTOMER_BULK_PUSH,
    deleteRemote: deleteCustomer,
    // customerSet creates by email: Shopify's customer with the email of an unlinked one is ours.
    unlinkedMatch: async (tx, tenantId, remote) =>
      remote.email ? unlinkedLocalIdByKey(tx, tenantId, 'customer', remote.email) : undefined,
    // With no email there is no key: one created here in the last minutes and not linked may be it.
    mayBeOwnCreation: async (tx, tenantId, remote, now) =>
      !remote.email &&
      hasRecentUnlinkedKeylessCustomer(tx, tenantId, new Date(now.getTime() - KEYLESS_CREATION_WAIT_MS)),
    ...localWrites({
      kind: 'customer',
      newId,
      snapshot: customerSnapshot,
      upsert: upsertCustomers,
      deleteRow: deleteCustomerRow,
      link: (tx, tenantId, remote, localId, now) =>
        linkIds(tx, tenantId, 'customer', [{ gid: remote.gid, localId }], now),
    }),
    writeSnapshot: async (db, ctx, record, target, current) => {
      await updateCustomer(
        db,
        ctx,
        record.id,
        changedFields(CUSTOMER_WRITABLE, target, current) as CustomerInput,
      );
    },
    displayName: (s) => {
      const c = s as unknown as Partial<SnapCustomer>;
      return c.email ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || 'customer');
    },
    searchWords: (s) => {
      const c = s as unknown as Partial<SnapCustomer>;
      return [c.firstName ?? '', c.lastName ?? '', c.phone ?? ''];
    },
  };
}

/** Writes Shopify's customers to Retailos in one set-based statement (ids from the id map). */
export function upsertCustomers(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<CustomerFromShopify>[],
): Promise<Map<string, string>> {
  return writeRecords(tx, ctx, 'customer', items, (ids) =>
    upsertCustomerBatch(
      tx,
      ctx.tenantId,
      items.map(({ mapped: c }) => ({ ...c, id: ids.get(c.gid) as string })),
    ),
  );
}

/** One batch of customer lines (bulk JSONL or a page). */
export function prepareCustomerBatch(groups: readonly RecordGroup[]): PreparedBatch {
  return prepareRecords(
    groups,
    'customer',
    (g) => mapCustomer(g.root as unknown as ShopifyCustomer),
    customerSnapshot,
    upsertCustomers,
    (c) => c.updatedAt,
  );
}
