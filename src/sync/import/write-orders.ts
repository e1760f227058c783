import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import { linkNewIds, localIdsOf } from '../../db/shopify-id-map.ts';
import {
  mapOrder,
  orderSnapshot,
  type OrderFromShopify,
  type ShopifyLineItem,
  type ShopifyOrder,
} from '../../domain/shopify-map/index.ts';
import {
  assignIds,
  freshLinks,
  type BatchContext,
  type Planned,
  prepareRecords,
  type PreparedBatch,
} from './batch.ts';
import type { RecordGroup } from './jsonl.ts';

/**
 * Orders and their line items. A customer or variant Shopify names but we do not have (deleted, or
 * created after its export) leaves the reference empty; the order keeps its email and line titles.
 */
export async function upsertOrders(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<OrderFromShopify>[],
): Promise<Map<string, string>> {
  const t = ctx.tenantId;
  const orders = items.map((i) => i.mapped);
  const known = await localIdsOf(
    tx,
    t,
    'order',
    orders.map((o) => o.gid),
  );
  const ids = assignIds(
    known,
    orders.map((o) => o.gid),
    ctx.newId,
  );
  const customers = await localIdsOf(
    tx,
    t,
    'customer',
    orders.flatMap((o) => (o.customerGid ? [o.customerGid] : [])),
  );
  const variants = await localIdsOf(
    tx,
    t,
    'variant',
    orders.flatMap((o) => o.lineItems.flatMap((l) => (l.variantGid ? [l.variantGid] : []))),
  );
  const json = orders.map((o) => ({
    id: ids.get(o.gid),
    name: o.name,
    number: o.number,
    customer_id: o.customerGid ? (customers.get(o.customerGid) ?? null) : null,
    email: o.email,
    phone: o.phone,
    financial_status: o.financialStatus,
    fulfillment_status: o.fulfillmentStatus,
    currency: o.currency,
    subtotal_price: o.subtotalPrice,
    total_tax: o.totalTax,
    total_price: o.totalPrice,
    note: o.note,
    tags: o.tags,
    processed_at: o.processedAt.toISOString(),
    cancelled_at: o.cancelledAt?.toISOString() ?? null,
    closed_at: o.closedAt?.toISOString() ?? null,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
  }));
  const { rows } = await tx.query<{ id: string; version: number; inserted: boolean }>(
    `insert into orders (id, tenant_id, name, number, customer_id, email, phone, financial_status, fulfillment_status, currency,
       subtotal_price, total_tax, total_price, note, tags, processed_at, cancelled_at, closed_at, created_at, updated_at)
     select r.id, $1, r.name, r.number, r.customer_id, r.email, r.phone, r.financial_status, r.fulfillment_status, r.currency,
       r.subtotal_price, r.total_tax, r.total_price, r.note, r.tags, r.processed_at, r.cancelled_at, r.closed_at, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, name text, number integer, customer_id uuid, email text, phone text,
       financial_status text, fulfillment_status text, currency text, subtotal_price numeric, total_tax numeric, total_price numeric,
       note text, tags text[], processed_at timestamptz, cancelled_at timestamptz, closed_at timestamptz, created_at timestamptz,
       updated_at timestamptz)
     on conflict (id) do update set name = excluded.name, number = excluded.number, customer_id = excluded.customer_id,
       email = excluded.email, phone = excluded.phone, financial_status = excluded.financial_status,
       fulfillment_status = excluded.fulfillment_status, currency = excluded.currency, subtotal_price = excluded.subtotal_price,
       total_tax = excluded.total_tax, total_price = excluded.total_price, note = excluded.note, tags = excluded.tags,
       processed_at = excluded.processed_at, cancelled_at = excluded.cancelled_at, closed_at = excluded.closed_at,
       updated_at = excluded.updated_at, version = orders.version + 1
     where orders.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [t, JSON.stringify(json)],
  );
  if (rows.length !== items.length) throw new Error('order batch: some ids belong to another tenant');
  // Only orders already here have line items to replace: a new order's id was made just now.
  if (known.size > 0)
    await tx.query('delete from order_line_items where tenant_id = $1 and order_id = any($2::uuid[])', [
      t,
      [...known.values()],
    ]);
  const lines = orders.flatMap((o) =>
    o.lineItems.map((l) => ({
      order_id: ids.get(o.gid),
      position: l.position,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      variant_id: l.variantGid ? (variants.get(l.variantGid) ?? null) : null,
    })),
  );
  await tx.query(
    `insert into order_line_items (tenant_id, order_id, position, sku, title, quantity, unit_price, variant_id)
     select $1, r.order_id, r.position, r.sku, r.title, r.quantity, r.unit_price, r.variant_id
     from jsonb_to_recordset($2::jsonb) as r(order_id uuid, position integer, sku text, title text, quantity integer,
       unit_price numeric, variant_id uuid)`,
    [t, JSON.stringify(lines)],
  );
  await recordChanges(
    tx,
    t,
    'shopify',
    rows.map((r) => ({
      entity: 'order',
      entityId: r.id,
      version: r.version,
      op: r.inserted ? 'create' : 'update',
    })),
  );
  await linkNewIds(tx, t, 'order', freshLinks(ids, known), ctx.now);
  return ids;
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
