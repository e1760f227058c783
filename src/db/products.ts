import type { Product, ProductStatus, Variant } from '../domain/entities.ts';
import type { QueryOptions, Queryable } from './db.ts';

interface ProductDbRow {
  id: string;
  title: string;
  handle: string;
  description_html: string;
  vendor: string;
  product_type: string;
  status: ProductStatus;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

interface VariantDbRow {
  id: string;
  product_id: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compare_at_price: string | null;
  option_values: Variant['optionValues'];
  position: number;
}

export type ProductFields = Omit<Product, 'id' | 'variants' | 'createdAt' | 'updatedAt' | 'version'>;

function toVariant(r: VariantDbRow): Variant {
  return {
    id: r.id,
    sku: r.sku,
    barcode: r.barcode,
    price: r.price,
    compareAtPrice: r.compare_at_price,
    optionValues: r.option_values,
    position: r.position,
  };
}

function toProduct(r: ProductDbRow, variants: Variant[]): Product {
  return {
    id: r.id,
    title: r.title,
    handle: r.handle,
    descriptionHtml: r.description_html,
    vendor: r.vendor,
    productType: r.product_type,
    status: r.status,
    tags: r.tags,
    variants,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

const PRODUCT_COLUMNS =
  'id, title, handle, description_html, vendor, product_type, status, tags, created_at, updated_at, version';
const VARIANT_COLUMNS = 'id, product_id, sku, barcode, price, compare_at_price, option_values, position';

async function withVariants(q: Queryable, tenantId: string, rows: ProductDbRow[]): Promise<Product[]> {
  if (rows.length === 0) return [];
  const { rows: vrows } = await q.query<VariantDbRow>(
    `select ${VARIANT_COLUMNS} from variants where tenant_id = $1 and product_id = any($2::uuid[]) order by product_id, position, id`,
    [tenantId, rows.map((r) => r.id)],
  );
  const byProduct = new Map<string, Variant[]>();
  for (const v of vrows) {
    const list = byProduct.get(v.product_id) ?? [];
    list.push(toVariant(v));
    byProduct.set(v.product_id, list);
  }
  return rows.map((r) => toProduct(r, byProduct.get(r.id) ?? []));
}

export async function getProduct(
  q: Queryable,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<Product | undefined> {
  const { rows } = await q.query<ProductDbRow>(
    `select ${PRODUCT_COLUMNS} from products where tenant_id = $1 and id = $2${forUpdate ? ' for update' : ''}`,
    [tenantId, id],
  );
  return (await withVariants(q, tenantId, rows))[0];
}

/** Several products by id (missing ones are left out), in two queries; locked when `forUpdate`. */
export async function getProducts(
  q: Queryable,
  tenantId: string,
  ids: readonly string[],
  forUpdate = false,
): Promise<Map<string, Product>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<ProductDbRow>(
    `select ${PRODUCT_COLUMNS} from products where tenant_id = $1 and id = any($2::uuid[]) order by id${forUpdate ? ' for update' : ''}`,
    [tenantId, ids],
  );
  return new Map((await withVariants(q, tenantId, rows)).map((p) => [p.id, p]));
}

export interface ProductFilter {
  text?: string | undefined;
  sku?: string | undefined;
  updatedSince?: Date | undefined;
  status?: ProductStatus | undefined;
}

export interface PageCursor {
  at: Date;
  id: string;
}

/** The WHERE clause and parameters of a product list (alias `p`), shared by both list forms. */
function listWhere(tenantId: string, filter: ProductFilter, after?: PageCursor) {
  const where = ['p.tenant_id = $1'];
  const params: unknown[] = [tenantId];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.text) {
    // A variant's SKU matches too (the list shows it): probed per candidate product through
    // variants_product_idx, so no extra index is needed.
    add(
      `(p.title ilike ? escape '\\' or p.handle ilike ? escape '\\' or p.vendor ilike ? escape '\\'
        or exists (select 1 from variants t where t.product_id = p.id and t.sku ilike ? escape '\\'))`,
      `%${escapeLike(filter.text)}%`,
    );
  }
  if (filter.sku)
    add(
      'p.id in (select product_id from variants s where s.tenant_id = p.tenant_id and s.sku = ?)',
      filter.sku,
    );
  if (filter.updatedSince) add('p.updated_at >= ?', filter.updatedSince);
  if (filter.status) add('p.status = ?', filter.status);
  if (after) {
    params.push(after.at, after.id);
    where.push(`(p.created_at, p.id) < ($${params.length - 1}, $${params.length}::uuid)`);
  }
  return { where: where.join(' and '), params };
}

/**
 * Newest first, keyset-paginated on (created_at, id). One round trip: each product row carries its
 * variants as a JSON array built by Postgres (price::text keeps the decimal string exact).
 */
export async function listProducts(
  q: Queryable,
  tenantId: string,
  filter: ProductFilter,
  limit: number,
  after?: PageCursor,
): Promise<Product[]> {
  const { where, params } = listWhere(tenantId, filter, after);
  params.push(limit);
  const { rows } = await q.query<ProductDbRow & { variants: VariantJsonRow[] }>(
    `select ${PRODUCT_COLUMNS.split(', ')
      .map((c) => `p.${c}`)
      .join(', ')},
       coalesce((select json_agg(json_build_object('id', v.id, 'sku', v.sku, 'barcode', v.barcode, 'price', v.price::text,
           'compare_at_price', v.compare_at_price::text, 'option_values', v.option_values, 'position', v.position)
           order by v.position, v.id)
         from variants v where v.product_id = p.id), '[]'::json) as variants
     from products p where ${where}
     order by p.created_at desc, p.id desc limit $${params.length}`,
    params,
  );
  return rows.map((r) =>
    toProduct(
      r,
      r.variants.map((v) => toVariant({ ...v, product_id: r.id })),
    ),
  );
}

/** A page of products already serialised by Postgres, for the list endpoint's hot path. */
export interface ProductPageJson {
  /** UTF-8 JSON array of the page's products in their wire shape (snake_case, money as strings, ISO times). */
  itemsJson: Buffer;
  count: number;
  /** The last product's keyset position, for the next cursor; undefined on an empty page. */
  last: PageCursor | undefined;
}

const OPEN_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BRACKET = Buffer.from(']');

/** JS `Date#toISOString()` in SQL: UTC, milliseconds (truncated, as node-postgres and PGlite parse them). */
const isoMs = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Page sizes whose plain list is prepared; bounded, as each costs ~100 KB per connection in Postgres. */
const preparedLimits = new Set<number>();
const MAX_PREPARED_LIMITS = 8;

/**
 * The plain list (first or next page) is the hot query, so it is prepared once per connection and, after
 * Postgres' first five runs, executes its cached generic plan: no parse and no plan per request. The
 * LIMIT is written into the SQL, not bound: with `limit $n` the generic plan is costed for a guess of 10%
 * of the table, so Postgres keeps planning every run (and that plan, forced, crosses jit_above_cost:
 * JIT compilation on each run, 30-300 ms measured). Filtered lists are planned each time, as their best
 * plan depends on the values.
 */
function listStatement(filter: ProductFilter, limit: number, after?: PageCursor): QueryOptions {
  if (filter.text || filter.sku || filter.updatedSince || filter.status) return {};
  if (!preparedLimits.has(limit)) {
    if (preparedLimits.size >= MAX_PREPARED_LIMITS) return {};
    preparedLimits.add(limit);
  }
  return { name: `products_list_json_${after ? 'after_' : ''}${limit}` };
}

/**
 * The same page as `listProducts`, but Postgres writes each product's JSON (row_to_json over columns
 * named as on the wire) so the server neither parses rows nor builds and re-serialises objects. The
 * field names, order and formats must stay those of `productToJson` (src/http/schemas/product.ts);
 * src/db/products.pg.test.ts compares the two.
 */
export async function listProductsJson(
  q: Queryable,
  tenantId: string,
  filter: ProductFilter,
  limit: number,
  after?: PageCursor,
): Promise<ProductPageJson> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`bad page size ${limit}`);
  const { where, params } = listWhere(tenantId, filter, after);
  const { rows } = await q.query<{ json: string }>(
    `select (select row_to_json(j) from (select p.id, p.title, p.handle, p.description_html, p.vendor,
               p.product_type, p.status, p.tags,
               coalesce((select json_agg(vj order by vj.position, vj.id) from (
                   select v.id, v.sku, v.barcode, v.price::text as price, v.compare_at_price::text as compare_at_price,
                          v.option_values, v.position
                     from variants v where v.product_id = p.id) vj), '[]'::json) as variants,
               ${isoMs('p.created_at')} as created_at, ${isoMs('p.updated_at')} as updated_at, p.version) j)::text as json
       from products p where ${where}
      order by p.created_at desc, p.id desc limit ${limit}`,
    params,
    listStatement(filter, limit, after),
  );
  // Bytes, not one joined string: joining and re-encoding ~100 KB of non-ASCII text costs ~1 ms, while
  // encoding each small row and concatenating buffers costs a tenth of that.
  const parts = [OPEN_BRACKET];
  rows.forEach((r, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(Buffer.from(r.json, 'utf8'));
  });
  parts.push(CLOSE_BRACKET);
  const last = rows.at(-1);
  const lastItem = last && (JSON.parse(last.json) as { id: string; created_at: string });
  return {
    itemsJson: Buffer.concat(parts),
    count: rows.length,
    last: lastItem && { at: new Date(lastItem.created_at), id: lastItem.id },
  };
}

type VariantJsonRow = Omit<VariantDbRow, 'product_id'>;

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function insertProduct(
  q: Queryable,
  tenantId: string,
  f: ProductFields,
  now: Date,
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `insert into products (tenant_id, title, handle, description_html, vendor, product_type, status, tags, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning id`,
    [tenantId, f.title, f.handle, f.descriptionHtml, f.vendor, f.productType, f.status, f.tags, now],
  );
  return (rows[0] as { id: string }).id;
}

export async function updateProductRow(
  q: Queryable,
  tenantId: string,
  id: string,
  f: ProductFields,
  now: Date,
): Promise<number> {
  const { rows } = await q.query<{ version: number }>(
    `update products set title = $3, handle = $4, description_html = $5, vendor = $6, product_type = $7,
       status = $8, tags = $9, updated_at = $10, version = version + 1
     where tenant_id = $1 and id = $2 returning version`,
    [tenantId, id, f.title, f.handle, f.descriptionHtml, f.vendor, f.productType, f.status, f.tags, now],
  );
  return (rows[0] as { version: number }).version;
}

export async function deleteProductRow(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<number | undefined> {
  const { rows } = await q.query<{ version: number }>(
    'delete from products where tenant_id = $1 and id = $2 returning version',
    [tenantId, id],
  );
  return rows[0]?.version;
}

/** Replaces a product's variants: rows with a known id are updated, others inserted, the rest deleted. */
export async function replaceVariants(
  q: Queryable,
  tenantId: string,
  productId: string,
  variants: readonly (Omit<Variant, 'id'> & { id?: string | undefined })[],
  now: Date,
): Promise<void> {
  const keep = variants.flatMap((v) => (v.id ? [v.id] : []));
  await q.query(
    'delete from variants where tenant_id = $1 and product_id = $2 and not (id = any($3::uuid[]))',
    [tenantId, productId, keep],
  );
  const json = JSON.stringify(
    variants.map((v) => ({
      id: v.id ?? null,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compare_at_price: v.compareAtPrice,
      option_values: v.optionValues,
      position: v.position,
    })),
  );
  // Two passes so a SKU can move between variants of one product: free the updated rows' SKUs first.
  await q.query(
    `update variants set sku = null where tenant_id = $1 and product_id = $2 and id = any($3::uuid[])`,
    [tenantId, productId, keep],
  );
  await q.query(
    `insert into variants (id, tenant_id, product_id, sku, barcode, price, compare_at_price, option_values, position, created_at, updated_at)
     select coalesce(r.id, gen_random_uuid()), $1, $2, r.sku, r.barcode, r.price, r.compare_at_price, r.option_values, r.position, $4, $4
     from jsonb_to_recordset($3::jsonb) as r(id uuid, sku text, barcode text, price numeric, compare_at_price numeric, option_values jsonb, position integer)
     on conflict (id) do update set sku = excluded.sku, barcode = excluded.barcode, price = excluded.price,
       compare_at_price = excluded.compare_at_price, option_values = excluded.option_values, position = excluded.position,
       updated_at = excluded.updated_at, version = variants.version + 1
     where variants.tenant_id = $1 and variants.product_id = $2`,
    [tenantId, productId, json, now],
  );
}

/** The product's title (its name in Sync History and dead letters), or undefined when it is gone. */
export async function productDisplayName(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ title: string }>(
    'select title from products where tenant_id = $1 and id = $2',
    [tenantId, id],
  );
  return rows[0]?.title;
}

/** The product a variant belongs to, or undefined when the variant is gone. */
export async function productIdOfVariant(
  q: Queryable,
  tenantId: string,
  variantId: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ product_id: string }>(
    'select product_id from variants where tenant_id = $1 and id = $2',
    [tenantId, variantId],
  );
  return rows[0]?.product_id;
}
