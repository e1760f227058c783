import type { ShopifyLocation } from '../../domain/shopify-map/index.ts';
import { adminGraphql, type AdminClientConfig } from '../../shopify/graphql-client.ts';
import { BULK_QUERIES, LOCATIONS_PAGE, POLL_BULK, RUN_BULK, type BulkResource } from './bulk-queries.ts';

export interface ShopSession {
  cfg: AdminClientConfig;
  shop: string;
  accessToken: string;
}

export type BulkStart = { ok: true; id: string } | { ok: false; busy: boolean; reason: string };

/** Starts the resource's bulk query. "Already in progress" is `busy` (try again later), not a failure. */
export async function startBulk(s: ShopSession, resource: BulkResource): Promise<BulkStart> {
  const { data } = await adminGraphql<{
    bulkOperationRunQuery: {
      bulkOperation: { id: string; status: string } | null;
      userErrors: { field: string[] | null; message: string; code: string | null }[];
    };
  }>(s.cfg, {
    shop: s.shop,
    accessToken: s.accessToken,
    query: RUN_BULK,
    variables: { query: BULK_QUERIES[resource] },
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
