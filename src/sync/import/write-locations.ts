import { recordChanges } from '../../db/changes.ts';
import type { Queryable } from '../../db/db.ts';
import { linkNewIds, localIdsOf } from '../../db/shopify-id-map.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import {
  locationSnapshot,
  mapLocation,
  type LocationFromShopify,
  type ShopifyLocation,
} from '../../domain/shopify-map/index.ts';
import {
  assignIds,
  freshLinks,
  plan,
  writeChanged,
  type BatchContext,
  type BatchOutcome,
  type Planned,
} from './batch.ts';

async function upsertLocations(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<LocationFromShopify>[],
): Promise<Map<string, string>> {
  const t = ctx.tenantId;
  const known = await localIdsOf(
    tx,
    t,
    'location',
    items.map((i) => i.gid),
  );
  const ids = assignIds(
    known,
    items.map((i) => i.gid),
    ctx.newId,
  );
  const json = items.map(({ mapped: l }) => ({
    id: ids.get(l.gid),
    name: l.name,
    address: l.address,
    active: l.active,
    created_at: l.createdAt.toISOString(),
    updated_at: l.updatedAt.toISOString(),
  }));
  const { rows } = await tx.query<{ id: string; version: number; inserted: boolean }>(
    `insert into locations (id, tenant_id, name, address, active, created_at, updated_at)
     select r.id, $1, r.name, r.address, r.active, r.created_at, r.updated_at
     from jsonb_to_recordset($2::jsonb) as r(id uuid, name text, address jsonb, active boolean, created_at timestamptz, updated_at timestamptz)
     on conflict (id) do update set name = excluded.name, address = excluded.address, active = excluded.active,
       updated_at = excluded.updated_at, version = locations.version + 1
     where locations.tenant_id = excluded.tenant_id
     returning id, version, (xmax = 0) as inserted`,
    [t, JSON.stringify(json)],
  );
  if (rows.length !== items.length) throw new Error('location batch: some ids belong to another tenant');
  await recordChanges(
    tx,
    t,
    'shopify',
    rows.map((r) => ({
      entity: 'location',
      entityId: r.id,
      version: r.version,
      op: r.inserted ? 'create' : 'update',
    })),
  );
  await linkNewIds(tx, t, 'location', freshLinks(ids, known), ctx.now);
  return ids;
}

export async function writeLocationBatch(
  tx: Queryable,
  ctx: BatchContext,
  nodes: readonly ShopifyLocation[],
): Promise<BatchOutcome> {
  const parked: ParkedRecord[] = [];
  const planned: Planned<LocationFromShopify>[] = [];
  for (const node of nodes) {
    const m = mapLocation(node);
    if (!m.ok) parked.push({ gid: String(node.id), reason: m.reason, payload: node });
    else planned.push(plan(m.value.gid, m.value, locationSnapshot(m.value), node));
  }
  parked.push(
    ...(await writeChanged(
      tx,
      ctx,
      'location',
      planned,
      (q, some) => upsertLocations(q, ctx, some),
      (l) => l.updatedAt,
    )),
  );
  return { done: nodes.length - parked.length, parked };
}
