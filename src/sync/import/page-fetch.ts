import { adminGraphql, type QueryCost } from '../../shopify/graphql-client.ts';
import type { BulkResource } from './bulk-queries.ts';
import type { JsonObject, RecordGroup } from './jsonl.ts';
import { ITEM_COST, pacingWaitMs, type PagePlan } from './page-size.ts';
import {
  BUDGET_PROBE,
  CHILD_CONNECTION,
  FOLLOW_UP_QUERIES,
  PAGE_QUERIES,
  STORE_COUNTS,
} from './page-queries.ts';
import type { ShopSession } from './shopify-calls.ts';

interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: JsonObject[];
}

/** Where a paged read stands: the cursor to read on from (and, for inventory, the location's). */
export interface PageCursor {
  after: string | null;
  outerAfter: string | null;
}

export interface Page {
  /** The page's records in the writers' shape: a root with its children, as bulk lines would be. */
  groups: RecordGroup[];
  /** Where the next page starts; null when this was the last one. */
  next: PageCursor | null;
  /** Requested cost of the page query itself (the next page asks the same). */
  requested: number | undefined;
  /** Shopify's cost report of the last call made (the page, or its last follow-up). */
  cost: QueryCost | undefined;
  /**
   * Set when the page stopped before a record whose follow-up query the bucket cannot hold yet: the
   * points to wait for before going on.
   */
  need?: number;
}

async function call<T>(
  s: ShopSession,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: T; cost: QueryCost | undefined }> {
  return adminGraphql<T>(s.cfg, { shop: s.shop, accessToken: s.accessToken, query, variables });
}

/** Asks how full the cost bucket is, for 1 point. */
export async function probeBudget(s: ShopSession): Promise<QueryCost | undefined> {
  return (await call<unknown>(s, BUDGET_PROBE, {})).cost;
}

export interface CountedStore {
  counts: { products: number; variants: number; customers: number; orders: number };
  /** False when Shopify gave a lower bound only for some count. */
  exact: boolean;
  cost: QueryCost | undefined;
}

type Count = { count: number; precision: string } | null;

export async function countStore(s: ShopSession): Promise<CountedStore> {
  const { data, cost } = await call<Record<string, Count>>(s, STORE_COUNTS, {});
  const all = ['productsCount', 'productVariantsCount', 'customersCount', 'ordersCount'].map(
    (k) => data[k] ?? null,
  );
  const n = (i: number) => all[i]?.count ?? 0;
  return {
    counts: { products: n(0), variants: n(1), customers: n(2), orders: n(3) },
    exact: all.every((c) => c !== null && c.precision === 'EXACT'),
    cost,
  };
}

/** Children of one record past the first page of them, all of them. */
async function followUp(
  s: ShopSession,
  resource: 'products' | 'orders',
  first: number,
  parentId: string,
  after: string,
  onCost: (cost: QueryCost | undefined) => void,
): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  let cursor: string | null = after;
  while (cursor !== null) {
    const res: { data: { record: { children: Connection } | null }; cost: QueryCost | undefined } =
      await call(s, FOLLOW_UP_QUERIES[resource], { id: parentId, first, after: cursor });
    onCost(res.cost);
    const record = res.data.record;
    if (!record) break; // deleted meanwhile: the page's children are all there is
    out.push(...record.children.nodes);
    const info: Connection['pageInfo'] = record.children.pageInfo;
    cursor = info.hasNextPage ? info.endCursor : null;
  }
  return out;
}

interface EdgePage {
  pageInfo: Connection['pageInfo'];
  edges: { cursor: string; node: JsonObject }[];
}

/** Requested cost of one follow-up query: the record (1) and its children connection. */
const followUpCost = (resource: 'products' | 'orders', first: number): number =>
  1 + 2 + first * (resource === 'products' ? ITEM_COST.variant : ITEM_COST.lineItem);

/**
 * Records with their children: children past `childFirst` come from follow-up queries on the record.
 * Before one, when Shopify's last word says the bucket cannot hold it, the page stops at that record
 * (the records before it are complete and committed; the next page starts at it) unless it is the
 * page's first, which goes ahead so that the read always moves on.
 */
async function pageWithChildren(
  s: ShopSession,
  resource: 'products' | 'orders',
  plan: PagePlan,
  cursor: PageCursor,
  conn: EdgePage,
  cost: QueryCost | undefined,
): Promise<Page> {
  const key = CHILD_CONNECTION[resource];
  const groups: RecordGroup[] = [];
  let last = cost;
  const onCost = (c: QueryCost | undefined) => (last = c ?? last);
  const page = { requested: cost?.requestedQueryCost };
  for (const [i, edge] of conn.edges.entries()) {
    const { [key]: children, ...root } = edge.node;
    const own = children as Connection;
    const all = [...own.nodes];
    if (own.pageInfo.hasNextPage && own.pageInfo.endCursor) {
      const need = followUpCost(resource, plan.followUpFirst);
      if (i > 0 && pacingWaitMs(need, last?.throttleStatus) > 0) {
        const previous = conn.edges[i - 1]?.cursor ?? null;
        return { ...page, groups, next: { after: previous, outerAfter: null }, cost: last, need };
      }
      all.push(
        ...(await followUp(
          s,
          resource,
          plan.followUpFirst,
          String(root['id']),
          own.pageInfo.endCursor,
          onCost,
        )),
      );
    }
    groups.push({ root, children: all.map((c) => ({ ...c, __parentId: root['id'] })) });
  }
  return { ...page, groups, next: nextOf(conn.pageInfo, cursor.outerAfter), cost: last };
}

const nextOf = (info: Connection['pageInfo'], outerAfter: string | null): PageCursor | null =>
  info.hasNextPage && info.endCursor ? { after: info.endCursor, outerAfter } : null;

/** One page of a resource from `cursor`, converted to record groups. */
export async function fetchPage(
  s: ShopSession,
  resource: BulkResource,
  plan: PagePlan,
  cursor: PageCursor,
): Promise<Page> {
  if (resource === 'inventory') return fetchLevels(s, plan, cursor);
  if (resource === 'customers') {
    const vars = { first: plan.first, after: cursor.after };
    const { data, cost } = await call<{ customers: Connection }>(s, PAGE_QUERIES.customers, vars);
    const groups = data.customers.nodes.map((root) => ({ root, children: [] }));
    return { groups, next: nextOf(data.customers.pageInfo, null), requested: cost?.requestedQueryCost, cost };
  }
  const vars = { first: plan.first, childFirst: plan.childFirst, after: cursor.after };
  const { data, cost } = await call<Record<string, EdgePage>>(s, PAGE_QUERIES[resource], vars);
  return pageWithChildren(s, resource, plan, cursor, data[resource] as EdgePage, cost);
}

/** Levels of one location from `cursor`; past its last level, the next location starts. */
async function fetchLevels(s: ShopSession, plan: PagePlan, cursor: PageCursor): Promise<Page> {
  const { data, cost } = await call<{
    locations: { pageInfo: Connection['pageInfo']; nodes: { id: string; inventoryLevels: Connection }[] };
  }>(s, PAGE_QUERIES.inventory, { first: plan.first, outerAfter: cursor.outerAfter, after: cursor.after });
  const location = data.locations.nodes[0];
  const page = { requested: cost?.requestedQueryCost, cost };
  if (!location) return { ...page, groups: [], next: null };
  const levels = location.inventoryLevels;
  const groups = levels.nodes.map((l) => ({ root: { ...l, __parentId: location.id }, children: [] }));
  const more = data.locations.pageInfo;
  const next =
    nextOf(levels.pageInfo, cursor.outerAfter) ??
    (more.hasNextPage && more.endCursor ? { after: null, outerAfter: more.endCursor } : null);
  return { ...page, groups, next };
}
