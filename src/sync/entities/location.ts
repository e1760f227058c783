import type { Queryable } from '../../db/db.ts';
import { upsertLocationBatch } from '../../db/locations.ts';
import type { ParkedRecord } from '../../db/shopify-imports.ts';
import {
  locationSnapshot,
  mapLocation,
  type LocationFromShopify,
  type ShopifyLocation,
} from '../../domain/shopify-map/index.ts';
import {
  plan,
  writeChanged,
  writeRecords,
  type BatchContext,
  type BatchOutcome,
  type Planned,
} from './batch.ts';

/** Locations are few: read page by page (not by a bulk operation), with the fields Retailos syncs. */
export const LOCATIONS_PAGE = `query Locations($after: String) {
  locations(first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name isActive createdAt updatedAt address { address1 address2 city province zip country countryCode phone } }
  }
}`;

/** Writes Shopify's locations to Retailos in one set-based statement (ids from the id map). */
function upsertLocations(
  tx: Queryable,
  ctx: BatchContext,
  items: readonly Planned<LocationFromShopify>[],
): Promise<Map<string, string>> {
  return writeRecords(tx, ctx, 'location', items, (ids) =>
    upsertLocationBatch(
      tx,
      ctx.tenantId,
      items.map(({ mapped: l }) => ({ ...l, id: ids.get(l.gid) as string })),
    ),
  );
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
  parked.push(...(await writeChanged(tx, ctx, 'location', planned, upsertLocations, (l) => l.updatedAt)));
  return { done: nodes.length - parked.length, parked };
}
