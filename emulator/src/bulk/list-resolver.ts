/**
 * `bulkOperations(first, after, last, before, reverse, sortKey, query)` (2026-01+): the app's
 * operations on the shop, newest first by default (CREATED_AT, or COMPLETED_AT), filtered
 * with Shopify's search syntax on `created_at`, `id`, `operation_type` and `status`.
 */
import type { PageArgs, SortedItems } from '../graphql/connection.ts';
import { nowSec, type ExecContext, type RootResolver } from '../graphql/context.ts';
import { notImplemented } from '../graphql/errors.ts';
import { compileSearch, type SearchSpec } from '../graphql/search.ts';
import { connectionView, PAGE_ARGS, rejectUnknownArgs } from '../graphql/views/common.ts';
import type { BulkOperationView } from './operation.ts';
import { parseBulkOperationId, type BulkCaller, type BulkOperations } from './registry.ts';

type ListArgs = PageArgs & { reverse?: boolean | null; query?: string | null; sortKey?: string | null };

const seconds = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso) / 1000);

const SEARCH: SearchSpec<BulkOperationView> = {
  fields: {
    created_at: { kind: 'date', get: (v) => seconds(v.createdAt) },
    id: { kind: 'number', get: (v) => parseBulkOperationId(v.id) },
    operation_type: { kind: 'string', get: (v) => v.type.toLowerCase() },
    status: { kind: 'string', get: (v) => v.status.toLowerCase() },
  },
  freeText: () => [],
};

const SORT_KEYS: Record<string, (v: BulkOperationView) => number> = {
  CREATED_AT: (v) => seconds(v.createdAt) ?? 0,
  COMPLETED_AT: (v) => seconds(v.completedAt) ?? 0,
};

function idOf(view: BulkOperationView): number {
  return parseBulkOperationId(view.id) ?? 0;
}

/** Items newest first; Shopify's default order, which `reverse: true` turns to oldest first. */
export function sortedOperations(
  views: readonly BulkOperationView[],
  args: ListArgs,
  now: number,
): SortedItems<BulkOperationView> {
  const sortKey = args.sortKey ?? 'CREATED_AT';
  const key = SORT_KEYS[sortKey];
  if (!key) throw notImplemented(`sortKey ${sortKey} on QueryRoot.bulkOperations`);
  const search = compileSearch(args.query, SEARCH, now);
  const items = views.filter(search.matches).sort((a, b) => key(b) - key(a) || idOf(b) - idOf(a));
  if (args.reverse === true) items.reverse();
  return { items, key, id: idOf, reverse: args.reverse !== true };
}

export function bulkOperationsResolver(
  operations: BulkOperations,
  callerOf: (ctx: ExecContext) => BulkCaller,
): RootResolver {
  return (rawArgs, ctx) => {
    const args = rawArgs as ListArgs;
    rejectUnknownArgs(args, [...PAGE_ARGS, 'query', 'sortKey'], 'QueryRoot.bulkOperations');
    const sorted = sortedOperations(operations.list(callerOf(ctx)), args, nowSec(ctx));
    return connectionView(ctx, sorted, args, (view) => ({ ...view }));
  };
}
