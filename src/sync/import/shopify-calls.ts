import type { ShopifyLocation } from '../../domain/shopify-map/index.ts';
import { adminGraphql, type AdminClientConfig } from '../../shopify/graphql-client.ts';
import {
  bulkQueryFor,
  countsAtOrBelow,
  ID_SPAN,
  LOCATIONS_PAGE,
  POLL_BULK,
  RUN_BULK,
  type BulkResource,
  type RangedResource,
} from './bulk-queries.ts';

export interface ShopSession {
  cfg: AdminClientConfig;
  shop: string;
  accessToken: string;
}

export type BulkStart = { ok: true; id: string } | { ok: false; busy: boolean; reason: string };

/**
 * Starts the resource's bulk query (limited to `search`, a range's ids, when given). "Already in
 * progress" is `busy` (try again later), not a failure.
 */
export async function startBulk(s: ShopSession, resource: BulkResource, search = ''): Promise<BulkStart> {
  const { data } = await adminGraphql<{
    bulkOperationRunQuery: {
      bulkOperation: { id: string; status: string } | null;
      userErrors: { field: string[] | null; message: string; code: string | null }[];
    };
  }>(s.cfg, {
    shop: s.shop,
    accessToken: s.accessToken,
    query: RUN_BULK,
    variables: { query: bulkQueryFor(resource, search) },
  });
  const r = data.bulkOperationRunQuery;
  if (r.bulkOperation) return { ok: true, id: r.bulkOperation.id };
  const reason = r.userErrors.map((e) => e.message).join('; ') || 'Shopify started no bulk operation';
  return {
    ok: false,
    busy: /in progress/i.test(reason) || r.userErrors.some((e) => e.code === 'OPERATION_IN_PROGRESS'),
    reason,
  };
}

export interface BulkStatus {
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';
  errorCode: string | null;
  objectCount: number;
  rootObjectCount: number;
  url: string | null;
}

export async function pollBulk(s: ShopSession, id: string): Promise<BulkStatus | undefined> {
  const { data } = await adminGraphql<{
    bulkOperation:
      | (Omit<BulkStatus, 'objectCount' | 'rootObjectCount'> & {
          objectCount: string;
          rootObjectCount: string;
        })
      | null;
  }>(s.cfg, { shop: s.shop, accessToken: s.accessToken, query: POLL_BULK, variables: { id } });
  const op = data.bulkOperation;
  if (!op) return undefined;
  return { ...op, objectCount: Number(op.objectCount), rootObjectCount: Number(op.rootObjectCount) };
}

/** Every location, page by page (a shop has a handful). */
export async function fetchLocations(s: ShopSession): Promise<ShopifyLocation[]> {
  const out: ShopifyLocation[] = [];
  let after: string | null = null;
  for (;;) {
    const {
      data,
    }: {
      data: {
        locations: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: ShopifyLocation[] };
      };
    } = await adminGraphql(s.cfg, {
      shop: s.shop,
      accessToken: s.accessToken,
      query: LOCATIONS_PAGE,
      variables: { after },
    });
    out.push(...data.locations.nodes);
    if (!data.locations.pageInfo.hasNextPage || !data.locations.pageInfo.endCursor) return out;
    after = data.locations.pageInfo.endCursor;
  }
}

type Count = { count: number; precision: string } | null;
const exact = (c: Count | undefined): number | undefined =>
  c && c.precision === 'EXACT' ? c.count : undefined;
const idOf = (gid: string): bigint => BigInt(/\/(\d+)$/.exec(gid)?.[1] ?? 'x');

/** A ranged resource's smallest and largest id and exact count; undefined when it has none or no exact count. */
export async function idSpan(
  s: ShopSession,
  resource: RangedResource,
): Promise<{ min: bigint; max: bigint; total: number } | undefined> {
  const { data } = await adminGraphql<{
    low: { nodes: { id: string }[] };
    high: { nodes: { id: string }[] };
    total: Count;
  }>(s.cfg, { shop: s.shop, accessToken: s.accessToken, query: ID_SPAN[resource] });
  const low = data.low.nodes[0];
  const high = data.high.nodes[0];
  const total = exact(data.total);
  if (!low || !high || total === undefined) return undefined;
  return { min: idOf(low.id), max: idOf(high.id), total };
}

/** How many of the resource's records have an id at or below each of `ids`; undefined if one is inexact. */
export async function countAtOrBelow(
  s: ShopSession,
  resource: RangedResource,
  ids: readonly bigint[],
): Promise<number[] | undefined> {
  if (ids.length === 0) return [];
  const { data } = await adminGraphql<Record<string, Count>>(s.cfg, {
    shop: s.shop,
    accessToken: s.accessToken,
    query: countsAtOrBelow(resource, ids),
  });
  const counts = ids.map((_, i) => exact(data[`c${i}`]));
  return counts.every((c) => c !== undefined) ? (counts as number[]) : undefined;
}
