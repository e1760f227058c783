import { updateOrder } from '../../core/orders.ts';
import type { Queryable } from '../../db/db.ts';
import { deleteOrderRow, getOrder, getOrders, getOrdersJson, upsertOrderBatch } from '../../db/orders.ts';
import { linkIds, liveLocalIdsOf } from '../../db/shopify-id-map.ts';
import { SHIPPING_ADDRESS_FIELDS, type Order, type ShippingAddress } from '../../domain/entities.ts';
import { ORDER_MERGE_RULES } from '../../domain/merge-rules.ts';
import type { OrderUpdateInput } from '../../domain/order-input.ts';
import {
  mapOrder,
  orderSnapshot,
  type Json,
  type OrderFromShopify,
  type ShopifyLineItem,
  type ShopifyOrder,
} from '../../domain/shopify-map/index.ts';
import { writeDelta } from '../../domain/shopify-map/write-delta.ts';
import { PermanentError } from '../../errors.ts';
import type { ShopSession } from '../shop-session.ts';
import type { BulkPush, EntityAdapter } from './adapter.ts';
import { localWrites } from './local-writes.ts';
import {
  prepareRecords,
  writeRecords,
  type BatchContext,
  type Planned,
  type PreparedBatch,
} from './batch.ts';
import type { RecordGroup } from './record-group.ts';
import { changedFields, differs } from './snapshot-write.ts';
import { call, estimateCost, refuseOn, type UserError } from './shopify-write.ts';
import {
  mutationDocument,
  mutationsCost,
  tagAnswers,
  tagDelta,
  tagMutations,
  type MutationPart,
} from './tag-writes.ts';

const money = 'shopMoney { amount currencyCode }';
/** The order fields Retailos syncs, as GraphQL selects them (read, bulk read, orderUpdate's answer). */
export const ORDER_FIELDS = `id name email phone customer { id } displayFinancialStatus displayFulfillmentStatus currencyCode
  subtotalPriceSet { ${money} } totalTaxSet { ${money} } totalPriceSet { ${money} }
  note tags processedAt cancelledAt closedAt createdAt updatedAt
  shippingAddress { firstName lastName company address1 address2 city provinceCode countryCodeV2 zip phone }`;
export const LINE_ITEM_FIELDS = `id sku title quantity originalUnitPriceSet { ${money} } variant { id }`;
const FIELDS = `${ORDER_FIELDS}
  lineItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }`;

const READ = `query OrderForSync($id: ID!, $after: String) { order(id: $id) { ${FIELDS} } }`;

/** orderUpdate writes only OrderInput's fields: email, phone, note, tags, shippingAddress (the rest is Shopify's). */
const UPDATE = `mutation PushOrder($input: OrderInput!, $after: String) {
  orderUpdate(input: $input) { order { ${FIELDS} } userErrors { field message } }
}`;

interface OrderNode extends ShopifyOrder {
  lineItems: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ShopifyLineItem[] };
}

function mapped(node: OrderNode, lines: ShopifyLineItem[]): OrderFromShopify {
  const m = mapOrder(node, lines);
  if (!m.ok) throw new PermanentError(`Shopify's order ${node.id} cannot be mapped: ${m.reason}`, 'mapping');
  return m.value;
}

async function readOrder(s: ShopSession, gid: string): Promise<OrderFromShopify | undefined> {
  const lines: ShopifyLineItem[] = [];
  let after: string | null = null;
  for (;;) {
    const res: { data: { order: OrderNode | null } } = await call(s, READ, { id: gid, after });
    const node = res.data.order;
    if (!node) return undefined;
    lines.push(...node.lineItems.nodes);
    if (!node.lineItems.pageInfo.hasNextPage) return mapped(node, lines);
    after = node.lineItems.pageInfo.endCursor;
  }
}

interface SnapOrder {
  name: string;
  email: string | null;
  phone: string | null;
  note: string;
  tags: string[];
  shippingAddress?: ShippingAddress;
}

/**
 * The shipping address for orderUpdate, only when it differs from Shopify's (the input overwrites the
 * whole address, so every line is sent, a blank one as null); undefined leaves Shopify's as it is.
 */
function shippingAddressInput(
  merged: SnapOrder,
  remote: OrderFromShopify | undefined,
): Record<string, string | null> | null | undefined {
  const next = merged.shippingAddress ?? null;
  if (remote && !differs(next as Json | null, remote.shippingAddress as Json | null)) return undefined;
  if (next === null) return null;
  return Object.fromEntries(SHIPPING_ADDRESS_FIELDS.map((k) => [k, next[k] ?? null]));
}

/** The OrderInput fields Retailos writes, besides the shipping address. */
const orderInput = (o: SnapOrder): Record<string, unknown> => ({
  email: o.email,
  phone: o.phone,
  note: o.note,
  tags: o.tags,
});

/**
 * orderUpdate's variables that make Shopify hold `merged` (only what differs from `remote`, when given;
 * tags as a whole list): a line of the reconciliation's bulk push. The live push sends a tag change as
 * deltas instead (`pushOrder`).
 */
function orderPushVariables(
  merged: Json,
  at: { gid: string | null; remote: OrderFromShopify | undefined },
): Record<string, unknown> {
  const snap = merged as unknown as SnapOrder;
  if (!at.gid) {
    throw new PermanentError(
      `the order ${snap.name} exists only in Retailos; orders are created in Shopify, not pushed to it`,
      'unsupported',
    );
  }
  const shippingAddress = shippingAddressInput(snap, at.remote);
  return {
    input: {
      id: at.gid,
      // Only what changes: a Shopify edit of another field since our read is left as it is.
      ...writeDelta(
        orderInput(snap),
        at.remote && orderInput(orderSnapshot(at.remote) as unknown as SnapOrder),
        { keep: [] },
      ),
      ...(shippingAddress === undefined ? {} : { shippingAddress }),
    },
    after: null,
  };
}

const orderOfNode = (n: Record<string, unknown>): OrderFromShopify | 'read' => {
  const node = n as unknown as OrderNode;
  return node.lineItems.pageInfo.hasNextPage ? 'read' : mapped(node, node.lineItems.nodes);
};

/** What orderUpdate answered: Shopify's order, 'read' when its lines need more pages; a refusal throws. */
function orderPushAnswer(data: Record<string, unknown>, merged: Json): OrderFromShopify | 'read' {
  const r = data['orderUpdate'] as { order: OrderNode | null; userErrors: UserError[] };
  refuseOn(`the order ${(merged as unknown as SnapOrder).name}`, r.userErrors);
  if (!r.order) throw new PermanentError('orderUpdate returned no order', 'shopify_no_order');
  return orderOfNode(r.order as unknown as Record<string, unknown>);
}

/**
 * Makes Shopify hold `merged`: only what differs from our read, and a tag change as deltas (tagsRemove,
 * tagsAdd: tag-writes.ts) in the same request after orderUpdate, since orderUpdate's `tags` replaces
 * Shopify's list and would write over a tag added on Shopify between our read and our write. The last
 * mutation's answer is Shopify's order after all of them.
 */
async function pushOrder(
  s: ShopSession,
  merged: Json,
  at: { gid: string | null; remote: OrderFromShopify | undefined },
): Promise<OrderFromShopify> {
  const whole = orderPushVariables(merged, at);
  const snap = merged as unknown as SnapOrder;
  const { tags: _next, ...input } = whole['input'] as Record<string, unknown>;
  const tags = at.remote
    ? tagDelta((orderSnapshot(at.remote) as unknown as SnapOrder).tags, snap.tags)
    : undefined;
  const parts = at.gid && tags ? tagMutations(at.gid, tags, 'Order', FIELDS, true) : [];
  if (parts.length === 0) return orderAnswer(s, await call(s, UPDATE, whole), merged);
  const what = `the order ${snap.name}`;
  const updates = Object.keys(input).length > 1; // more than its id
  const all: MutationPart[] = [
    ...(updates
      ? [
          {
            declares: ['$input: OrderInput!'],
            field: 'orderUpdate(input: $input) { order { id } userErrors { field message } }',
            variables: { input },
            key: 'orderUpdate',
          },
        ]
      : []),
    ...parts,
  ];
  const doc = mutationDocument('PushOrder', all, {
    declares: ['$after: String'],
    variables: { after: null },
  });
  const { data } = await call<Record<string, unknown>>(
    s,
    doc.query,
    doc.variables,
    mutationsCost(estimateCost(UPDATE), all.length),
  );
  if (updates) refuseOn(what, (data['orderUpdate'] as { userErrors: UserError[] }).userErrors);
  const node = tagAnswers(data, parts, what) as unknown as OrderNode;
  const pushed = orderOfNode(node as unknown as Record<string, unknown>);
  return pushed !== 'read' ? pushed : ((await readOrder(s, node.id)) ?? mapped(node, node.lineItems.nodes));
}

/** orderUpdate's answer as Shopify's order (its lines read on when they need more pages). */
async function orderAnswer(
  s: ShopSession,
  { data }: { data: Record<string, unknown> },
  merged: Json,
): Promise<OrderFromShopify> {
  const pushed = orderPushAnswer(data, merged);
  if (pushed !== 'read') return pushed;
  const node = (data['orderUpdate'] as { order: OrderNode }).order;
  return (await readOrder(s, node.id)) ?? mapped(node, node.lineItems.nodes);
}

/** Orders pushed as lines of a bulk mutation (the reconciliation's bulk repairs, decision 0008). */
export const ORDER_BULK_PUSH: BulkPush<OrderFromShopify, Order> = {
  node: {
    type: 'Order',
    selection: `${ORDER_FIELDS} lineItems(first: 20) { pageInfo { hasNextPage endCursor } nodes { ${LINE_ITEM_FIELDS} } }`,
    map: orderOfNode,
  },
  mutation: UPDATE,
  variables: orderPushVariables,
  answer: orderPushAnswer,
};

/** The order fields an app can write (orderUpdate); the rest of an order is Shopify's. */
export const ORDER_REVERTABLE = ['email', 'phone', 'note', 'tags', 'shippingAddress'];

export function orderAdapter(newId: () => string): EntityAdapter<OrderFromShopify, Order> {
  return {
    entity: 'order',
    rules: ORDER_MERGE_RULES,
    createsRemote: false,
    deletesRemote: false,
    remoteSnapshot: (r) => orderSnapshot(r),
    localSnapshot: (l) => orderSnapshot(l),
    loadLocal: (q, tenantId, id, forUpdate) => getOrder(q, tenantId, id, forUpdate),
    // Unlocked reads (the reconciliation's compare, a webhook batch's first look) as one JSON document.
    loadLocals: (q, tenantId, ids, forUpdate) =>
      forUpdate ? getOrders(q, tenantId, ids, true) : getOrdersJson(q, tenantId, ids),
    readRemote: readOrder,
    pushRemote: pushOrder,
    bulkPush: ORDER_BULK_PUSH,
    deleteRemote: () =>
      Promise.reject(new PermanentError('orders are not deleted on Shopify from Retailos', 'unsupported')),
    ...localWrites({
      kind: 'order',
      newId,
      snapshot: orderSnapshot,
      upsert: upsertOrders,
      deleteRow: deleteOrderRow,
      link: (tx, tenantId, remote, localId, now) =>
        linkIds(tx, tenantId, 'order', [{ gid: remote.gid, localId }], now),
    }),
    writeSnapshot: async (db, ctx, record, target, current) => {
      await updateOrder(
        db,
        ctx,
        record.id,
        changedFields(ORDER_REVERTABLE, target, current) as OrderUpdateInput,
      );
    },
    displayName: (s) => String((s as { name?: unknown }).name ?? 'order'),
    searchWords: (s) => {
      const o = s as unknown as Partial<SnapOrder>;
      const to = o.shippingAddress;
      return [o.email ?? '', o.phone ?? '', to?.firstName ?? '', to?.lastName ?? '', to?.city ?? ''];
    },
  };
}

/**
 * Writes Shopify's orders and their line items to Retailos (set-based). A customer or variant Shopify
 * names but we do not have (deleted, or created after its export) leaves the reference empty; the order
 * keeps its email and line titles. A variant or customer deleted in Retailos whose link is still there (the
 * deletion not yet on Shopify) is one we do not have: before, the order named it and the write failed.
 */
export function upsertOrders(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<OrderFromShopify>[],
): Promise<Map<string, string>> {
  const orders = items.map((i) => i.mapped);
  return writeRecords(tx, ctx, 'order', items, async (ids, known) => {
    const customerGids = orders.flatMap((o) => (o.customerGid ? [o.customerGid] : []));
    const variantGids = orders.flatMap((o) =>
      o.lineItems.flatMap((l) => (l.variantGid ? [l.variantGid] : [])),
    );
    const customers = await liveLocalIdsOf(tx, ctx.tenantId, 'customer', customerGids);
    const variants = await liveLocalIdsOf(tx, ctx.tenantId, 'variant', variantGids);
    const rows = orders.map((o) => ({
      ...o,
      id: ids.get(o.gid) as string,
      customerId: o.customerGid ? (customers.get(o.customerGid) ?? null) : null,
      // A line's id is new each write (an order's lines are replaced); from ctx.newId (time-ordered in the import).
      lineItems: o.lineItems.map((l) => ({
        ...l,
        id: ctx.newId(),
        variantId: l.variantGid ? (variants.get(l.variantGid) ?? null) : null,
      })),
    }));
    // Only orders already here have line items to replace: a new order's id was made just now.
    return upsertOrderBatch(tx, ctx.tenantId, rows, [...known.values()]);
  });
}

/** One batch of order groups (order line + line item lines). */
export function prepareOrderBatch(groups: readonly RecordGroup[]): PreparedBatch {
  return prepareRecords(
    groups,
    'order',
    (g) => mapOrder(g.root as unknown as ShopifyOrder, g.children as unknown as ShopifyLineItem[]),
    orderSnapshot,
    upsertOrders,
    (o) => o.updatedAt,
  );
}
