import type { Address, Customer } from '../domain/entities.ts';
import type { Queryable } from './db.ts';
import { escapeLike, type PageCursor } from './products.ts';

interface CustomerDbRow {
  id: string;
  email: string | null;
  first_name: string;
  last_name: string;
  phone: string | null;
  note: string;
  tags: string[];
  addresses: Address[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

export type CustomerFields = Omit<Customer, 'id' | 'createdAt' | 'updatedAt' | 'version'>;

const COLUMNS =
  'id, email, first_name, last_name, phone, note, tags, addresses, created_at, updated_at, version';

function toCustomer(r: CustomerDbRow): Customer {
  return {
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    note: r.note,
    tags: r.tags,
    addresses: r.addresses,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export async function getCustomer(
  q: Queryable,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<Customer | undefined> {
  const { rows } = await q.query<CustomerDbRow>(
    `select ${COLUMNS} from customers where tenant_id = $1 and id = $2${forUpdate ? ' for update' : ''}`,
    [tenantId, id],
  );
  return rows[0] && toCustomer(rows[0]);
}

/** Several customers by id (missing ones are left out); locked when `forUpdate`. */
export async function getCustomers(
  q: Queryable,
  tenantId: string,
  ids: readonly string[],
  forUpdate = false,
): Promise<Map<string, Customer>> {
  if (ids.length === 0) return new Map();
  const { rows } = await q.query<CustomerDbRow>(
    `select ${COLUMNS} from customers where tenant_id = $1 and id = any($2::uuid[]) order by id${forUpdate ? ' for update' : ''}`,
    [tenantId, ids],
  );
  return new Map(rows.map((r) => [r.id, toCustomer(r)]));
}

/** True when the customer exists in the tenant; takes a key-share lock so it cannot be deleted before commit. */
export async function customerExists(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rows } = await q.query('select 1 from customers where tenant_id = $1 and id = $2 for key share', [
    tenantId,
    id,
  ]);
  return rows.length > 0;
}

export interface CustomerFilter {
  /** Substring of first name, last name, full name or email. */
  text?: string | undefined;
  /** Exact email, case-insensitive. */
  email?: string | undefined;
  updatedSince?: Date | undefined;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listCustomers(
  q: Queryable,
  tenantId: string,
  filter: CustomerFilter,
  limit: number,
  after?: PageCursor,
): Promise<Customer[]> {
  const where = ['tenant_id = $1'];
  const params: unknown[] = [tenantId];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.text) {
    add(
      `(first_name ilike ? escape '\\' or last_name ilike ? escape '\\' or (first_name || ' ' || last_name) ilike ? escape '\\'
        or email ilike ? escape '\\')`,
      `%${escapeLike(filter.text)}%`,
    );
  }
  if (filter.email) add('lower(email) = lower(?)', filter.email.trim());
  if (filter.updatedSince) add('updated_at >= ?', filter.updatedSince);
  if (after) {
    params.push(after.at, after.id);
    where.push(`(created_at, id) < ($${params.length - 1}, $${params.length}::uuid)`);
  }
  params.push(limit);
  const { rows } = await q.query<CustomerDbRow>(
    `select ${COLUMNS} from customers where ${where.join(' and ')}
     order by created_at desc, id desc limit $${params.length}`,
    params,
  );
  return rows.map(toCustomer);
}

export async function insertCustomer(
  q: Queryable,
  tenantId: string,
  f: CustomerFields,
  now: Date,
): Promise<Customer> {
  const { rows } = await q.query<CustomerDbRow>(
    `insert into customers (tenant_id, email, first_name, last_name, phone, note, tags, addresses, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9) returning ${COLUMNS}`,
    [tenantId, f.email, f.firstName, f.lastName, f.phone, f.note, f.tags, JSON.stringify(f.addresses), now],
  );
  return toCustomer(rows[0] as CustomerDbRow);
}

export async function updateCustomerRow(
  q: Queryable,
  tenantId: string,
  id: string,
  f: CustomerFields,
  now: Date,
): Promise<Customer> {
  const { rows } = await q.query<CustomerDbRow>(
    `update customers set email = $3, first_name = $4, last_name = $5, phone = $6, note = $7, tags = $8,
       addresses = $9::jsonb, updated_at = $10, version = version + 1
     where tenant_id = $1 and id = $2 returning ${COLUMNS}`,
    [
      tenantId,
      id,
      f.email,
      f.firstName,
      f.lastName,
      f.phone,
      f.note,
      f.tags,
      JSON.stringify(f.addresses),
      now,
    ],
  );
  return toCustomer(rows[0] as CustomerDbRow);
}

export async function deleteCustomerRow(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<number | undefined> {
  const { rows } = await q.query<{ version: number }>(
    'delete from customers where tenant_id = $1 and id = $2 returning version',
    [tenantId, id],
  );
  return rows[0]?.version;
}

export async function customerHasOrders(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rows } = await q.query('select 1 from orders where tenant_id = $1 and customer_id = $2 limit 1', [
    tenantId,
    id,
  ]);
  return rows.length > 0;
}

/** What a set-based upsert wrote: each row's id, its new version, and whether it was new. */
export interface UpsertedRow {
  id: string;
  version: number;
  inserted: boolean;
}

/** A customer with a caller-chosen id (the sync resolves it from its id map) and Shopify's times. */
export type CustomerBatchRow = CustomerFields & { id: string; createdAt: Date; updatedAt: Date };

/** Set-based upsert of many customers in one statement; a row of another tenant is left alone (not returned). */
export async function upsertCustomerBatch(
  tx: Queryable,
  tenantId: string,
  customers: readonly CustomerBatchRow[],
): Promise<UpsertedRow[]> {
  const json = customers.map((c) => ({
    id: c.id,
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    note: c.note,
    tags: c.tags,
    addresses: c.addresses,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  }));
  const { rows } = await tx.query<UpsertedRow>(
    `insert into customers (id, tenant_id, email, first_name, last_name, phone, note, tags, addresses, created_at, updated_at)
     select r.id, $1, r.email, r.first_name, r.last_name, r.phone, r.note, r.tags, r.addresses, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, email text, first_name text, last_name text, phone text, note text,
       tags text[], addresses jsonb, created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
       phone = excluded.phone, note = excluded.note, tags = excluded.tags, addresses = excluded.addresses,
       updated_at = excluded.updated_at, version = customers.version + 1
     where customers.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [tenantId, JSON.stringify(json)],
  );
  return rows;
}

/** The customer's name, else email (its name in Sync History and dead letters); undefined when gone or blank. */
export async function customerDisplayName(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<string | undefined> {
  const { rows } = await q.query<{ name: string | null }>(
    `select coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), email) as name
     from customers where tenant_id = $1 and id = $2`,
    [tenantId, id],
  );
  return rows[0]?.name ?? undefined;
}
