import type { GraphQLResolveInfo } from 'graphql';
import type { PageArgs } from '../connection.ts';
import { hasScope, nowSec, type ExecContext, type RootResolver } from '../context.ts';
import { accessDenied, notImplemented } from '../errors.ts';
import { compileSearch } from '../search.ts';
import { countMatching, selectSorted, sortedRecords } from '../sorted.ts';
import { connectionView, PAGE_ARGS, rejectUnknownArgs } from '../views/common.ts';
import type { Resource } from './resources.ts';

export type ListArgs = PageArgs & {
  reverse?: boolean | null;
  query?: string | null;
  sortKey?: string | null;
};

/** Throws Shopify's ACCESS_DENIED unless the app holds one of the scopes. */
export function requireScope(ctx: ExecContext, field: string, scopes: string[]): void {
  if (!scopes.some((s) => hasScope(ctx, s))) throw accessDenied(field, scopes[0] ?? '');
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

/** Filtered, sorted, oriented records of a resource for a list query. */
export function selectRecords<T>(
  ctx: ExecContext,
  info: GraphQLResolveInfo,
  resource: Resource<T>,
  args: ListArgs,
) {
  const sortKey = !args.sortKey || args.sortKey === 'RELEVANCE' ? 'ID' : args.sortKey;
  const key = resource.sortKeys[sortKey];
  if (!key) throw notImplemented(`sortKey ${sortKey} on ${info.parentType.name}.${info.fieldName}`);
  const spec = { key, id: resource.id };
  const sorted = sortedRecords(
    ctx.shop,
    resource.kind,
    `${info.fieldName}:${sortKey}`,
    () => resource.all(ctx.shop),
    spec,
  );
  const search = compileSearch(args.query, resource.search, nowSec(ctx));
  if (search.unknownFields.length > 0 && args.query) {
    ctx.searchWarnings.push({
      path: pathOf(info),
      query: args.query,
      warnings: search.unknownFields.map((field) => ({
        field,
        message: 'Invalid search field for this query.',
      })),
    });
  }
  const visible = resource.visible?.(ctx) ?? null;
  const hasQuery = (args.query ?? '').trim() !== '';
  const matches =
    visible && hasQuery
      ? (item: T) => visible(item) && search.matches(item)
      : (visible ?? (hasQuery ? search.matches : null));
  return selectSorted(sorted, spec, matches, args.reverse === true);
}

/** Root resolver for a Relay list (products, orders, …). */
export function listResolver<T>(
  field: string,
  resource: (ctx: ExecContext) => Resource<T>,
  extraArgs: string[] = [],
): RootResolver {
  return (rawArgs, ctx, info) => {
    const r = resource(ctx);
    requireScope(ctx, field, r.scopes);
    const args = rawArgs as ListArgs;
    rejectUnknownArgs(args, [...PAGE_ARGS, 'query', 'sortKey', ...extraArgs], `QueryRoot.${field}`);
    return connectionView(ctx, selectRecords(ctx, info, r, args), args, (item) => r.view(ctx, item));
  };
}

/** Root resolver for a `xCount(query, limit)` field. */
export function countResolver<T>(field: string, resource: (ctx: ExecContext) => Resource<T>): RootResolver {
  return (rawArgs, ctx, info) => {
    const r = resource(ctx);
    requireScope(ctx, field, r.scopes);
    const args = rawArgs as { query?: string | null; limit?: number | null };
    rejectUnknownArgs(args, ['query', 'limit'], `QueryRoot.${field}`);
    const total = countMatching(selectRecords(ctx, info, r, { query: args.query ?? null, first: 1 }));
    const limit = args.limit === undefined ? 10000 : args.limit;
    if (limit !== null && total > limit) return { count: limit, precision: 'AT_LEAST' };
    return { count: total, precision: 'EXACT' };
  };
}
