import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../../test-support/db.ts';
import { insertTenant } from '../../test-support/tenant.ts';
import { pageOf } from '../http/schemas/common.ts';
import { productJson, productToJson } from '../http/schemas/product.ts';
import {
  insertProduct,
  listProducts,
  listProductsJson,
  replaceVariants,
  type PageCursor,
  type ProductFields,
  type ProductFilter,
} from './products.ts';

let t: TestDb;
let tenantId: string;
const at = new Date('2026-03-01T10:00:00Z');

function fields(title: string, extra: Partial<ProductFields> = {}): ProductFields {
  return {
    title,
    handle: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    descriptionHtml: '',
    vendor: 'V',
    productType: 'T',
    status: 'active',
    tags: [],
    ...extra,
  };
}

beforeAll(async () => {
  t = await openTestDb();
  tenantId = await insertTenant(t.db);
  const awkward = 'Quote " back \\ slash / <script>alert(1)</script> tab\t nl\n ctl\u0001\u001f é 😀 \u2028';
  const a = await insertProduct(
    t.db,
    tenantId,
    fields('Awkward text', { descriptionHtml: awkward, vendor: awkward, tags: ['a"b', 'c\\d', 'é'] }),
    at,
  );
  await replaceVariants(
    t.db,
    tenantId,
    a,
    [
      {
        sku: null,
        barcode: null,
        price: '0.0001',
        compareAtPrice: '999999999999999.9999',
        optionValues: [
          { name: 'Size', value: 'M "medium"' },
          { name: 'Colour', value: 'Crème' },
        ],
        position: 2,
      },
      { sku: 'AWK-1', barcode: '123', price: '12.50', compareAtPrice: null, optionValues: [], position: 1 },
    ],
    at,
  );
  await insertProduct(t.db, tenantId, fields('No variants', { status: 'draft' }), at);
  for (let i = 0; i < 4; i++) {
    const id = await insertProduct(t.db, tenantId, fields(`Plain ${i}`, { tags: ['x'] }), at);
    await replaceVariants(
      t.db,
      tenantId,
      id,
      [{ sku: `PLAIN-${i}`, barcode: null, price: '1', compareAtPrice: null, optionValues: [], position: 1 }],
      at,
    );
  }
  // Microseconds (as SQL now() writes them) and ties on created_at, which the keyset breaks by id.
  await t.db.query(
    `update products set created_at = '2026-03-01 10:00:00.123456+00', updated_at = '2026-03-02 23:59:59.999999+00'
      where tenant_id = $1 and title in ('Awkward text', 'Plain 1')`,
    [tenantId],
  );
});
afterAll(async () => {
  await t.close();
});

/** What the endpoint wrote before the JSON came from SQL: row objects → productToJson → zod → JSON. */
async function viaObjects(filter: ProductFilter, limit: number, after?: PageCursor) {
  const items = await listProducts(t.db, tenantId, filter, limit, after);
  const last = items.at(-1);
  return {
    json: JSON.stringify(
      pageOf(productJson).parse({ items: items.map(productToJson), next_cursor: null }).items,
    ),
    count: items.length,
    last: last && { at: last.createdAt, id: last.id },
  };
}

describe('listProductsJson', () => {
  it.each<[string, ProductFilter, number]>([
    ['everything', {}, 50],
    ['a short page', {}, 3],
    ['a text search', { text: 'awkward' }, 10],
    ['a SKU', { sku: 'PLAIN-2' }, 10],
    ['a status', { status: 'draft' }, 10],
    ['nothing', { text: 'no such product' }, 10],
  ])('writes the same items as the object path for %s', async (_, filter, limit) => {
    const expected = await viaObjects(filter, limit);
    const page = await listProductsJson(t.db, tenantId, filter, limit);
    // Same fields in the same order with the same values (Postgres' whitespace aside).
    expect(JSON.stringify(JSON.parse(page.itemsJson.toString('utf8')))).toBe(expected.json);
    expect(page.count).toBe(expected.count);
    expect(page.last).toEqual(expected.last);
  });

  it('gives the same pages once Postgres runs the prepared plain list from its cached generic plan', async () => {
    const expected = await viaObjects({}, 2);
    const next = await viaObjects({}, 2, expected.last);
    const plans = await t.db.transaction(async (tx) => {
      for (let run = 0; run < 7; run++) {
        const page = await listProductsJson(tx, tenantId, {}, 2);
        expect(JSON.stringify(JSON.parse(page.itemsJson.toString('utf8')))).toBe(expected.json);
        const after = await listProductsJson(tx, tenantId, {}, 2, page.last);
        expect(JSON.stringify(JSON.parse(after.itemsJson.toString('utf8')))).toBe(next.json);
      }
      const { rows } = await tx.query<{ name: string; generic_plans: number }>(
        `select name, generic_plans from pg_prepared_statements
          where name in ('products_list_json_2', 'products_list_json_after_2') order by name`,
      );
      return rows;
    });
    if (t.db.kind === 'postgres') {
      expect(plans.map((p) => p.name)).toEqual(['products_list_json_2', 'products_list_json_after_2']);
      for (const p of plans) expect(p.generic_plans).toBeGreaterThan(0);
    } else expect(plans).toEqual([]); // PGlite runs it unnamed
  });

  it('refuses a page size that is not a positive integer', async () => {
    await expect(listProductsJson(t.db, tenantId, {}, 0)).rejects.toThrow(RangeError);
    await expect(listProductsJson(t.db, tenantId, {}, 2.5)).rejects.toThrow(RangeError);
  });

  it('pages with the cursor of its last item exactly as the object path does', async () => {
    let after: PageCursor | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const expected = await viaObjects({}, 2, after);
      const page = await listProductsJson(t.db, tenantId, {}, 2, after);
      expect(JSON.stringify(JSON.parse(page.itemsJson.toString('utf8')))).toBe(expected.json);
      expect(page.last).toEqual(expected.last);
      if (!page.last) return;
      after = page.last;
    }
    expect.unreachable('six products fit in four pages of two');
  });
});
