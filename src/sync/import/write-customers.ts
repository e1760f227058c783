import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import { linkIds, localIdsOf } from '../../db/shopify-id-map.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import {
  customerSnapshot,
  mapCustomer,
  type CustomerFromShopify,
  type ShopifyCustomer,
} from '../../domain/shopify-map/index.ts';
import {
  assignIds,
  plan,
  writeChanged,
  type BatchContext,
  type BatchOutcome,
  type Planned,
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
  await linkIds(
    tx,
    t,
    'customer',
    [...ids].map(([gid, localId]) => ({ gid, localId })),
    ctx.now,
  );
  return ids;
}

export async function writeCustomerBatch(
  tx: Queryable,
  ctx: BatchContext,
  groups: readonly RecordGroup[],
): Promise<BatchOutcome> {
  const parked: ParkedRecord[] = [];
  const planned: Planned<CustomerFromShopify>[] = [];
  for (const g of groups) {
    const m = mapCustomer(g.root as unknown as ShopifyCustomer);
    if (!m.ok) parked.push({ gid: String(g.root['id']), reason: m.reason, payload: g });
    else planned.push(plan(m.value.gid, m.value, customerSnapshot(m.value), g));
  }
  parked.push(
    ...(await writeChanged(
      tx,
      ctx,
      'customer',
      planned,
      (q, some) => upsertCustomers(q, ctx, some),
      (c) => c.updatedAt,
    )),
  );
  return { done: groups.length - parked.length, parked };
}
