import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import { linkNewIds, localIdsOf } from '../../db/shopify-id-map.ts';
import {
  customerSnapshot,
  mapCustomer,
  type CustomerFromShopify,
  type ShopifyCustomer,
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

export async function upsertCustomers(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<CustomerFromShopify>[],
): Promise<Map<string, string>> {
  const t = ctx.tenantId;
  const known = await localIdsOf(
    tx,
    t,
    'customer',
    items.map((i) => i.gid),
  );
  const ids = assignIds(
    known,
    items.map((i) => i.gid),
    ctx.newId,
  );
  const json = items.map(({ mapped: c }) => ({
    id: ids.get(c.gid),
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
  const { rows } = await tx.query<{ id: string; version: number; inserted: boolean }>(
    `insert into customers (id, tenant_id, email, first_name, last_name, phone, note, tags, addresses, created_at, updated_at)
     select r.id, $1, r.email, r.first_name, r.last_name, r.phone, r.note, r.tags, r.addresses, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, email text, first_name text, last_name text, phone text, note text,
       tags text[], addresses jsonb, created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
       phone = excluded.phone, note = excluded.note, tags = excluded.tags, addresses = excluded.addresses,
       updated_at = excluded.updated_at, version = customers.version + 1
     where customers.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [t, JSON.stringify(json)],
  );
  if (rows.length !== items.length) throw new Error('customer batch: some ids belong to another tenant');
  await recordChanges(
    tx,
    t,
    'shopify',
    rows.map((r) => ({
      entity: 'customer',
      entityId: r.id,
      version: r.version,
      op: r.inserted ? 'create' : 'update',
    })),
  );
  await linkNewIds(tx, t, 'customer', freshLinks(ids, known), ctx.now);
  return ids;
}

/** One batch of customer lines. */
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
