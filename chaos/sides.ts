// Both sides' final state, every record of every synced entity, in one shape keyed by Shopify's GID
// (a Retailos record Shopify never linked is keyed `local:<uuid>`), so they can be compared field by field.
import type { Queryable } from '../src/db/db.ts';
import type { RunningEmulator } from '../test-support/emulator.ts';
import type { Entity, Ref } from './ledger.ts';

export type Fields = Record<string, unknown>;
export type Kind = 'product' | 'variant' | 'inventory_level' | 'customer' | 'order' | 'location';

/** One side: records per kind, keyed by GID (inventory levels by `<variant GID>@<location GID>`). */
export type SideState = Record<Kind, Map<string, Fields>>;

const GID_TYPE: Record<Entity | 'location', string> = {
  product: 'Product',
  variant: 'ProductVariant',
  customer: 'Customer',
  order: 'Order',
  location: 'Location',
};
export const gidOf = (entity: Entity | 'location', id: number | string): string =>
  `gid://shopify/${GID_TYPE[entity]}/${id}`;

const money = (s: unknown): string | null => (s === null || s === undefined ? null : Number(s).toFixed(2));
const tagsOf = (t: unknown): string[] => [...((t as string[] | null) ?? [])].sort();
const lower = (s: unknown): string | null => (typeof s === 'string' ? s.toLowerCase() : null);
const orEmpty = (s: unknown): string => (typeof s === 'string' ? s : '');
const blankNull = (s: unknown): string | null => (typeof s === 'string' && s !== '' ? s : null);

const emptyState = (): SideState => ({
  product: new Map(),
  variant: new Map(),
  inventory_level: new Map(),
  customer: new Map(),
  order: new Map(),
  location: new Map(),
});

async function emuList<T>(emu: RunningEmulator, shop: string, kind: string): Promise<T[]> {
  const out: T[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await emu.control<Record<string, T[]>>(
      'GET',
      `/shops/${shop}/${kind}?limit=250${after === undefined ? '' : `&after=${after}`}`,
    );
    const items = page[kind] ?? [];
    out.push(...items);
    if (items.length < 250) return out;
    after = (items.at(-1) as { id: number }).id;
  }
}

interface EmuProduct {
  id: number;
  title: string;
  handle: string;
  status: string;
  vendor: string;
  productType: string;
  descriptionHtml: string;
  tags: string[];
  variants: {
    id: number;
    sku: string | null;
    price: string;
    compareAtPrice: string | null;
    inventory: { locationId: number; available: number; onHand: number }[];
  }[];
}
interface EmuCustomer {
  id: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
}
export interface EmuOrder {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
  financialStatus: string;
  fulfillmentStatus: string;
  cancelledAt: string | null;
  subtotal: { shop: string };
  totalTax: { shop: string };
  total: { shop: string };
  lineItems: { sku: string | null; quantity: number; unitPrice: { shop: string } }[];
}

/** Shopify's side, read through the emulator's control API (what the merchant's admin shows). */
export async function readShopify(emu: RunningEmulator, shop: string): Promise<SideState> {
  const s = emptyState();
  for (const p of await emuList<EmuProduct>(emu, shop, 'products')) {
    const pk = gidOf('product', p.id);
    s.product.set(pk, {
      title: p.title,
      handle: p.handle,
      status: p.status.toLowerCase(),
      vendor: p.vendor,
      productType: p.productType,
      descriptionHtml: p.descriptionHtml,
      tags: tagsOf(p.tags),
    });
    for (const v of p.variants) {
      const vk = gidOf('variant', v.id);
      s.variant.set(vk, {
        product: pk,
        sku: blankNull(v.sku),
        price: money(v.price),
        compareAtPrice: money(v.compareAtPrice),
      });
      for (const l of v.inventory)
        s.inventory_level.set(`${vk}@${gidOf('location', l.locationId)}`, {
          available: l.available,
          onHand: l.onHand,
        });
    }
  }
  for (const c of await emuList<EmuCustomer>(emu, shop, 'customers'))
    s.customer.set(gidOf('customer', c.id), customerFields(c));
  for (const o of await emuList<EmuOrder>(emu, shop, 'orders'))
    s.order.set(gidOf('order', o.id), {
      name: o.name,
      email: lower(o.email),
      phone: o.phone,
      note: orEmpty(o.note),
      tags: tagsOf(o.tags),
      financialStatus: o.financialStatus.toLowerCase(),
      fulfillmentStatus: o.fulfillmentStatus.toLowerCase(),
      cancelled: o.cancelledAt !== null,
      subtotal: money(o.subtotal.shop),
      totalTax: money(o.totalTax.shop),
      total: money(o.total.shop),
      lines: o.lineItems.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        unitPrice: money(l.unitPrice.shop),
      })),
    });
  const summary = await emu.control<{ locations: { id: number; name: string; isActive: boolean }[] }>(
    'GET',
    `/shops/${shop}`,
  );
  for (const l of summary.locations)
    s.location.set(gidOf('location', l.id), { name: l.name, active: l.isActive });
  return s;
}

function customerFields(c: {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
}): Fields {
  return {
    email: lower(c.email),
    firstName: orEmpty(c.firstName),
    lastName: orEmpty(c.lastName),
    phone: c.phone,
    note: orEmpty(c.note),
    tags: tagsOf(c.tags),
  };
}

/** How Retailos's ids become GIDs: its id map, and for records gone since, the GIDs its history names. */
export interface Keys {
  /** `<entity>:<uuid>` → GID. */
  gids: Map<string, string>;
  /** Retailos's key for a local record. */
  key(entity: Entity | 'location', localId: string): string;
  /** The key of a record as the ledger names it. */
  ref(r: Ref): string;
  /** inventory_levels.id → the level's key. */
  levels: Map<string, string>;
}

export async function readKeys(db: Queryable, tenantId: string): Promise<Keys> {
  const gids = new Map<string, string>();
  const history = await db.query<{ entity: string; local_id: string; gid: string }>(
    `select distinct entity, local_id::text, gid from shopify_sync_history
      where tenant_id = $1 and local_id is not null and gid is not null and entity in ('product', 'customer', 'order')`,
    [tenantId],
  );
  for (const r of history.rows) gids.set(`${r.entity}:${r.local_id}`, r.gid);
  const map = await db.query<{ entity: string; local_id: string; gid: string }>(
    'select entity, local_id::text, gid from shopify_links where tenant_id = $1',
    [tenantId],
  );
  for (const r of map.rows) gids.set(`${r.entity}:${r.local_id}`, r.gid);
  const key = (entity: string, id: string) => gids.get(`${entity}:${id}`) ?? `local:${id}`;
  const levels = new Map<string, string>();
  const rows = await db.query<{ id: string; variant_id: string; location_id: string }>(
    'select id::text, variant_id::text, location_id::text from inventory_levels where tenant_id = $1',
    [tenantId],
  );
  for (const l of rows.rows)
    levels.set(l.id, `${key('variant', l.variant_id)}@${key('location', l.location_id)}`);
  return {
    gids,
    key,
    levels,
    ref: (r) => (r.side === 'shopify' ? gidOf(r.entity, r.id) : key(r.entity, r.id)),
  };
}

type Row = Record<string, unknown>;

/** Retailos's side, read from its database (the processes stopped). */
export async function readRetailos(db: Queryable, tenantId: string, keys: Keys): Promise<SideState> {
  const s = emptyState();
  const q = async (sql: string) => (await db.query<Row>(sql, [tenantId])).rows;
  const id = (r: Row) => String(r['id']);
  for (const p of await q(
    'select id, title, handle, status, vendor, product_type, description_html, tags from products where tenant_id = $1',
  ))
    s.product.set(keys.key('product', id(p)), {
      title: p['title'],
      handle: p['handle'],
      status: String(p['status']).toLowerCase(),
      vendor: p['vendor'],
      productType: p['product_type'],
      descriptionHtml: p['description_html'],
      tags: tagsOf(p['tags']),
    });
  for (const v of await q(
    'select id, product_id, sku, price::text, compare_at_price::text from variants where tenant_id = $1',
  ))
    s.variant.set(keys.key('variant', id(v)), {
      product: keys.key('product', String(v['product_id'])),
      sku: blankNull(v['sku']),
      price: money(v['price']),
      compareAtPrice: money(v['compare_at_price']),
    });
  for (const l of await q('select id, available, on_hand from inventory_levels where tenant_id = $1'))
    s.inventory_level.set(keys.levels.get(id(l)) as string, {
      available: l['available'],
      onHand: l['on_hand'],
    });
  for (const c of await q(
    'select id, email, first_name, last_name, phone, note, tags from customers where tenant_id = $1',
  ))
    s.customer.set(
      keys.key('customer', id(c)),
      customerFields({
        email: c['email'] as string | null,
        firstName: c['first_name'] as string | null,
        lastName: c['last_name'] as string | null,
        phone: c['phone'] as string | null,
        note: c['note'] as string | null,
        tags: c['tags'] as string[],
      }),
    );
  await readOrders(q, s, keys);
  for (const l of await q('select id, name, active from locations where tenant_id = $1'))
    s.location.set(keys.key('location', id(l)), { name: l['name'], active: l['active'] });
  return s;
}

async function readOrders(q: (sql: string) => Promise<Row[]>, s: SideState, keys: Keys): Promise<void> {
  const lines = new Map<string, Row[]>();
  for (const l of await q(
    `select order_id, sku, quantity, unit_price::text from order_line_items
      where order_id in (select id from orders where tenant_id = $1) order by order_id, position`,
  ))
    lines.set(String(l['order_id']), [...(lines.get(String(l['order_id'])) ?? []), l]);
  for (const o of await q(
    `select id, name, email, phone, note, tags, financial_status, fulfillment_status, cancelled_at,
            subtotal_price::text, total_tax::text, total_price::text from orders where tenant_id = $1`,
  ))
    s.order.set(keys.key('order', String(o['id'])), {
      name: o['name'],
      email: lower(o['email']),
      phone: o['phone'],
      note: orEmpty(o['note']),
      tags: tagsOf(o['tags']),
      financialStatus: String(o['financial_status']).toLowerCase(),
      fulfillmentStatus: String(o['fulfillment_status']).toLowerCase(),
      cancelled: o['cancelled_at'] !== null,
      subtotal: money(o['subtotal_price']),
      totalTax: money(o['total_tax']),
      total: money(o['total_price']),
      lines: (lines.get(String(o['id'])) ?? []).map((l) => ({
        sku: l['sku'],
        quantity: l['quantity'],
        unitPrice: money(l['unit_price']),
      })),
    });
}
