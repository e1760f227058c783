import type {
  FinancialStatus,
  FulfillmentStatus,
  LineItem,
  Order,
  ShippingAddress,
} from '../domain/entities.ts';
import type { LineItemDraft, OrderDraft, OrderUpdateDraft } from '../domain/order-input.ts';
import type { UpsertedRow } from './customers.ts';
import type { Queryable } from './db.ts';
import { escapeLike, type PageCursor } from './products.ts';

interface OrderDbRow {
  id: string;
  name: string;
  number: number;
  customer_id: string | null;
  email: string | null;
  phone: string | null;
  financial_status: FinancialStatus;
  fulfillment_status: FulfillmentStatus;
  currency: string;
  subtotal_price: string;
  total_tax: string;
  total_price: string;
  note: string;
  tags: string[];
  shipping_address: ShippingAddress | null;
  processed_at: Date;
  cancelled_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface LineItemDbRow {
  id: string;
  order_id: string;
  position: number;
  sku: string | null;
  title: string;
  quantity: number;
  unit_price: string;
  variant_id: string | null;
}

const ORDER_COLUMNS = `id, name, number, customer_id, email, phone, financial_status, fulfillment_status, currency,
  subtotal_price::text, total_tax::text, total_price::text, note, tags, shipping_address, processed_at, cancelled_at,
  closed_at, created_at, updated_at, version`;
const LINE_COLUMNS = 'id, order_id, position, sku, title, quantity, unit_price::text, variant_id';

function toLineItem(r: LineItemDbRow): LineItem {
  return {
    id: r.id,
    position: r.position,
    sku: r.sku,
    title: r.title,
    quantity: r.quantity,
    unitPrice: r.unit_price,
    variantId: r.variant_id,
  };
}

function toOrder(r: OrderDbRow, lineItems: LineItem[]): Order {
  return {
    id: r.id,
    name: r.name,
    number: r.number,
    customerId: r.customer_id,
    email: r.email,
    phone: r.phone,
    financialStatus: r.financial_status,
    fulfillmentStatus: r.fulfillment_status,
    currency: r.currency,
    subtotalPrice: r.subtotal_price,
    totalTax: r.total_tax,
    totalPrice: r.total_price,
    note: r.note,
    tags: r.tags,
    shippingAddress: r.shipping_address,
    lineItems,
    processedAt: r.processed_at,
    cancelledAt: r.cancelled_at,
    closedAt: r.closed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

async function withLineItems(q: Queryable, tenantId: string, rows: OrderDbRow[]): Promise<Order[]> {
  if (rows.length === 0) return [];
  const { rows: lines } = await q.query<LineItemDbRow>(
    `select ${LINE_COLUMNS} from order_line_items where tenant_id = $1 and order_id = any($2::uuid[])
     order by order_id, position`,
    [tenantId, rows.map((r) => r.id)],
  );
  const byOrder = new Map<string, LineItem[]>();
  for (const l of lines) byOrder.set(l.order_id, [...(byOrder.get(l.order_id) ?? []), toLineItem(l)]);
  return rows.map((r) => toOrder(r, byOrder.get(r.id) ?? []));
}

export async function getOrder(
  q: Queryable,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<Order | undefined> {
  const { rows } = await q.query<OrderDbRow>(
    `select ${ORDER_COLUMNS} from orders where tenant_id = $1 and id = $2${forUpdate ? ' for update' : ''}`,
    [tenantId, id],
  );
  return (await withLineItems(q, tenantId, rows))[0];
}

/** Several orders by id with their line items (missing ones are left out); locked when `forUpdate`. */
export async function getOrders(
  q: Queryable,
  tenantId: string,
  ids: readonly string[],
  forUpdate = false,
): Promise<Map<string, Order>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<OrderDbRow>(
    `select ${ORDER_COLUMNS} from orders where tenant_id = $1 and id = any($2::uuid[]) order by id${forUpdate ? ' for update' : ''}`,
    [tenantId, ids],
  );
  return new Map((await withLineItems(q, tenantId, rows)).map((o) => [o.id, o]));
}

/** Milliseconds since the epoch of a timestamp, cut to the millisecond as Date parsing cuts it. */
const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)`;

/**
 * Several orders by id with their line items, not locked, read as `getOrders` reads them (the same
 * values, line items by position) but answered as one JSON document: embedded PGlite decodes every
 * field of every row in JavaScript, and the reconciliation reads 50,000 orders and their lines a run.
 */
export async function getOrdersJson(
  q: Queryable,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, Order>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<{ orders: unknown[][] }>(
    `select coalesce(json_agg(json_build_array(o.id, o.name, o.number, o.customer_id, o.email, o.phone,
       o.financial_status, o.fulfillment_status, o.currency, o.subtotal_price::text, o.total_tax::text,
       o.total_price::text, o.note, o.tags, o.shipping_address, ${ms('o.processed_at')}, ${ms('o.cancelled_at')},
       ${ms('o.closed_at')}, ${ms('o.created_at')}, ${ms('o.updated_at')}, o.version,
       (select coalesce(json_agg(json_build_array(li.id, li.position, li.sku, li.title, li.quantity,
                                                  li.unit_price::text, li.variant_id) order by li.position), '[]')
          from order_line_items li where li.tenant_id = o.tenant_id and li.order_id = o.id)) order by o.id), '[]') as orders
     from orders o where o.tenant_id = $1 and o.id = any($2::uuid[])`,
    [tenantId, ids],
  );
  // Each order: its columns in ORDER_COLUMNS' order (times as epoch milliseconds), then its lines.
  const at = (n: unknown): Date | null => (n === null ? null : new Date(n as number));
  return new Map(
    (rows[0]?.orders ?? []).map((o): [string, Order] => {
      const row = {
        id: o[0],
        name: o[1],
        number: o[2],
        customer_id: o[3],
        email: o[4],
        phone: o[5],
        financial_status: o[6],
        fulfillment_status: o[7],
        currency: o[8],
        subtotal_price: o[9],
        total_tax: o[10],
        total_price: o[11],
        note: o[12],
        tags: o[13],
        shipping_address: o[14],
        processed_at: at(o[15]),
        cancelled_at: at(o[16]),
        closed_at: at(o[17]),
        created_at: at(o[18]),
        updated_at: at(o[19]),
        version: o[20],
      } as OrderDbRow;
      const lines = (o[21] as unknown[][]).map((l) =>
        toLineItem({
          id: l[0],
          order_id: row.id,
          position: l[1],
          sku: l[2],
          title: l[3],
          quantity: l[4],
          unit_price: l[5],
          variant_id: l[6],
        } as LineItemDbRow),
      );
      return [row.id, toOrder(row, lines)];
    }),
  );
}

export interface OrderFilter {
  /** Substring of the name ("#1001") or the email. */
  text?: string | undefined;
  /** Exact email, case-insensitive. */
  email?: string | undefined;
  customerId?: string | undefined;
  updatedSince?: Date | undefined;
}

/** Newest first, keyset-paginated on (processed_at, id): the cursor's `at` is the last order's processedAt. */
export async function listOrders(
  q: Queryable,
  tenantId: string,
  filter: OrderFilter,
  limit: number,
  after?: PageCursor,
): Promise<Order[]> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [tenantId];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.text)
    add(`(name ilike ? escape '\\' or email ilike ? escape '\\')`, `%${escapeLike(filter.text)}%`);
  if (filter.email) add('lower(email) = lower(?)', filter.email.trim());
  if (filter.customerId) add('customer_id = ?', filter.customerId);
  if (filter.updatedSince) add('updated_at >= ?', filter.updatedSince);
  if (after) {
    params.push(after.at, after.id);
    where.push(`(processed_at, id) < ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(limit);
  const { rows } = await q.query<OrderDbRow>(
    `select ${ORDER_COLUMNS} from orders where ${where.join(' and ')}
     order by processed_at desc, id desc limit $${params.length}`,
    params,
  );
  return withLineItems(q, tenantId, rows);
}

/** Serialises order numbering within a tenant until the transaction ends. */
export async function lockOrderNumbers(q: Queryable, tenantId: string): Promise<void> {
  await q.query(`select pg_advisory_xact_lock(hashtext('retailos.order_number'), hashtext($1::text))`, [
    tenantId,
  ]);
}

/** The tenant's highest order number + 1; the first order is 1001, as on Shopify. Call under lockOrderNumbers. */
export async function nextOrderNumber(q: Queryable, tenantId: string): Promise<number> {
  const { rows } = await q.query<{ next: number }>(
    'select coalesce(max(number), 1000) + 1 as next from orders where tenant_id = $1',
    [tenantId],
  );
  return (rows[0] as { next: number }).next;
}

export type OrderRowFields = Omit<OrderDraft, 'number' | 'processedAt' | 'lineItems'> & {
  number: number;
  processedAt: Date;
};

export async function insertOrder(
  q: Queryable,
  tenantId: string,
  f: OrderRowFields,
  now: Date,
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `insert into orders (tenant_id, name, number, customer_id, email, phone, financial_status, fulfillment_status,
       currency, subtotal_price, total_tax, total_price, note, tags, processed_at, created_at, updated_at,
       shipping_address)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17::jsonb) returning id`,
    [
      tenantId,
      `#${f.number}`,
      f.number,
      f.customerId,
      f.email,
      f.phone,
      f.financialStatus,
      f.fulfillmentStatus,
      f.currency,
      f.subtotalPrice,
      f.totalTax,
      f.totalPrice,
      f.note,
      f.tags,
      f.processedAt,
      now,
      jsonOrNull(f.shippingAddress),
    ],
  );
  return (rows[0] as { id: string }).id;
}

/** All of an order's line items in one statement. */
export function insertLineItems(
  q: Queryable,
  tenantId: string,
  orderId: string,
  items: readonly LineItemDraft[],
): Promise<void> {
  return insertOrderLines(
    q,
    tenantId,
    items.map((l) => ({ ...l, orderId })),
  );
}

/** Line items of any number of orders in one statement (a line without an id gets the database's). */
async function insertOrderLines(
  q: Queryable,
  tenantId: string,
  lines: readonly (LineItemDraft & { orderId: string; id?: string | undefined })[],
): Promise<void> {
  const json = JSON.stringify(
    lines.map((l) => ({
      id: l.id ?? null,
      order_id: l.orderId,
      position: l.position,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      variant_id: l.variantId,
    })),
  );
  await q.query(
    `insert into order_line_items (id, tenant_id, order_id, position, sku, title, quantity, unit_price, variant_id)
     select coalesce(r.id, gen_random_uuid()), $1, r.order_id, r.position, r.sku, r.title, r.quantity, r.unit_price,
       r.variant_id
     from jsonb_to_recordset($2::jsonb) as r(id uuid, order_id uuid, position integer, sku text, title text,
       quantity integer, unit_price numeric, variant_id uuid)`,
    [tenantId, json],
  );
}

export async function updateOrderRow(
  q: Queryable,
  tenantId: string,
  id: string,
  f: OrderUpdateDraft,
  now: Date,
): Promise<number> {
  const { rows } = await q.query<{ version: number }>(
    `update orders set email = $3, phone = $4, note = $5, tags = $6, customer_id = $7, financial_status = $8,
       fulfillment_status = $9, updated_at = $10, shipping_address = $11::jsonb, version = version + 1
     where tenant_id = $1 and id = $2 returning version`,
    [
      tenantId,
      id,
      f.email,
      f.phone,
      f.note,
      f.tags,
      f.customerId,
      f.financialStatus,
      f.fulfillmentStatus,
      now,
      jsonOrNull(f.shippingAddress),
    ],
  );
  return (rows[0] as { version: number }).version;
}

const jsonOrNull = (v: object | null): string | null => (v === null ? null : JSON.stringify(v));

/** Sets cancelled_at or closed_at (and updated_at) and bumps the version. */
export async function stampOrder(
  q: Queryable,
  tenantId: string,
  id: string,
  column: 'cancelled_at' | 'closed_at',
  now: Date,
): Promise<number> {
  const { rows } = await q.query<{ version: number }>(
    `update orders set ${column} = $3, updated_at = $3, version = version + 1
     where tenant_id = $1 and id = $2 returning version`,
    [tenantId, id, now],
  );
  return (rows[0] as { version: number }).version;
}

/** Deletes an order (its line items go with it); returns its last version, or undefined when absent. */
export async function deleteOrderRow(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<number | undefined> {
  const { rows } = await q.query<{ version: number }>(
    'delete from orders where tenant_id = $1 and id = $2 returning version',
    [tenantId, id],
  );
  return rows[0]?.version;
}

/** An order with caller-chosen ids (the sync resolves them, and its customer's and variants', from its id map). */
export interface OrderBatchRow extends Omit<
  Order,
  'createdAt' | 'updatedAt' | 'version' | 'lineItems' | 'customerId'
> {
  customerId: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** A line's `id`: the one it takes (the import's time-ordered ids); the database makes one if absent. */
  lineItems: readonly (Omit<LineItem, 'id' | 'variantId'> & { variantId: string | null; id?: string })[];
}

/**
 * Set-based upsert of many orders (one statement), then their line items replaced: the lines of the
 * orders listed in `existing` are deleted first (a new order has none). A row of another tenant is left
 * alone (not returned).
 */
export async function upsertOrderBatch(
  tx: Queryable,
  tenantId: string,
  orders: readonly OrderBatchRow[],
  existing: readonly string[],
): Promise<UpsertedRow[]> {
  const json = orders.map((o) => ({
    id: o.id,
    name: o.name,
    number: o.number,
    customer_id: o.customerId,
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
    shipping_address: o.shippingAddress,
    processed_at: o.processedAt.toISOString(),
    cancelled_at: o.cancelledAt?.toISOString() ?? null,
    closed_at: o.closedAt?.toISOString() ?? null,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
  }));
  const { rows } = await tx.query<UpsertedRow>(
    `insert into orders (id, tenant_id, name, number, customer_id, email, phone, financial_status, fulfillment_status, currency,
       subtotal_price, total_tax, total_price, note, tags, shipping_address, processed_at, cancelled_at, closed_at, created_at,
       updated_at)
     select r.id, $1, r.name, r.number, r.customer_id, r.email, r.phone, r.financial_status, r.fulfillment_status, r.currency,
       r.subtotal_price, r.total_tax, r.total_price, r.note, r.tags, r.shipping_address, r.processed_at, r.cancelled_at,
       r.closed_at, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, name text, number integer, customer_id uuid, email text, phone text,
       financial_status text, fulfillment_status text, currency text, subtotal_price numeric, total_tax numeric, total_price numeric,
       note text, tags text[], shipping_address jsonb, processed_at timestamptz, cancelled_at timestamptz, closed_at timestamptz,
       created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set name = excluded.name, number = excluded.number, customer_id = excluded.customer_id,
       email = excluded.email, phone = excluded.phone, financial_status = excluded.financial_status,
       fulfillment_status = excluded.fulfillment_status, currency = excluded.currency, subtotal_price = excluded.subtotal_price,
       total_tax = excluded.total_tax, total_price = excluded.total_price, note = excluded.note, tags = excluded.tags,
       shipping_address = excluded.shipping_address, processed_at = excluded.processed_at, cancelled_at = excluded.cancelled_at, closed_at = excluded.closed_at,
       updated_at = excluded.updated_at, version = orders.version + 1
     where orders.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [tenantId, JSON.stringify(json)],
  );
  if (rows.length !== orders.length) return rows;
  if (existing.length > 0)
    await tx.query('delete from order_line_items where tenant_id = $1 and order_id = any($2::uuid[])', [
      tenantId,
      existing,
    ]);
  await insertOrderLines(
    tx,
    tenantId,
    orders.flatMap((o) => o.lineItems.map((l) => ({ ...l, orderId: o.id }))),
  );
  return rows;
}

/** The order's name, e.g. #1001 (its name in Sync History and dead letters), or undefined when gone. */
export async function orderDisplayName(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ name: string }>(
    'select name from orders where tenant_id = $1 and id = $2',
    [tenantId, id],
  );
  return rows[0]?.name;
}

/**
 * Gives the customer back the orders (by their Shopify GIDs) that have no customer in Retailos: those
 * written while the customer was deleted here. Returns how many.
 */
export async function attachOrphanOrders(
  q: Queryable,
  tenantId: string,
  customerId: string,
  orderGids: readonly string[],
): Promise<number> {
  if (orderGids.length === 0) return 0;
  const { rows } = await q.query<{ id: string }>(
    `update orders o set customer_id = $2
       from shopify_links m
      where m.tenant_id = $1 and m.entity = 'order' and m.gid = any($3::text[])
        and o.tenant_id = m.tenant_id and o.id = m.local_id and o.customer_id is null
      returning o.id`,
    [tenantId, customerId, [...orderGids]],
  );
  return rows.length;
}
