import type { GraphQLResolveInfo } from 'graphql';
import type { Clock, ShopData, Store } from '../store/index.ts';
import type { PreparedRequest } from './prepare.ts';
import type { ApiVersion } from './schema.ts';

/** Root field resolver. Throw a GraphQLError for request-level errors. */
export type RootResolver = (
  args: Record<string, unknown>,
  ctx: ExecContext,
  info: GraphQLResolveInfo,
) => unknown;

/** Extra root fields supplied by other parts (e.g. bulk operations). They win over built-ins. */
export interface RootResolvers {
  query?: Record<string, RootResolver>;
  mutation?: Record<string, RootResolver>;
}

/** Who is calling and on which shop. */
export interface ExecuteOptions {
  store: Store;
  /** Shop domain (`x.myshopify.com`). */
  shop: string;
  /** API key of the calling app (owner of webhook subscriptions, idempotency keys). */
  appKey: string;
  /** Scopes granted to the app's token. `write_x` implies `read_x`. */
  scopes: string[];
  /** Defaults to `store.clock`. */
  clock?: Clock;
  rootResolvers?: RootResolvers;
  /**
   * Bulk export mode: connections need no first/last and have no 250 cap.
   * Used by the bulk-operation runner, never for normal requests.
   */
  bulkMode?: boolean;
}

/** What every resolver receives as GraphQL context. */
export interface ExecContext {
  store: Store;
  shop: ShopData;
  appKey: string;
  scopes: Set<string>;
  clock: Clock;
  version: ApiVersion;
  prepared: PreparedRequest;
  rootResolvers: RootResolvers;
  bulkMode: boolean;
  /** Search warnings gathered while resolving (→ `extensions.search`). */
  searchWarnings: {
    path: (string | number)[];
    query: string;
    warnings: { field: string; message: string }[];
  }[];
}

/** True when the app holds `scope` (a `write_` scope implies its `read_`). */
export function hasScope(ctx: ExecContext, scope: string): boolean {
  if (ctx.scopes.has(scope)) return true;
  return scope.startsWith('read_') && ctx.scopes.has(`write_${scope.slice(5)}`);
}

export function nowSec(ctx: ExecContext): number {
  return Math.floor(ctx.clock.now().getTime() / 1000);
}
