import { expect } from 'vitest';
import type { Queryable } from '../src/db/db.ts';
import type { RunningEmulator } from './emulator.ts';

/**
 * Compares an imported tenant with the emulator store, field by field: products, variants and their
 * stock per location, customers, orders and their line items (shared by the import e2e tests).
 */

export interface EmuVariant {
  gid: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventory: { locationId: number; available: number; onHand: number }[];
}
export interface EmuProduct {
  gid: string;
  title: string;
  handle: string;
  status: string;
  vendor: string;
  productType: string;
  tags: string[];
  descriptionHtml: string;
  variants: EmuVariant[];
}
export interface EmuCustomer {
  gid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  note: string | null;
  tags: string[];
}
export interface EmuOrder {
  gid: string;
  name: string;
  number: number;
  email: string | null;
  customerId: number | null;
  financialStatus: string;
  fulfillmentStatus: string;
  subtotal: { shop: string };
  totalTax: { shop: string };
  total: { shop: string };
  note: string | null;
  tags: string[];
  lineItems: {
    sku: string | null;
    quantity: number;
    unitPrice: { shop: string };
    variantId: number | null;
  }[];
}

export async function emuList<T>(emu: RunningEmulator, shop: string, kind: string): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await emu.control<
      Record<string, T[]> & { pageInfo?: { hasNextPage: boolean; endCursor: string } }
    >('GET', `/shops/${shop}/${kind}?limit=250${after ? `&after=${after}` : ''}`);
    out.push(...(page[kind] ?? []));
    if (!page.pageInfo?.hasNextPage) return out;
    after = page.pageInfo.endCursor;
  }
}

export async function localIdOf(
  db: Queryable,
  tenantId: string,
  entity: string,
  gid: string,
): Promise<string> {
  const { rows } = await db.query<{ local_id: string }>(
    'select local_id from shopify_links where tenant_id = $1 and entity = $2 and gid = $3',
    [tenantId, entity, gid],
  );
  expect(rows, `${entity} ${gid} is mapped`).toHaveLength(1);
  return rows[0]!.local_id;
}

/**
 * Each record one import run wrote was written once: its version is still 1 (every rewrite adds one),
 * and the run's Sync History entries name it once. Returns the records named per kind. (The import
 * writes no change rows, decision 0007, so those no longer tell.)
 */
export async function expectWrittenOnce(db: Queryable, tenantId: string): Promise<Record<string, number>> {
  for (const table of ['products', 'customers', 'orders', 'locations', 'inventory_levels']) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from ${table} where tenant_id = $1 and version <> 1`,
      [tenantId],
    );
    expect(rows[0]?.n, `${table} written more than once`).toBe(0);
  }
  const { rows } = await db.query<{ entity: string; n: number; records: number }>(
    `select h.entity, count(*)::int as n, count(distinct e->>'local_id')::int as records
       from shopify_sync_history h, jsonb_array_elements(h.records) e
      where h.tenant_id = $1 and h.origin = 'import' group by h.entity order by h.entity`,
    [tenantId],
  );
  for (const r of rows) expect(r.n, `${r.entity} in Sync History more than once`).toBe(r.records);
  return Object.fromEntries(rows.map((r) => [r.entity, r.records]));
}

const money = (s: string | null) => (s === null ? null : Number(s).toFixed(2));

/** Asserts the tenant holds exactly the shop's records, field by field; returns the shop's lists. */
export async function expectImported(
  db: Queryable,
  emu: RunningEmulator,
  shop: string,
  tenant: string,
): Promise<{ products: EmuProduct[]; customers: EmuCustomer[]; orders: EmuOrder[] }> {
  const count = async (sql: string, params: unknown[]) =>
    Number((await db.query<{ n: number }>(sql, params)).rows[0]?.n);
  const products = await emuList<EmuProduct>(emu, shop, 'products');
  const variantCount = products.reduce((n, p) => n + p.variants.length, 0);
  expect(await count('select count(*)::int as n from products where tenant_id = $1', [tenant])).toBe(
    products.length,
  );
  expect(await count('select count(*)::int as n from variants where tenant_id = $1', [tenant])).toBe(
    variantCount,
  );
  let priceSum = 0;
  let stockSum = 0;
  for (const p of products) {
    const id = await localIdOf(db, tenant, 'product', p.gid);
    const { rows } = await db.query<Record<string, unknown>>('select * from products where id = $1', [id]);
    expect(rows[0]).toMatchObject({
      title: p.title,
      handle: p.handle,
      status: p.status.toLowerCase(),
      vendor: p.vendor,
      product_type: p.productType,
      description_html: p.descriptionHtml,
      tags: [...p.tags].sort(),
    });
    for (const v of p.variants) {
      const vid = await localIdOf(db, tenant, 'variant', v.gid);
      const { rows: vr } = await db.query<{
        sku: string | null;
        price: string;
        compare_at_price: string | null;
        product_id: string;
      }>('select sku, price::text, compare_at_price::text, product_id from variants where id = $1', [vid]);
      expect({
        ...vr[0],
        price: money(vr[0]!.price),
        compare_at_price: money(vr[0]!.compare_at_price),
      }).toEqual({
        sku: v.sku || null,
        price: money(v.price),
        compare_at_price: money(v.compareAtPrice),
        product_id: id,
      });
      priceSum += Number(v.price);
      for (const level of v.inventory) {
        const loc = await localIdOf(db, tenant, 'location', `gid://shopify/Location/${level.locationId}`);
        const { rows: lr } = await db.query<{ available: number; on_hand: number }>(
          'select available, on_hand from inventory_levels where variant_id = $1 and location_id = $2',
          [vid, loc],
        );
        expect(lr[0]).toEqual({ available: level.available, on_hand: level.onHand });
        stockSum += level.available;
      }
    }
  }
  const sums = await db.query<{ prices: string; stock: number }>(
    `select (select sum(price)::text from variants where tenant_id = $1) as prices,
            (select sum(available)::int from inventory_levels where tenant_id = $1) as stock`,
    [tenant],
  );
  expect(Number(sums.rows[0]?.prices).toFixed(2)).toBe(priceSum.toFixed(2));
  expect(sums.rows[0]?.stock).toBe(stockSum);

  const customers = await emuList<EmuCustomer>(emu, shop, 'customers');
  expect(await count('select count(*)::int as n from customers where tenant_id = $1', [tenant])).toBe(
    customers.length,
  );
  for (const c of customers) {
    const id = await localIdOf(db, tenant, 'customer', c.gid);
    const { rows } = await db.query<Record<string, unknown>>('select * from customers where id = $1', [id]);
    expect(rows[0]).toMatchObject({
      email: c.email?.toLowerCase() ?? null,
      first_name: c.firstName ?? '',
      last_name: c.lastName ?? '',
      phone: c.phone,
      note: c.note ?? '',
      tags: [...c.tags].sort(),
    });
  }

  const orders = await emuList<EmuOrder>(emu, shop, 'orders');
  expect(await count('select count(*)::int as n from orders where tenant_id = $1', [tenant])).toBe(
    orders.length,
  );
  for (const o of orders) {
    const id = await localIdOf(db, tenant, 'order', o.gid);
    const { rows } = await db.query<Record<string, unknown>>(
      `select name, number, email, customer_id, financial_status, fulfillment_status, subtotal_price::text, total_tax::text,
         total_price::text, note, tags from orders where id = $1`,
      [id],
    );
    const customerId =
      o.customerId === null
        ? null
        : await localIdOf(db, tenant, 'customer', `gid://shopify/Customer/${o.customerId}`);
    expect({
      ...rows[0],
      subtotal_price: money(rows[0]!['subtotal_price'] as string),
      total_tax: money(rows[0]!['total_tax'] as string),
      total_price: money(rows[0]!['total_price'] as string),
    }).toEqual({
      name: o.name,
      number: o.number,
      email: o.email?.toLowerCase() ?? null,
      customer_id: customerId,
      financial_status: o.financialStatus.toLowerCase(),
      fulfillment_status: o.fulfillmentStatus.toLowerCase(),
      subtotal_price: money(o.subtotal.shop),
      total_tax: money(o.totalTax.shop),
      total_price: money(o.total.shop),
      note: o.note ?? '',
      tags: [...o.tags].sort(),
    });
    const { rows: lines } = await db.query<{
      sku: string | null;
      quantity: number;
      unit_price: string;
      variant_id: string | null;
    }>(
      'select sku, quantity, unit_price::text, variant_id from order_line_items where order_id = $1 order by position',
      [id],
    );
    const expected = [];
    for (const l of o.lineItems) {
      const variantId =
        l.variantId === null
          ? null
          : await localIdOf(db, tenant, 'variant', `gid://shopify/ProductVariant/${l.variantId}`);
      expected.push({
        sku: l.sku,
        quantity: l.quantity,
        unit_price: money(l.unitPrice.shop),
        variant_id: variantId,
      });
    }
    expect(lines.map((l) => ({ ...l, unit_price: money(l.unit_price) }))).toEqual(expected);
  }
  return { products, customers, orders };
}
