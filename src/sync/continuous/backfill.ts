import { storeBackfillPointers, type BackfillPointer } from '../../db/shopify-backfill-deliveries.ts';
import { recordBackfill, type BackfillDone } from '../../db/shopify-webhook-subscriptions.ts';
import type { CoreDeps } from '../../deps.ts';
import { JOBS } from '../../job-names.ts';
import { adminGraphql } from '../../shopify/graphql-client.ts';
import { limitedCall } from '../../shopify/limiter.ts';
import type { ShopSession } from '../shop-session.ts';

/**
 * How the changes a topic would have delivered are found again after its subscription was gone: a
 * listing of the entity by Shopify's search syntax (updated since; deletions since), each record
 * written to the inbox as a back-fill pointer under `topic`. Topics Shopify offers no such listing for
 * say why instead (`none`).
 */
export type BackfillRead =
  | { kind: 'updated'; connection: 'products' | 'customers' | 'orders'; topic: string }
  | { kind: 'deleted'; subjectType: 'PRODUCT'; topic: string }
  | { kind: 'none'; why: string };

const UPDATED = (c: string): BackfillRead => ({
  kind: 'updated',
  connection: c as 'products',
  topic: `${c}/${c === 'orders' ? 'updated' : 'update'}`,
});
const STOCK =
  'Shopify lists no stock changes by date: not back-filled (stock levels are read again with their next change)';
const NO_DELETIONS = (what: string): BackfillRead => ({
  kind: 'none',
  why: `Shopify lists no deleted ${what} by date: not back-filled`,
});

export const BACKFILL_READS: Readonly<Record<string, BackfillRead>> = {
  PRODUCTS_CREATE: UPDATED('products'),
  PRODUCTS_UPDATE: UPDATED('products'),
  PRODUCTS_DELETE: { kind: 'deleted', subjectType: 'PRODUCT', topic: 'products/delete' },
  CUSTOMERS_CREATE: UPDATED('customers'),
  CUSTOMERS_UPDATE: UPDATED('customers'),
  CUSTOMERS_DELETE: NO_DELETIONS('customers'),
  ORDERS_CREATE: UPDATED('orders'),
  ORDERS_UPDATED: UPDATED('orders'),
  ORDERS_CANCELLED: UPDATED('orders'),
  ORDERS_DELETE: NO_DELETIONS('orders'),
  INVENTORY_LEVELS_UPDATE: { kind: 'none', why: STOCK },
  INVENTORY_LEVELS_CONNECT: { kind: 'none', why: STOCK },
  INVENTORY_LEVELS_DISCONNECT: { kind: 'none', why: STOCK },
  INVENTORY_ITEMS_CREATE: {
    kind: 'none',
    why: 'inventory items arrive with their product: nothing to back-fill',
  },
  INVENTORY_ITEMS_UPDATE: {
    kind: 'none',
    why: 'inventory items arrive with their product: nothing to back-fill',
  },
  INVENTORY_ITEMS_DELETE: {
    kind: 'none',
    why: 'inventory items arrive with their product: nothing to back-fill',
  },
  APP_UNINSTALLED: { kind: 'none', why: 'nothing to back-fill: the app is still installed' },
  BULK_OPERATIONS_FINISH: {
    kind: 'none',
    why: 'nothing to back-fill: the import also asks Shopify for its export’s state',
  },
};

/** Shopify's search syntax for "changed at or after": dates quoted, second precision. */
export const sinceQuery = (field: string, from: Date): string =>
  `${field}:>='${from.toISOString().replace(/\.\d{3}Z$/, 'Z')}'`;

const PAGE = 250;
const updatedQuery = (connection: string): string => `query RetailosBackfill($q: String!, $after: String) {
  ${connection}(first: ${PAGE}, after: $after, sortKey: ID, query: $q) {
    nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }`;
const DELETED = `query RetailosBackfillDeletions($q: String!, $after: String, $types: [DeletionEventSubjectType!]) {
  deletionEvents(first: ${PAGE}, after: $after, subjectTypes: $types, query: $q) {
    nodes { subjectId occurredAt } pageInfo { hasNextPage endCursor } } }`;

interface Page<N> {
  nodes: N[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

async function listAll<N>(
  session: ShopSession,
  query: string,
  root: string,
  variables: Record<string, unknown>,
): Promise<N[]> {
  const all: N[] = [];
  let after: string | null = null;
  do {
    const send = () =>
      adminGraphql<Record<string, Page<N>>>(session.cfg, {
        shop: session.shop,
        accessToken: session.accessToken,
        query,
        variables: { ...variables, after },
      });
    const r = session.limit
      ? await limitedCall(
          session.limit.limiter,
          session.limit.tenantId,
          2 + 2 * PAGE,
          session.limit.priority,
          send,
        )
      : await send();
    const page = r.data[root] as Page<N>;
    all.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return all;
}

async function read(session: ShopSession, how: BackfillRead, from: Date): Promise<BackfillPointer[]> {
  if (how.kind === 'updated') {
    const nodes = await listAll<{ id: string; updatedAt: string }>(
      session,
      updatedQuery(how.connection),
      how.connection,
      { q: sinceQuery('updated_at', from) },
    );
    return nodes.map((n) => ({ topic: how.topic, gid: n.id, at: n.updatedAt }));
  }
  if (how.kind === 'deleted') {
    const nodes = await listAll<{ subjectId: string; occurredAt: string }>(
      session,
      DELETED,
      'deletionEvents',
      {
        q: sinceQuery('occurred_at', from),
        types: [how.subjectType],
      },
    );
    return nodes.map((n) => ({ topic: how.topic, gid: n.subjectId, at: n.occurredAt }));
  }
  return [];
}

export interface PendingBackfill {
  topic: string;
  from: Date;
}

/**
 * Reads what changed on Shopify while subscriptions were missing and feeds it to the apply job as
 * back-fill deliveries: one listing per kind of read (from the earliest start among its topics), the
 * pointers, each topic's count and the apply job's enqueue in one transaction. Returns each topic's
 * result, as recorded for Sync Health.
 */
export async function backfill(
  deps: CoreDeps,
  session: ShopSession,
  tenantId: string,
  pending: readonly PendingBackfill[],
): Promise<BackfillDone[]> {
  const groups = new Map<string, { how: BackfillRead; from: Date; topics: string[] }>();
  const done: BackfillDone[] = [];
  for (const p of pending) {
    const how = BACKFILL_READS[p.topic] ?? { kind: 'none', why: 'not a topic Retailos back-fills' };
    if (how.kind === 'none') {
      done.push({ topic: p.topic, records: 0, note: how.why });
      continue;
    }
    const key = how.kind === 'updated' ? how.connection : `deleted:${how.subjectType}`;
    const g = groups.get(key) ?? { how, from: p.from, topics: [] };
    if (p.from < g.from) g.from = p.from;
    g.topics.push(p.topic);
    groups.set(key, g);
  }
  const pointers: BackfillPointer[] = [];
  for (const g of groups.values()) {
    const found = await read(session, g.how, g.from);
    pointers.push(...found);
    for (const topic of g.topics) done.push({ topic, records: found.length, note: null });
  }
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const written = await storeBackfillPointers(tx, tenantId, session.shop, pointers, now);
    await recordBackfill(tx, tenantId, done, now);
    if (written > 0)
      await deps.enqueue(JOBS.shopifyApplyWebhooks, { tenantId }, { singletonKey: tenantId, tx });
  });
  return done;
}
